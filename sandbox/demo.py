"""Demo partner, businesses and customers: fixed well-known records plus seeded filler.

Everything derives from ``--seed`` so a test can name a customer it saw yesterday, and the data
deliberately exercises what breaks dashboards: nulls, non-ASCII names, archived records,
over-limit and negative balances, several time-zone spellings, and 0-4 documents per customer.
"""

from __future__ import annotations

import random
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sandbox.documents import CSV_MIME, PDF_MIME, Document, build_csv, build_pdf

DEMO_PARTNER_UUID = "7d3c5e1a-2b4f-4c6d-8e9f-0a1b2c3d4e5f"
DEMO_API_KEY = "thredfi_sandbox_demo_key_2f8a6c1e9b4d"

BUSINESS_GBP = "3f2b8c1e-6a4d-4f7e-9b2a-1c5d8e7f6a01"
BUSINESS_EUR = "3f2b8c1e-6a4d-4f7e-9b2a-1c5d8e7f6a02"
BUSINESS_USD = "3f2b8c1e-6a4d-4f7e-9b2a-1c5d8e7f6a03"

DEMO_CUSTOMER_ID = "5b9e2d4c-8a1f-4e3b-9c7d-6f0a2b4c8e11"
# Two more fixed GBP customers for shapes real answers take: only an individual's name (no
# display_name at all), and a lifecycle status other than ACTIVE/ARCHIVED.
INDIVIDUAL_ONLY_CUSTOMER_ID = "5b9e2d4c-8a1f-4e3b-9c7d-6f0a2b4c8e12"
INDIVIDUAL_ONLY_NAME = "Priya Raman"
PENDING_CUSTOMER_ID = "5b9e2d4c-8a1f-4e3b-9c7d-6f0a2b4c8e13"
PENDING_NAME = "Larkspur Florists Ltd"
DEMO_INVOICE_DOCUMENT_ID = "9d1e4b7a-3c2f-4a6e-8b1d-2f0c5a7e9b01"
DEMO_STATEMENT_DOCUMENT_ID = "9d1e4b7a-3c2f-4a6e-8b1d-2f0c5a7e9b02"

# How many seeded customers each business gets besides the fixed ones (~300 in all).
CUSTOMERS_PER_BUSINESS = {BUSINESS_GBP: 120, BUSINESS_EUR: 100, BUSINESS_USD: 80}

# The big partner: a second partner with tens of thousands of generated businesses (see
# sandbox/big_partner.py). Its size comes from --big-partner-businesses.
BIG_PARTNER_UUID = "9c4e2a7b-5d1f-4e3a-8b6c-2f0a1d3e5b7c"
BIG_API_KEY = "thredfi_sandbox_big_key_7e3b9d1a5c2f"
BIG_PARTNER_DEFAULT_BUSINESSES = 25_000
# Its one well-known business, at a fixed index (or last, in a directory of 12,345 or fewer).
BIG_ZEPHYR_NAME = "Zephyr Quarry Ltd"
BIG_ZEPHYR_BUSINESS_ID = "5e7a1c2b-3d45-4f6a-8b9c-0d1e2f312345"
BIG_ZEPHYR_INDEX = 12_345


@dataclass(frozen=True, slots=True)
class Business:
    id: str
    legal_name: str
    country: str
    currency: str
    entity_type: str
    is_active: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "legal_name": self.legal_name,
            "country": self.country,
            "currency": self.currency,
            "entity_type": self.entity_type,
            "is_active": self.is_active,
        }


BUSINESSES: dict[str, Business] = {
    BUSINESS_GBP: Business(BUSINESS_GBP, "Harbour & Finch Ltd", "GB", "GBP", "limited_company"),
    BUSINESS_EUR: Business(BUSINESS_EUR, "Müller Holzbau GmbH", "DE", "EUR", "gmbh"),
    BUSINESS_USD: Business(BUSINESS_USD, "Bluebird Supply Co.", "US", "USD", "llc"),
}


@dataclass(slots=True)
class DemoData:
    """Customers are plain dicts in Customer-schema field order, *without* ``documents``."""

    businesses: dict[str, Business]
    customers: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    customer_documents: dict[str, list[Document]] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)

    def add(self, business_id: str, customer: dict[str, Any], docs: list[Document]) -> None:
        self.customers.setdefault(business_id, {})[customer["id"]] = customer
        self.customer_documents[customer["id"]] = docs
        for doc in docs:
            self.documents[doc.document_id] = doc


# --- address / name material per region -------------------------------------------------------
# fmt: off
_GB_FIRST = ["Oliver", "Amelia", "Zoë", "Harry", "Isla", "George", "Priya", "Mohammed", "Siobhán",
             "Rhys", "Chloë", "Tomasz", "Aoife", "Kwame", "Fatima", "Eleanor", "Callum", "Niamh"]
_GB_LAST = ["Smith", "Patel", "Jones", "O'Brien", "Nowak", "Williams", "Brown", "Taylor", "Davies",
            "Evans", "Khan", "MacLeod", "Ó Súilleabháin", "Wright", "Okonkwo", "Hughes"]
_GB_WORDS = ["Harbour", "Thistle", "Kestrel", "Bramble", "Copper", "Foxglove", "Anchor",
             "Meridian", "Ivy", "Granite", "Saltmarsh", "Lark", "Orchard", "Beacon"]
_GB_TRADES = ["Bakery", "Joinery", "Logistics", "Interiors", "Print Works", "Coffee Roasters",
              "Studio", "Consulting", "Plumbing & Heating", "Electrical", "Catering", "Builders"]
_GB_SUFFIX = ["Ltd", "Limited", "LLP", "& Sons Ltd", "Ltd"]
_GB_PLACES = [("London", "Greater London", "EC1V"), ("London", "Greater London", "SE1"),
              ("Manchester", "Greater Manchester", "M4"), ("Bristol", "City of Bristol", "BS1"),
              ("Leeds", "West Yorkshire", "LS2"), ("Edinburgh", None, "EH1"),
              ("Cardiff", "South Glamorgan", "CF10"), ("Belfast", "County Antrim", "BT1"),
              ("Glasgow", None, "G2"), ("York", "North Yorkshire", "YO1")]
_GB_STREETS = ["High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane",
               "King's Road", "Queen Street", "Wharf Road", "Market Place", "Bridge Street"]

_EU_FIRST = ["Jürgen", "Šimon", "Zoë", "Søren", "Amélie", "Lukas", "Anna", "José", "Małgorzata",
             "Chiara", "Björn", "Françoise", "Jiří", "Inès", "Sinéad", "Matthias"]
_EU_LAST = ["Weiß", "Dvořák", "Ørsted", "Dubois", "Müller", "Nowak", "García", "Rossi",
            "Schröder", "Lefèvre", "van der Berg", "Kovač", "Jørgensen", "Fernández"]
_EU_COMPANIES = ["Ørsted Consulting ApS", "Bäckerei Schröder GmbH", "Dvořák Strojírny s.r.o.",
                 "Atelier Lefèvre SARL", "Van der Berg B.V.", "García y Hijos S.L.",
                 "Café Central GmbH", "Schneider & Söhne KG", "Nordlicht Design GmbH",
                 "Holzhandel Weiß e.K.", "Brasserie Étoile SAS", "Jørgensen Tømrer A/S",
                 "Zimmerei Alpenblick GmbH", "Tischlerei Kühn GmbH", "Ferretti Arredamenti S.r.l."]
# (country, city, region, postcode, street, VAT prefix, VAT digits)
_EU_PLACES = [("DE", "Berlin", "Berlin", "10115", "Friedrichstraße", "DE", 9),
              ("DE", "München", "Bayern", "80331", "Leopoldstraße", "DE", 9),
              ("DE", "Köln", "Nordrhein-Westfalen", "50667", "Hohe Straße", "DE", 9),
              ("AT", "Wien", None, "1010", "Kärntner Straße", "ATU", 8),
              ("FR", "Paris", "Île-de-France", "75011", "Rue de la Roquette", "FR", 11),
              ("NL", "Amsterdam", "Noord-Holland", "1012 AB", "Damrak", "NL", 9),
              ("CZ", "Praha", None, "110 00", "Národní", "CZ", 8),
              ("DK", "København", None, "1050", "Østergade", "DK", 8),
              ("ES", "Madrid", "Comunidad de Madrid", "28013", "Calle Mayor", "ES", 9),
              ("IT", "Milano", "Lombardia", "20121", "Via Torino", "IT", 11)]

_US_FIRST = ["James", "Maria", "太郎", "Emily", "DeShawn", "José", "Hannah", "Wei", "Olivia",
             "Nguyễn", "Ethan", "Aaliyah", "Noah", "Sofía"]
_US_LAST = ["Johnson", "Garcia", "山田", "Miller", "Washington", "Nguyen", "Kim", "O'Connor",
            "Rodriguez", "Chen", "Brooks", "Martínez"]
_US_WORDS = ["Bluebird", "Redwood", "Lone Star", "Liberty", "Summit", "Prairie", "Harbor",
             "Golden Gate", "Cascade", "Magnolia", "Evergreen", "Riverbend"]
_US_TRADES = ["Supply", "Hardware", "Provisions", "Outfitters", "Distributors", "Builders",
              "Coffee Co.", "Millwork", "Fabrication", "Logistics"]
_US_SUFFIX = ["Inc.", "LLC", "Co.", "Corp.", "LLC"]
_US_PLACES = [("New York", "NY", "10001"), ("San Francisco", "CA", "94103"),
              ("Austin", "TX", "78701"), ("Chicago", "IL", "60601"), ("Seattle", "WA", "98101"),
              ("Boston", "MA", "02108"), ("Denver", "CO", "80202"), ("Honolulu", "HI", "96813")]
_US_STREETS = ["Main Street", "Market Street", "Broadway", "Elm Street", "5th Avenue",
               "Mission Street", "Congress Avenue", "Pike Street"]

_TAGS = ["wholesale", "retail", "priority", "net-30", "export", "key-account", "late-payer",
         "vip", "construction", "hospitality", "Ärzte", "b2b"]
_NOTES = ["Prefers statements by email.", "Call before chasing — key account.",
          "Disputed invoice INV-2023-0198 resolved in March.", "PO number required on invoices.",
          "Ship to the rear entrance.\nSecond line of the note, after a line break.",
          "Bezahlt immer pünktlich.", "Owner: 山田さん — speaks English and Japanese."]
_OWNERS = ["Sam Reid", "Jana Nováková", "Luca Bianchi", "Grace Lee", "Tobias Krüger"]
# fmt: on


def _uuid4(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded.lower() if ch.isalnum()) or "contact"


def _timestamp(moment: datetime, style: int) -> str:
    """Thredfi emits both ``Z`` and explicit offsets; clients must parse all of them."""
    if style == 0:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == 1:
        return moment.isoformat(timespec="microseconds")
    local = moment.astimezone(timezone(timedelta(hours=1 + style % 2)))
    return local.isoformat(timespec="seconds")


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _addresses(full: list[str | None], single: list[str | None]) -> tuple[str | None, str | None]:
    lines = [part for part in full if part]
    parts = [part for part in single if part]
    return ("\n".join(lines) or None), (", ".join(parts) or None)


def _gb_place(rng: random.Random) -> dict[str, Any]:
    city, county, outward = rng.choice(_GB_PLACES)
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    inward = f"{rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    return {
        "address_line1": f"{rng.randint(1, 240)} {rng.choice(_GB_STREETS)}",
        "address_line2": rng.choice([None, None, f"Unit {rng.randint(1, 30)}", "Floor 2"]),
        "city": city,
        "state_county": county,
        "postal_code": f"{outward} {inward}",
        "country": "GB",
        "vat_number": rng.choice([None, f"GB{_digits(rng, 9)}", f"GB{_digits(rng, 9)}"]),
        "mobile_phone": rng.choice([None, f"+44 7700 9{_digits(rng, 5)}"]),
        "office_phone": rng.choice([None, f"+44 20 7946 0{_digits(rng, 3)}"]),
    }


def _eu_place(rng: random.Random) -> dict[str, Any]:
    country, city, region, postcode, street, vat_prefix, vat_digits = rng.choice(_EU_PLACES)
    return {
        "address_line1": f"{street} {rng.randint(1, 180)}",
        "address_line2": rng.choice([None, None, "Hinterhaus", "3. OG", "Bâtiment B"]),
        "city": city,
        "state_county": region,
        "postal_code": postcode,
        "country": country,
        "vat_number": rng.choice([None, f"{vat_prefix}{_digits(rng, vat_digits)}"]),
        "mobile_phone": rng.choice([None, f"+49 151 {_digits(rng, 8)}"]),
        "office_phone": rng.choice([None, f"+49 30 {_digits(rng, 7)}"]),
    }


def _us_place(rng: random.Random) -> dict[str, Any]:
    city, state, zip_code = rng.choice(_US_PLACES)
    return {
        "address_line1": f"{rng.randint(10, 9800)} {rng.choice(_US_STREETS)}",
        "address_line2": rng.choice([None, None, f"Suite {rng.randint(100, 900)}", "Apt 4B"]),
        "city": city,
        "state_county": state,
        "postal_code": zip_code,
        "country": "US",
        "vat_number": None,
        "mobile_phone": rng.choice([None, f"+1 415-555-0{_digits(rng, 3)}"]),
        "office_phone": rng.choice([None, f"+1 212-555-0{_digits(rng, 3)}"]),
    }


def _names(rng: random.Random, business: Business) -> tuple[str | None, str | None]:
    """(individual_name, company_name): companies, individuals, and some with both.

    GBP and USD businesses get British and American customers; every other currency (the big
    partner's CHF, PLN, JPY, ... businesses too) gets the continental European mix.
    """
    if business.currency == "GBP":
        person = f"{rng.choice(_GB_FIRST)} {rng.choice(_GB_LAST)}"
        company = f"{rng.choice(_GB_WORDS)} {rng.choice(_GB_TRADES)} {rng.choice(_GB_SUFFIX)}"
    elif business.currency != "USD":
        person = f"{rng.choice(_EU_FIRST)} {rng.choice(_EU_LAST)}"
        company = rng.choice(_EU_COMPANIES)
    else:
        first, last = rng.choice(_US_FIRST), rng.choice(_US_LAST)
        person = f"{last} {first}" if last == "山田" else f"{first} {last}"
        company = f"{rng.choice(_US_WORDS)} {rng.choice(_US_TRADES)} {rng.choice(_US_SUFFIX)}"
    kind = rng.random()
    if kind < 0.45:
        return None, company
    if kind < 0.70:
        return person, None
    return person, company


def _money(rng: random.Random) -> tuple[int | None, int]:
    """(credit limit, outstanding balance) covering zero, normal, over-limit and in-credit."""
    limit = rng.choice([None, 100000, 250000, 500000, 500000, 1000000, 2500000])
    draw = rng.random()
    if draw < 0.2:
        balance = 0
    elif draw < 0.25:
        balance = -rng.randint(100, 50000)
    elif draw < 0.40 and limit is not None:
        balance = limit + rng.randint(1, limit // 2)
    else:
        balance = rng.randint(1, limit or 300000)
    return limit, balance


def _metadata(rng: random.Random, reference: str) -> dict[str, Any] | None:
    roll = rng.random()
    if roll < 0.1:
        return None
    if roll < 0.25:
        return {}
    return {
        "crm": {
            "account_owner": rng.choice(_OWNERS),
            "ids": {"hubspot": _digits(rng, 8), "legacy": reference.lower()},
            "segments": rng.sample(["smb", "enterprise", "public-sector", "eu", "trade"], 2),
        },
        "risk": {"score": round(rng.random(), 2), "reviewed": rng.random() < 0.5},
    }


def _documents(rng: random.Random, customer: dict[str, Any], currency: str) -> list[Document]:
    docs: list[Document] = []
    name = customer["display_name"] or "Customer"
    for _ in range(rng.choice([0, 0, 1, 1, 2, 2, 3, 4])):
        kind = rng.random()
        year = rng.choice([2023, 2024])
        number = rng.randint(1, 999)
        if kind < 0.55:
            prefix = "Rechnung RE" if currency == "EUR" else "INV"
            title = f"Invoice {prefix.split()[-1]}-{year}-{number:04d}"
            amount = rng.randint(1000, 500000)
            lines = [f"Bill to: {name}", f"Reference: {customer['reference_number']}"]
            lines += [
                f"Item {i + 1}: services rendered  {currency} {rng.randint(10, 2000)}.00"
                for i in range(rng.randint(1, 8))
            ]
            lines.append(f"Total due: {currency} {amount / 100:.2f}")
            content = build_pdf(title, lines)
            docs.append(
                Document(_uuid4(rng), f"{prefix}-{year}-{number:04d}.pdf", PDF_MIME, content)
            )
        elif kind < 0.75:
            title = f"Credit note CN-{year}-{number:04d}"
            content = build_pdf(title, [f"Customer: {name}", "Reason: returned goods"])
            docs.append(Document(_uuid4(rng), f"CN-{year}-{number:04d}.pdf", PDF_MIME, content))
        else:
            month = rng.randint(1, 12)
            rows = []
            balance = 0
            for day in range(1, rng.randint(3, 15)):
                amount = rng.randint(-20000, 80000)
                balance += amount
                rows.append(
                    [
                        f"{year}-{month:02d}-{day:02d}",
                        f"INV-{year}-{number + day:04d}",
                        "Payment received" if amount < 0 else "Invoice",
                        f"{amount / 100:.2f}",
                        f"{balance / 100:.2f}",
                    ]
                )
            content = build_csv(["date", "reference", "description", "amount", "balance"], rows)
            docs.append(
                Document(_uuid4(rng), f"statement-{year}-{month:02d}.csv", CSV_MIME, content)
            )
    return docs


def make_customer(
    rng: random.Random, business: Business, reference: str, customer_id: str | None = None
) -> tuple[dict[str, Any], list[Document]]:
    """One plausible customer of ``business``; also used for fault IDs that answer normally."""
    customer_id = customer_id or _uuid4(rng)
    individual, company = _names(rng, business)
    place = {"GBP": _gb_place, "USD": _us_place}.get(business.currency, _eu_place)(rng)
    display = company or individual
    email = None
    if rng.random() > 0.05:
        domain = _slug(company or "mail") + ".example"
        email = f"{_slug(individual or 'accounts')}@{domain}"
    limit, balance = _money(rng)
    created = datetime(2019, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randint(0, 180_000_000))
    updated = created + timedelta(seconds=rng.randint(0, 20_000_000))
    archived = rng.random() < 0.12
    archived_at = updated + timedelta(hours=rng.randint(1, 72)) if archived else None
    full_address, address_string = _addresses(
        [
            place["address_line1"],
            place["address_line2"],
            place["city"],
            " ".join(p for p in (place["state_county"], place["postal_code"]) if p),
            place["country"],
        ],
        [
            place["address_line1"],
            place["address_line2"],
            place["city"],
            place["state_county"],
            place["postal_code"],
            place["country"],
        ],
    )
    customer = {
        "type": "CustomerData",
        "id": customer_id,
        "external_id": rng.choice([None, f"crm-{_digits(rng, 6)}", f"hs-{_digits(rng, 8)}"]),
        "reference_number": reference,
        "individual_name": individual,
        "company_name": company,
        "display_name": display,
        "email": email,
        "mobile_phone": place["mobile_phone"],
        "office_phone": place["office_phone"],
        "address_line1": place["address_line1"],
        "address_line2": place["address_line2"],
        "city": place["city"],
        "state_county": place["state_county"],
        "postal_code": place["postal_code"],
        "country": place["country"],
        "full_address": full_address,
        "address_string": address_string,
        "vat_number": place["vat_number"],
        "tax_exempt": rng.random() < 0.1,
        "status": "ARCHIVED" if archived else "ACTIVE",
        "is_active": not archived,
        "is_archived": archived,
        "transaction_tags": rng.sample(_TAGS, rng.randint(0, 3)),
        "notes": rng.choice([None, None, *_NOTES]),
        "metadata": _metadata(rng, reference),
        "payment_terms_days": rng.choice([None, 0, 7, 14, 30, 30, 30, 45, 60, 90]),
        "credit_limit": limit,
        "credit_limit_cents": limit,
        "outstanding_balance": balance,
        "created_at": _timestamp(created, rng.randint(0, 3)),
        "updated_at": _timestamp(updated, rng.randint(0, 3)),
        "archived_at": _timestamp(archived_at, rng.randint(0, 3)) if archived_at else None,
    }
    return customer, _documents(rng, customer, business.currency)


def demo_customer() -> tuple[dict[str, Any], list[Document]]:
    """Cobalt Kitchens: the record the README, the demo and many tests point at."""
    customer = {
        "type": "CustomerData",
        "id": DEMO_CUSTOMER_ID,
        "external_id": "crm-0001",
        "reference_number": "CUST-0001",
        "individual_name": "Ada Okafor",
        "company_name": "Cobalt Kitchens Ltd",
        "display_name": "Cobalt Kitchens Ltd",
        "email": "ada@cobaltkitchens.example",
        "mobile_phone": "+44 7700 900123",
        "office_phone": "+44 20 7946 0958",
        "address_line1": "14 Wharf Road",
        "address_line2": "Unit 3, Cobalt Yard",
        "city": "London",
        "state_county": "Greater London",
        "postal_code": "N1 7GR",
        "country": "GB",
        "full_address": "14 Wharf Road\nUnit 3, Cobalt Yard\nLondon\nGreater London N1 7GR\nGB",
        "address_string": "14 Wharf Road, Unit 3, Cobalt Yard, London, Greater London, N1 7GR, GB",
        "vat_number": "GB123456789",
        "tax_exempt": False,
        "status": "ACTIVE",
        "is_active": True,
        "is_archived": False,
        "transaction_tags": ["wholesale", "priority"],
        "notes": "Prefers statements by email.\nCall Ada before chasing — key account.",
        "metadata": {
            "crm": {
                "account_owner": "Sam Reid",
                "segment": "hospitality",
                "ids": {"hubspot": "48213377", "salesforce": "0015g00000XyZAbC"},
            },
            "onboarding": {"completed": True, "steps": ["kyc", "bank_details", "first_invoice"]},
        },
        "payment_terms_days": 30,
        "credit_limit": 500000,
        "credit_limit_cents": 500000,
        "outstanding_balance": 123456,
        "created_at": "2021-03-15T09:30:00Z",
        "updated_at": "2024-11-02T14:05:12.345678+00:00",
        "archived_at": None,
    }
    invoice = build_pdf(
        "Invoice INV-2024-0042",
        [
            "Harbour & Finch Ltd",
            "Bill to: Cobalt Kitchens Ltd (Ada Okafor)",
            "Reference: CUST-0001",
            "Item 1: Oak worktops x 4  GBP 820.00",
            "Item 2: Installation  GBP 414.56",
            "Total due: GBP 1234.56  (Net 30)",
        ],
    )
    statement = build_csv(
        ["date", "reference", "description", "amount", "balance"],
        [
            ["2024-03-01", "INV-2024-0031", "Invoice", "450.00", "450.00"],
            ["2024-03-12", "PAY-2024-0107", "Payment received", "-450.00", "0.00"],
            ["2024-03-28", "INV-2024-0042", "Invoice", "1234.56", "1234.56"],
        ],
    )
    docs = [
        Document(DEMO_INVOICE_DOCUMENT_ID, "INV-2024-0042.pdf", PDF_MIME, invoice),
        Document(DEMO_STATEMENT_DOCUMENT_ID, "statement-2024-03.csv", CSV_MIME, statement),
    ]
    return customer, docs


# Fixed records that guarantee the awkward cases exist whatever the seed draws.
_FEATURED: dict[str, list[dict[str, Any]]] = {
    BUSINESS_GBP: [
        {"individual_name": "Zoë Ó Súilleabháin", "company_name": None},
        {"individual_name": None, "company_name": "Kestrel Print Works Ltd", "status": "ARCHIVED"},
    ],
    BUSINESS_EUR: [
        {"individual_name": "Šimon Dvořák", "company_name": "Ørsted Consulting ApS"},
        {"individual_name": "Jürgen Weiß", "company_name": None},
    ],
    BUSINESS_USD: [
        {"individual_name": "山田 太郎", "company_name": "Yamada Trading LLC"},
    ],
}


def _feature(customer: dict[str, Any], overrides: dict[str, Any]) -> None:
    customer.update({k: v for k, v in overrides.items() if k != "status"})
    customer["display_name"] = customer["company_name"] or customer["individual_name"]
    domain = _slug(customer["company_name"] or "mail") + ".example"
    customer["email"] = f"{_slug(customer['individual_name'] or 'accounts')}@{domain}"
    if overrides.get("status") == "ARCHIVED" and customer["status"] != "ARCHIVED":
        customer.update(status="ARCHIVED", is_active=False, is_archived=True)
        customer["archived_at"] = customer["updated_at"]


_REFERENCE_FORMATS = {
    BUSINESS_GBP: "CUST-{:04d}",
    BUSINESS_EUR: "KD-{:05d}",
    BUSINESS_USD: "C-{:04d}",
}
_REFERENCE_START = {BUSINESS_GBP: 2, BUSINESS_EUR: 10001, BUSINESS_USD: 5001}


def build_demo_data(seed: int) -> DemoData:
    """All businesses' customers; deterministic for a given seed, ~20 ms to build."""
    rng = random.Random(seed)
    data = DemoData(businesses=dict(BUSINESSES))
    customer, docs = demo_customer()
    data.add(BUSINESS_GBP, customer, docs)
    for business_id, count in CUSTOMERS_PER_BUSINESS.items():
        business = BUSINESSES[business_id]
        featured = _FEATURED[business_id]
        for index in range(count):
            reference = _REFERENCE_FORMATS[business_id].format(
                _REFERENCE_START[business_id] + index
            )
            customer, docs = make_customer(rng, business, reference)
            if index < len(featured):
                _feature(customer, featured[index])
            data.add(business_id, customer, docs)
    for customer, docs in _odd_shapes(rng):
        data.add(BUSINESS_GBP, customer, docs)
    return data


def _odd_shapes(rng: random.Random) -> list[tuple[dict[str, Any], list[Document]]]:
    """The individual-only and PENDING customers, made after the seeded ones (which stay put)."""
    business = BUSINESSES[BUSINESS_GBP]
    individual, individual_docs = make_customer(
        rng, business, "CUST-9001", customer_id=INDIVIDUAL_ONLY_CUSTOMER_ID
    )
    individual.update(
        individual_name=INDIVIDUAL_ONLY_NAME,
        company_name=None,
        display_name=None,
        email="priya.raman@example.com",
    )
    pending, pending_docs = make_customer(
        rng, business, "CUST-9002", customer_id=PENDING_CUSTOMER_ID
    )
    pending.update(
        company_name=PENDING_NAME,
        display_name=PENDING_NAME,
        status="PENDING",
        is_active=False,
        is_archived=False,
        archived_at=None,
    )
    return [(individual, individual_docs), (pending, pending_docs)]

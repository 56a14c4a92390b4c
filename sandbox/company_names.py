"""Realistic, varied, unique business names for the big demo partner, drawn country by country.

A partner with tens of thousands of businesses is where a dashboard's business picker, search and
sorting break, and they only break on data that looks real: accents and non-Latin scripts in a
fair share (Ø, Ł, ü, ã, 漢字), legal suffixes that belong to the country ("sp. z o.o.", "ApS",
"Ltda", "株式会社"), currencies that are not GBP/EUR/USD, and near-duplicates ("Kestrel Joinery Ltd"
next to "Kestrel Joinery Holdings Ltd"). Each country has its own word lists and name patterns;
:class:`NameGenerator` draws from them with one seeded RNG and guarantees uniqueness.

"Zephyr" appears in no list, so the directory's one well-known name (see :mod:`sandbox.demo`)
can never be drawn by chance.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass
from typing import TypeVar


@dataclass(frozen=True, slots=True)
class Country:
    """Name material for one country; list repetition is how weights are expressed."""

    code: str  # ISO 3166-1 alpha-2
    currency: str  # ISO 4217
    weight: int  # share of the directory, in percent
    suffixes: tuple[tuple[str, str], ...]  # (legal suffix, entity_type); "" = no suffix
    # {w} word, {t} trade, {s}/{s2} surnames, {c} city, {m} modifier, {sfx} suffix. The first
    # pattern must be the one with the most combinations: retries after a duplicate use it.
    patterns: tuple[str, ...]
    words: tuple[str, ...]
    trades: tuple[str, ...]
    surnames: tuple[str, ...]
    cities: tuple[str, ...]
    modifiers: tuple[str, ...]


# fmt: off
_EN_WORDS = (
    "Kestrel", "Bramble", "Copper", "Foxglove", "Anchor", "Meridian", "Granite", "Saltmarsh",
    "Lark", "Orchard", "Beacon", "Thistle", "Oakwood", "Riverside", "Northgate", "Highfield",
    "Ashford", "Blackthorn", "Silver Birch", "Fernhill", "Redwood", "Summit", "Cobalt", "Juniper",
    "Hawthorn", "Ironbridge", "Millstone", "Westbrook", "Kingfisher", "Larkspur", "Moorland",
    "Pennine", "Quayside", "Rowan", "Sandstone", "Tidewater", "Wildflower", "Yarrow", "Aldgate",
    "Brightwater", "Clearwater", "Driftwood", "Goldcrest", "Heron", "Lantern", "Marlow", "Osprey",
    "Pebble", "Quill", "Stonebridge", "Thornbury", "Willow", "Bluebell", "Chalkhill", "Dovecote",
)
# English place-like compounds ("Ashford", "Kingsbridge", "Stonehurst") multiply the words by
# ~10: the English-speaking countries are over a third of the directory and must stay unique.
_EN_ROOTS = (
    "Ash", "Black", "Bright", "Brook", "Cold", "Elm", "Fair", "Fern", "Green", "Hazel", "Holly",
    "Kings", "Lark", "Mill", "Moor", "North", "Oak", "Red", "Rose", "Silver", "Stan", "Stone",
    "Thorn", "West", "White", "Wind", "Wood", "Wren", "Bram", "Hart", "Ravens", "Swan", "Long",
    "Mere", "Castle", "High",
)
_EN_ENDINGS = (
    "field", "gate", "brook", "wood", "ford", "ley", "more", "bridge", "well", "dale", "hurst",
    "wick", "combe", "stead", "ton", "bury",
)
_EN_WORDS += tuple(root + ending for root in _EN_ROOTS for ending in _EN_ENDINGS)
_EN_TRADES = (
    "Bakery", "Joinery", "Logistics", "Interiors", "Print Works", "Coffee Roasters", "Studio",
    "Consulting", "Plumbing & Heating", "Electrical", "Catering", "Builders", "Quarry",
    "Landscaping", "Dental Care", "Veterinary Practice", "Accountants", "Architects", "Brewing",
    "Distillery", "Florists", "Garage", "Haulage", "Kitchens", "Lettings", "Motors", "Opticians",
    "Pharmacy", "Roofing", "Scaffolding", "Tiling", "Upholstery", "Windows", "Cleaning Services",
    "Engineering", "Fabrications", "Farm Supplies", "Hardware", "Textiles", "Media", "Software",
    "Recruitment", "Training", "Design", "Removals", "Storage", "Security", "Flooring", "Glazing",
    "Marine", "Trading", "Foods", "Analytics", "Care Homes",
)
_EN_MODIFIERS = ("Holdings", "Group", "Services", "International", "Partners", "Solutions")
_EN_PATTERNS = (
    "{w} {t}{m} {sfx}", "{w} {t}{m} {sfx}", "{w} {t} {sfx}", "{s} {t}{m} {sfx}", "{s} {t} {sfx}",
    "{s} & {s2} {sfx}", "{c} {t}{m} {sfx}", "{w} & {s} {sfx}",
)

_DE_WORDS = (
    "Alpenblick", "Nordlicht", "Sonnenhof", "Bergkristall", "Edelweiß", "Lindenhof", "Rheinblick",
    "Tannenberg", "Waldrand", "Morgenrot", "Seeblick", "Eichenhain", "Falkenstein", "Löwenzahn",
    "Mühlbach", "Schwarzwald", "Silberstreif", "Sternwarte", "Weißdorn", "Grünwald", "Hafenkante",
    "Kornblume", "Ostwind", "Fichtelberg", "Brückenhof", "Auenland", "Dreiländereck", "Nordsee",
    "Rosengarten", "Kranich", "Sonnenschein", "Birkenweg", "Elbufer", "Heidekraut", "Hochwald",
    "Kirschblüte", "Lerchenfeld", "Mondschein", "Neckartal", "Rotdorn", "Spreewald", "Taunus",
    "Wiesengrund", "Zugspitze", "Bodensee", "Eisvogel", "Glückauf",
)
_DE_ROOTS = (
    "Sonnen", "Linden", "Eichen", "Tannen", "Berg", "Wald", "Rosen", "Birken", "Stein", "Mühl",
    "Wiesen", "Falken", "Adler", "Buchen", "Erlen", "Kirsch", "Apfel", "Hasel", "Schwanen",
    "Lerchen",
)
_DE_ENDINGS = ("hof", "berg", "tal", "feld", "bach", "au", "grund", "hain", "brunn", "heim", "eck")
_DE_WORDS += tuple(root + ending for root in _DE_ROOTS for ending in _DE_ENDINGS)
_DE_TRADES = (
    "Holzbau", "Immobilien", "Logistik", "Metallbau", "Elektrotechnik", "Gebäudereinigung",
    "Zimmerei", "Tischlerei", "Bäckerei", "Brauerei", "Druckerei", "Gärtnerei", "Sanitärtechnik",
    "Dachdeckerei", "Steuerberatung", "Maschinenbau", "Feinkost", "Uhren", "Spedition",
    "Werkzeugbau", "Fliesenbau", "Malerbetrieb", "Autohaus", "Optik", "Kältetechnik",
    "Textilhandel", "Software", "Messtechnik", "Verpackungen", "Schlosserei", "Käserei",
    "Getränkehandel", "Heizungsbau", "Fahrradladen", "Bauunternehmung", "Umzüge", "Fensterbau",
    "Tiefbau", "Naturkost", "Weinhandel", "Reisebüro", "Hausverwaltung", "Kfz-Technik",
)
_DE_MODIFIERS = ("Holding", "Gruppe", "Service", "International", "& Partner", "& Söhne")
_DE_PATTERNS = (
    "{w} {t}{m} {sfx}", "{w} {t} {sfx}", "{s} {t}{m} {sfx}", "{t} {s} {sfx}", "{s} & {s2} {sfx}",
    "{c} {t}{m} {sfx}", "{t} {w} {sfx}",
)
_DE_SURNAMES = (
    "Müller", "Schröder", "Weiß", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
    "Becker", "Schäfer", "Koch", "Bauer", "Krüger", "Hoffmann", "Köhler", "Lange", "Brandt", "Groß",
    "Jäger", "Kühn", "Vogel", "Böhm", "Hübner", "Seidel", "Roßmann", "Özdemir", "Nowak",
    "Zimmermann", "Hartmann", "Schulze", "Scholz", "Möller", "Weiß-Hagedorn", "Günther", "Frank",
)

_FR_WORDS = (
    "Lumière", "Étoile", "Bel Air", "Soleil", "Horizon", "Arc-en-Ciel", "Clair de Lune", "Rivière",
    "Montagne", "Océan", "Belle Époque", "Colombe", "Mistral", "Olivier", "Lavande", "Forêt",
    "Château", "Hirondelle", "Pâquerette", "Mésange", "Cèdre", "Châtaigne", "Aurore", "Émeraude",
    "Tournesol", "Marée", "Perle", "Églantine",
)
_FR_TRADES = (
    "Café", "Boulangerie", "Atelier", "Pâtisserie", "Brasserie", "Menuiserie", "Librairie",
    "Fromagerie", "Imprimerie", "Quincaillerie", "Transports", "Électricité", "Plomberie",
    "Conseil", "Immobilier", "Cabinet", "Garage", "Boucherie", "Épicerie", "Charpente",
    "Maçonnerie", "Couture", "Galerie", "Pharmacie", "Caves", "Jardins", "Ébénisterie",
)
_FR_SURNAMES = (
    "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Rousseau", "Bonnet", "Dupont", "Lambert",
    "Fontaine", "Chevalier", "Lemaître", "Bélanger", "Fournier", "Gauthier", "Mercier", "Barbier",
    "Séguin", "Noël", "Hébert", "Benoît", "Ménard", "Kaddour", "Nguyễn",
)
_FR_MODIFIERS = ("& Associés", "et Fils", "Services", "International", "Groupe")
_FR_PATTERNS = (
    "{t} {w}{m} {sfx}", "{t} {w} {sfx}", "{t} {s}{m} {sfx}", "{s} et {s2} {sfx}",
    "{t} de {c} {sfx}", "{w} {t} {sfx}",
)

_NL_WORDS = (
    "Zonnebloem", "Noorderlicht", "Dijkzicht", "Molenwiek", "Tulp", "Waterkant", "Zeewind",
    "IJsselvogel", "Polder", "Duinroos", "Grachtzicht", "Heideveld", "Oranje", "Vlinder",
    "Lindeboom", "Kievit", "Scheldezicht", "Wadden", "Zeester", "Reiger", "Eikenhof", "Zilvermeeuw",
    "Klaproos", "Ooievaar", "Zandloper", "Windroos",
)
_NL_TRADES = (
    "Bouw", "Logistiek", "Installatie", "Bakkerij", "Schilders", "Techniek", "Advies", "Vastgoed",
    "Handel", "Metaal", "Tuinen", "Software", "Zorg", "Verhuur", "Groothandel", "Transport",
    "Drukkerij", "Koffiebranderij", "Fietsen", "Kaashandel", "Timmerwerken", "Dakwerken",
    "Schoonmaak", "Hoveniers", "Makelaardij", "Loodgieters", "Elektro", "Bloemen",
)
_NL_SURNAMES = (
    "de Vries", "van der Berg", "Jansen", "de Jong", "Bakker", "Visser", "Smit", "Meijer",
    "van Dijk", "Mulder", "de Boer", "Bos", "Vermeulen", "van Leeuwen", "Dekker", "Çelik",
    "van 't Hof", "Brouwer", "Hendriks", "van den Broek", "Kuipers", "Postma",
    "Yılmaz",  # noqa: RUF001 - a Turkish surname: the dotless i is the point
)

_ES_WORDS = (
    "Sol", "Mar", "Luna", "Olivo", "Castillo", "Brisa", "Almendro", "Ibérica", "Peñón",
    "Albufera", "Girasol", "Montaña", "Ribera", "Estrella", "Azahar", "Alborada", "Cigüeña",
    "Encina", "Nogal", "Amanecer", "Atalaya", "Levante", "Marisma", "Pinar", "Dehesa", "Vendaval",
    "Alhambra", "Mirador",
)
_ES_TRADES = (
    "Panadería", "Construcciones", "Transportes", "Talleres", "Distribuciones", "Asesoría",
    "Carpintería", "Inmobiliaria", "Cerámica", "Bodegas", "Aceites", "Muebles", "Reformas",
    "Electricidad", "Fontanería", "Hostelería", "Consultoría", "Imprenta", "Conservas",
    "Jardinería", "Librería", "Ferretería", "Pastelería", "Climatización", "Mudanzas",
    "Cristalería", "Instalaciones",
)
_ES_SURNAMES = (
    "García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Muñoz", "Díaz",
    "Álvarez", "Romero", "Navarro", "Ibáñez", "Castaño", "Núñez", "Peña", "Ortega", "Rubio",
    "Jiménez", "Domínguez", "Vázquez", "Serrano", "Gutiérrez", "Muñiz", "Calderón",
)

_IT_WORDS = (
    "Aurora", "Stella", "Fiore", "Sole", "Vento", "Colle", "Lago", "Oliveto", "Vigneto",
    "Girasole", "Monte", "Riva", "Aquila", "Cielo", "Levante", "Tramontana", "Ginestra", "Ulivo",
    "Alba", "Castello", "Corallo", "Delfino", "Edera", "Faro", "Gabbiano", "Mirto", "Quercia",
)
_IT_TRADES = (
    "Panificio", "Arredamenti", "Costruzioni", "Trasporti", "Officina", "Caseificio", "Ceramiche",
    "Tessuti", "Edilizia", "Impianti Elettrici", "Ristorazione", "Tipografia", "Cantina",
    "Oleificio", "Pelletteria", "Gelateria", "Consulenze", "Serramenti", "Logistica", "Caffè",
    "Pasticceria", "Ferramenta", "Autotrasporti", "Salumificio", "Vetreria", "Falegnameria",
    "Termoidraulica", "Enoteca",
)
_IT_SURNAMES = (
    "Rossi", "Ferretti", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno",
    "Gallo", "Conti", "De Luca", "Mancini", "Lombardi", "Moretti", "Barbieri", "Fontana",
    "Santoro", "Mariani", "Rinaldi", "Niccolò", "D'Angelo",
)

_PL_WORDS = (
    "Orzeł", "Wisła", "Bursztyn", "Jantar", "Zorza", "Dąb", "Kłos", "Sokół", "Żuraw", "Mazowsze",
    "Tatry", "Bałtyk", "Polana", "Źródło", "Jaskółka", "Mewa", "Wrzos", "Jodła", "Kasztan",
    "Słowik", "Zefir", "Łąka",
)
_PL_TRADES = (
    "Piekarnia", "Transport", "Logistics", "Budownictwo", "Meble", "Stolarstwo", "Hurtownia",
    "Drukarnia", "Usługi Budowlane", "Instalacje", "Serwis", "Handel", "Ogrody", "Elektro",
    "Software", "Konsulting", "Okna i Drzwi", "Tartak", "Spedycja", "Cukiernia",
)
_PL_SURNAMES = (
    "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński",
    "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Krawczyk",
    "Łukasiewicz", "Grzegorczyk", "Michalski", "Pawłowski", "Król", "Wieczorek", "Ząbek",
)

_DA_WORDS = (
    "Nordlys", "Havblik", "Bøgelund", "Kløver", "Fjord", "Skovly", "Solsikke", "Ørnereden",
    "Lærkehøj", "Egetræ", "Vestkyst", "Mølle", "Rønnebær", "Kystvind", "Strandeng", "Hvidsten",
    "Bølgen", "Lyngbakken", "Svanen", "Ege", "Fyrtårn",
)
_DA_TRADES = (
    "Bageri", "Tømrer", "Smedje", "Murer", "VVS", "El-service", "Transport", "Design",
    "Rådgivning", "Ejendomme", "Vinduer", "Maskinfabrik", "Kaffe", "Møbler", "Tagdækning",
    "Revision", "Malerfirma", "Køleteknik", "Havecenter", "Bakeri",
)
_DA_SURNAMES = (
    "Ørsted", "Jørgensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
    "Sørensen", "Rasmussen", "Møller", "Kjær", "Thøgersen", "Søndergaard", "Bækgaard", "Holm",
    "Østergaard", "Mikkelsen",
)

_SV_WORDS = (
    "Norrsken", "Fjällbacka", "Älvdal", "Björkhagen", "Sjöglimt", "Granskog", "Solrosen",
    "Ängsö", "Vinterviken", "Havsörn", "Klippan", "Lärkan", "Stjärnfall", "Vårdträd", "Tallmo",
    "Midnattssol", "Ekbacken", "Fyrljus", "Skärgård", "Ljung", "Tranan",
)
_SV_TRADES = (
    "Bygg", "Snickeri", "Bageri", "Måleri", "Transport", "Rör", "El", "Konsult", "Fastigheter",
    "Trädgård", "Städ", "Verkstad", "Kaffe", "Design", "Logistik", "Smide", "Plåtslageri",
    "Glas", "Möbler", "Redovisning",
)
_SV_SURNAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Lindström", "Åberg", "Sjöberg", "Björk", "Ström", "Öberg",
    "Lundqvist", "Wallén",
)

_PT_WORDS = (
    "Estrela", "Sol Nascente", "Horizonte", "Aurora", "Ipê", "Jacarandá", "Araucária",
    "Boa Vista", "Primavera", "Cristal", "Paraíso", "Serra Verde", "Bela Vista", "Atlântico",
    "Guaraná", "Maré Alta", "Cajueiro", "Beija-Flor", "Pitanga", "Mangueira", "Cachoeira",
    "Sabiá", "Tucano",
)
_PT_TRADES = (
    "Comércio de Alimentos", "Construtora", "Transportes", "Padaria", "Distribuidora",
    "Indústria", "Serviços", "Tecnologia", "Móveis", "Confecções", "Materiais de Construção",
    "Logística", "Engenharia", "Auto Peças", "Farmácia", "Cerâmica", "Metalúrgica",
    "Agropecuária", "Importação e Exportação", "Têxtil",
)
_PT_SURNAMES = (
    "Silva", "Santos", "Oliveira", "Souza", "Gonçalves", "Araújo", "Conceição", "Magalhães",
    "Rodrigues", "Ferreira", "Almeida", "Pereira", "Lima", "Carvalho", "Ribeiro", "Simões",
    "Nascimento", "Brandão", "Falcão", "Sant'Anna", "Cunha",
)

COUNTRIES: tuple[Country, ...] = (
    Country(
        "GB", "GBP", 18,
        (("Ltd", "limited_company"),) * 8 + (("Limited", "limited_company"),) * 2
        + (("LLP", "llp"), ("PLC", "plc"), ("", "sole_trader")),
        _EN_PATTERNS, _EN_WORDS, _EN_TRADES,
        ("Smith", "Patel", "Jones", "Williams", "Taylor", "Davies", "Evans", "Khan", "MacLeod",
         "Wright", "Okonkwo", "Hughes", "Ahmed", "Thompson", "Roberts", "Walker", "Clarke", "Singh",
         "Wilson", "Morgan", "Brontë", "Ó Súilleabháin", "Fforde", "Llewellyn"),
        ("Leeds", "Bristol", "York", "Bath", "Cardiff", "Glasgow", "Aberdeen", "Norwich", "Exeter",
         "Belfast", "Swansea", "Inverness", "Ynys Môn"),
        (*_EN_MODIFIERS, "UK"),
    ),
    Country(
        "IE", "EUR", 4,
        (("Ltd", "limited_company"),) * 6 + (("DAC", "dac"), ("Teoranta", "limited_company"),
                                             ("", "sole_trader")),
        _EN_PATTERNS, _EN_WORDS, _EN_TRADES,
        ("Murphy", "Ó Súilleabháin", "O'Brien", "Kelly", "Ní Bhriain", "Byrne", "Ryan",
         "Ó Ceallaigh", "Walsh", "Mac Giolla Phádraig", "Doyle", "Brennan", "Ó Briain", "Nolan"),
        ("Dublin", "Cork", "Galway", "Limerick", "Waterford", "Kilkenny", "Dún Laoghaire", "Sligo"),
        (*_EN_MODIFIERS, "Ireland"),
    ),
    Country(
        "US", "USD", 15,
        (("LLC", "llc"),) * 6 + (("Inc.", "corporation"),) * 3
        + (("Corp.", "corporation"), ("Co.", "partnership"), ("", "sole_proprietorship")),
        (*_EN_PATTERNS, "{s} Trading{m} {sfx}"), _EN_WORDS, _EN_TRADES,
        ("Johnson", "Garcia", "Miller", "Washington", "Nguyễn", "Kim", "O'Connor", "Rodríguez",
         "Chen", "Brooks", "Martínez", "Kowalczyk", "Nakamura", "Jefferson", "Okafor", "Hernández",
         "Schmidt", "Rivera", "Cohen", "Yamamoto"),
        ("Austin", "Portland", "Denver", "Boise", "Santa Fe", "San José", "Albuquerque", "Savannah",
         "Tucson", "Burlington", "Coeur d'Alene", "Española"),
        (*_EN_MODIFIERS, "USA", "of America"),
    ),
    Country(
        "DE", "EUR", 12,
        (("GmbH", "gmbh"),) * 6 + (("GmbH & Co. KG", "gmbh_co_kg"),) * 2
        + (("KG", "kg"), ("e.K.", "sole_trader"), ("AG", "ag"), ("UG (haftungsbeschränkt)", "ug"),
           ("OHG", "ohg")),
        _DE_PATTERNS, _DE_WORDS, _DE_TRADES, _DE_SURNAMES,
        ("Berlin", "München", "Köln", "Hamburg", "Düsseldorf", "Nürnberg", "Würzburg", "Lübeck",
         "Göttingen", "Mönchengladbach", "Saarbrücken", "Fürth"),
        _DE_MODIFIERS,
    ),
    Country(
        "AT", "EUR", 3,
        (("GmbH", "gmbh"),) * 5 + (("KG", "kg"), ("e.U.", "sole_trader"), ("AG", "ag")),
        _DE_PATTERNS, _DE_WORDS, _DE_TRADES, _DE_SURNAMES,
        ("Wien", "Graz", "Linz", "Salzburg", "Innsbruck", "Klagenfurt", "Sankt Pölten", "Bregenz"),
        (*_DE_MODIFIERS, "Österreich"),
    ),
    Country(
        "CH", "CHF", 3,
        (("AG", "ag"),) * 4 + (("GmbH", "gmbh"),) * 4 + (("Sàrl", "sarl"), ("", "sole_trader")),
        _DE_PATTERNS, _DE_WORDS, _DE_TRADES, _DE_SURNAMES,
        ("Zürich", "Basel", "Bern", "Luzern", "St. Gallen", "Winterthur", "Zug", "Biel/Bienne",
         "Neuchâtel", "Genève"),
        (*_DE_MODIFIERS, "Schweiz"),
    ),
    Country(
        "FR", "EUR", 9,
        (("SARL", "sarl"),) * 5 + (("SAS", "sas"),) * 4 + (("SASU", "sasu"),) * 2
        + (("SA", "sa"), ("EURL", "eurl")),
        _FR_PATTERNS, _FR_WORDS, _FR_TRADES, _FR_SURNAMES,
        ("Paris", "Lyon", "Marseille", "Nîmes", "Besançon", "Montpellier", "Grenoble", "Béziers",
         "Saint-Étienne", "Nantes", "Toulouse", "Bordeaux"),
        _FR_MODIFIERS,
    ),
    Country(
        "NL", "EUR", 5,
        (("B.V.", "bv"),) * 8 + (("V.O.F.", "vof"), ("N.V.", "nv"), ("", "sole_trader")),
        ("{w} {t}{m} {sfx}", "{w} {t} {sfx}", "{t} {s}{m} {sfx}", "{s} {t} {sfx}",
         "{s} & {s2} {sfx}", "{t} {c} {sfx}"),
        _NL_WORDS, _NL_TRADES, _NL_SURNAMES,
        ("Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven", "Groningen", "Tilburg",
         "Zwolle", "'s-Hertogenbosch", "Leeuwarden"),
        ("Groep", "Holding", "Services", "& Zn.", "Nederland"),
    ),
    Country(
        "ES", "EUR", 6,
        (("S.L.", "sl"),) * 7 + (("S.A.", "sa"),) * 2 + (("S.L.U.", "slu"), ("S. Coop.", "coop")),
        ("{t} {w}{m} {sfx}", "{t} {w} {sfx}", "{t} {s}{m} {sfx}", "{s} y {s2} {sfx}",
         "{t} {c} {sfx}", "{s} e Hijos {sfx}"),
        _ES_WORDS, _ES_TRADES, _ES_SURNAMES,
        ("Madrid", "Barcelona", "Sevilla", "Valencia", "Málaga", "Córdoba", "Cádiz", "A Coruña",
         "León", "Logroño", "Jaén"),
        ("y Asociados", "Internacional", "Servicios", "Grupo", "del Sur"),
    ),
    Country(
        "IT", "EUR", 6,
        (("S.r.l.", "srl"),) * 7 + (("S.p.A.", "spa"), ("S.n.c.", "snc"), ("S.a.s.", "sas"),
                                    ("S.r.l.s.", "srls")),
        ("{t} {w}{m} {sfx}", "{t} {w} {sfx}", "{t} {s}{m} {sfx}", "{s} e {s2} {sfx}",
         "{t} {c} {sfx}", "{s} & Figli {sfx}"),
        _IT_WORDS, _IT_TRADES, _IT_SURNAMES,
        ("Milano", "Roma", "Torino", "Napoli", "Firenze", "Bologna", "Forlì", "Cantù", "Genova",
         "Verona", "Sant'Agata"),
        ("Group", "Servizi", "International", "Italia", "& C."),
    ),
    Country(
        "PL", "PLN", 5,
        (("sp. z o.o.", "sp_zoo"),) * 7 + (("S.A.", "sa"), ("sp.j.", "spj"), ("sp.k.", "spk"))
        + (("", "sole_trader"),) * 2,
        ("{t} {w}{m} {sfx}", "{c} {t}{m} {sfx}", "{t} {s} {sfx}", "{w} {t} {sfx}",
         "{s} i {s2} {sfx}"),
        _PL_WORDS, _PL_TRADES, _PL_SURNAMES,
        ("Warszawa", "Kraków", "Łódź", "Wrocław", "Poznań", "Gdańsk", "Szczecin", "Białystok",
         "Toruń", "Rzeszów", "Bielsko-Biała"),
        ("Group", "Serwis", "Polska", "Holding"),
    ),
    Country(
        "DK", "DKK", 3,
        (("ApS", "aps"),) * 6 + (("A/S", "as"),) * 3 + (("I/S", "is"), ("", "sole_trader")),
        ("{w} {t}{m} {sfx}", "{s} {t}{m} {sfx}", "{s} & Co. {sfx}", "{s} & {s2} {sfx}",
         "{c} {t} {sfx}", "{w} {t} {sfx}"),
        _DA_WORDS, _DA_TRADES, _DA_SURNAMES,
        ("København", "Aarhus", "Odense", "Aalborg", "Esbjerg", "Køge", "Næstved", "Helsingør",
         "Sønderborg", "Roskilde"),
        ("& Søn", "Gruppen", "Holding", "Danmark"),
    ),
    Country(
        "SE", "SEK", 3,
        (("AB", "ab"),) * 8 + (("HB", "hb"), ("KB", "kb"), ("", "sole_trader")),
        ("{w} {t}{m} {sfx}", "{s}s {t}{m} {sfx}", "{s} & {s2} {sfx}", "{t} i {c} {sfx}",
         "{w} {t} {sfx}"),
        _SV_WORDS, _SV_TRADES, _SV_SURNAMES,
        ("Stockholm", "Göteborg", "Malmö", "Uppsala", "Västerås", "Örebro", "Linköping",
         "Jönköping", "Umeå", "Norrköping"),
        ("& Son", "Gruppen", "Holding", "Sverige"),
    ),
    Country(
        "BR", "BRL", 4,
        (("Ltda", "ltda"),) * 7 + (("S.A.", "sa"), ("ME", "microempresa"), ("EPP", "epp"),
                                   ("EIRELI", "eireli")),
        ("{t} {w}{m} {sfx}", "{t} {w} {sfx}", "{c} {t} {sfx}", "{t} {s}{m} {sfx}",
         "{s} & {s2} {sfx}"),
        _PT_WORDS, _PT_TRADES, _PT_SURNAMES,
        ("São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Porto Alegre",
         "Florianópolis", "Goiânia", "Maceió", "Belém", "São Luís"),
        ("& Filhos", "Serviços", "do Brasil", "Participações"),
    ),
    Country(
        "JP", "JPY", 3,
        (("K.K.", "kabushiki_kaisha"),) * 2 + (("Co., Ltd.", "kabushiki_kaisha"),) * 2
        + (("G.K.", "godo_kaisha"),),
        ("{w} {t}{m} {sfx}", "{s} {t} {sfx}", "{c} {t} {sfx}"),
        ("Sakura", "Fuji", "Asahi", "Hikari", "Midori", "Aozora", "Kaze", "Yamato", "Kōyō",
         "Shinsei", "Tsubasa", "Hoshi", "Momiji", "Kiku", "Taiyō", "Nishiki", "Hinode", "Minato",
         "Aoi", "Haruka", "Kibō", "Mirai", "Nozomi", "Sōgen", "Tenkū", "Wakaba", "Yūki", "Zen"),
        ("Trading", "Shōji", "Kōgyō", "Seisakusho", "Logistics", "Foods", "Electric", "Design",
         "Construction", "Pharma", "Shipping", "Textiles", "Bussan", "Denki", "Kensetsu", "Unyu"),
        ("Yamada", "Satō", "Suzuki", "Takahashi", "Tanaka", "Itō", "Watanabe", "Nakamura",
         "Kobayashi", "Katō", "Yoshida", "Matsumoto", "Inoue", "Kimura", "Hayashi", "Saitō"),
        ("Tokyo", "Osaka", "Kyoto", "Nagoya", "Sapporo", "Fukuoka", "Kōbe", "Sendai"),
        ("Holdings", "Japan", "International"),
    ),
    Country(  # the same country written in Japanese: no spaces, 株式会社 before or after the name
        "JP", "JPY", 1,
        (("株式会社", "kabushiki_kaisha"),) * 4 + (("合同会社", "godo_kaisha"),
                                                    ("有限会社", "yugen_kaisha")),
        ("{s}{t}{sfx}", "{sfx}{s}{t}", "{c}{t}{sfx}", "{w}{t}{sfx}"),
        ("桜", "富士", "朝日", "光", "緑", "青空", "大和", "新生", "翼", "星", "日の出", "港",
         "錦", "紅葉"),
        ("商事", "工業", "製作所", "建設", "物産", "運輸", "食品", "電機", "興業", "印刷",
         "設計事務所", "薬品", "不動産", "精機", "化学", "産業"),
        ("山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤", "吉田",
         "松本", "井上", "木村", "林", "斎藤"),
        ("東京", "大阪", "京都", "名古屋", "札幌", "福岡", "神戸", "仙台"),
        ("",),
    ),
)
# fmt: on

_CUM_WEIGHTS = tuple(itertools.accumulate(country.weight for country in COUNTRIES))
_TOTAL_WEIGHT = _CUM_WEIGHTS[-1]
_T = TypeVar("_T")
MODIFIER_SHARE = 0.25  # how often a pattern's {m} slot gets a modifier ("Holdings", "& Söhne")
MAX_DRAWS = 12  # redraws on a duplicate before a name is made unique by a disambiguator


@dataclass(frozen=True, slots=True)
class DrawnName:
    legal_name: str
    country: str
    currency: str
    entity_type: str


class NameGenerator:
    """Yields unique names in a fixed order for a given seed (the order is the directory's).

    Hot path at start-up (100,000 names for the benchmark), hence one ``random()`` per pick
    instead of ``choice``/``sample``: about 4 us a name.
    """

    def __init__(self, seed: int) -> None:
        self._random = random.Random(f"big-partner-names:{seed}").random
        self._seen: set[str] = set()

    def reserve(self, name: str) -> None:
        """A name that must never be drawn (the fixed, well-known one)."""
        self._seen.add(name)

    def draw(self) -> DrawnName:
        for attempt in itertools.count():
            country = COUNTRIES[bisect.bisect(_CUM_WEIGHTS, self._random() * _TOTAL_WEIGHT)]
            suffix, entity_type = self._pick(country.suffixes)
            name = self._compose(country, suffix, roomiest=attempt > 0)
            if attempt >= MAX_DRAWS:  # this country's space is crowded: say where
                name = self._disambiguate(country, name)
            if name not in self._seen:
                self._seen.add(name)
                return DrawnName(name, country.code, country.currency, entity_type)
        raise AssertionError("unreachable")  # pragma: no cover

    def _pick(self, options: tuple[_T, ...]) -> _T:
        return options[int(self._random() * len(options))]

    def _compose(self, country: Country, suffix: str, roomiest: bool) -> str:
        rnd = self._random
        surnames = country.surnames
        count = len(surnames)
        first = int(rnd() * count)
        second = (first + 1 + int(rnd() * (count - 1))) % count
        modifier = ""
        if rnd() < MODIFIER_SHARE and country.modifiers[0]:
            modifier = " " + country.modifiers[int(rnd() * len(country.modifiers))]
        patterns, words, trades, cities = (
            country.patterns,
            country.words,
            country.trades,
            country.cities,
        )
        pattern = patterns[0] if roomiest else patterns[int(rnd() * len(patterns))]
        name = pattern.format(
            w=words[int(rnd() * len(words))],
            t=trades[int(rnd() * len(trades))],
            s=surnames[first],
            s2=surnames[second],
            c=cities[int(rnd() * len(cities))],
            m=modifier,
            sfx=suffix,
        )
        return name.strip() if suffix else " ".join(name.split())

    def _disambiguate(self, country: Country, name: str) -> str:
        """``Kestrel Joinery Ltd (Leeds)``, then ``(Leeds 2)``: how registries tell twins apart."""
        city = self._pick(country.cities)
        for number in itertools.count(1):
            qualifier = f"({city})" if number == 1 else f"({city} {number})"
            candidate = f"{name} {qualifier}"
            if candidate not in self._seen:
                return candidate
        raise AssertionError("unreachable")  # pragma: no cover

"""Which business a pasted link names, read one way for the business finder, the paste box and /go.

Our pages and Thredfi's API both put the business first: `/customers/<business>/[<customer>/]`
here, `/businesses/<business>/[customers/[<customer>]]` there. Before this module the finder and
the paste box each spelt that out with their own pattern, and could drift apart.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

UUID_TEXT = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# The first business segment of a path, wherever it is and whatever follows it.
_BUSINESS_SEGMENT = re.compile(rf"/(?:customers|businesses)/({UUID_TEXT})(?:/|$)")
# What may follow that segment on the business's own page: nothing but its customer collection
# (a query or a fragment is not part of the path).
_REST_OF_BUSINESS_PAGE = re.compile(r"/?(?:customers/?)?")


@dataclass(frozen=True, slots=True)
class LinkedBusiness:
    business_id: uuid.UUID
    # The link is the business's own page (or its customer list), not something inside it.
    is_business_page: bool


def linked_business(text: str) -> LinkedBusiness | None:
    """The business a pasted link (with or without scheme and host) names in its path."""
    try:
        path = urlsplit(text.strip()).path
    except ValueError:  # e.g. an unclosed IPv6 bracket in the host
        return None
    match = _BUSINESS_SEGMENT.search(path)
    if match is None:
        return None
    return LinkedBusiness(
        business_id=uuid.UUID(match.group(1)),
        is_business_page=_REST_OF_BUSINESS_PAGE.fullmatch(path, match.end(1)) is not None,
    )

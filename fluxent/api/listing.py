"""What every list route shares: ``?page=&page_size=`` and the page's JSON shape."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query

from fluxent.services.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page


@dataclass(frozen=True)
class PageQuery:
    page: int
    page_size: int


def page_query(
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
) -> PageQuery:
    return PageQuery(page=page, page_size=page_size)


Paging = Annotated[PageQuery, Depends(page_query)]


def page_body(page: Page[Any], serialize: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    return {
        "items": [serialize(item) for item in page.items],
        "page": page.page,
        "page_size": page.page_size,
        "total": page.total,
        "pages": page.pages,
    }


def iso(moment: Any) -> str | None:
    """A date or time as ISO 8601 in JSON, or null."""
    return None if moment is None else moment.isoformat()

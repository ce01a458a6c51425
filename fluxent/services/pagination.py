"""One page of a list: ``?page=`` and ``?page_size=`` for every list the portal and the API show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select
from sqlmodel import Session

from fluxent.core.errors import ValidationFailed
from fluxent.core.text import text_problem

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_SEARCH = 200  # characters of a list's search text that count


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def paginate(session: Session, statement: Any, *, page: int = 1, page_size: int = DEFAULT_PAGE_SIZE) -> Page[Any]:
    """Run ``statement`` (an ordered ``select`` of one entity) for one page, with the total count."""
    total = _total(session, statement, page, page_size)
    items = list(session.scalars(_window(statement, page, page_size)))
    return Page(items=items, total=total, page=page, page_size=page_size)


def paginate_rows(session: Session, statement: Any, *, page: int = 1, page_size: int = DEFAULT_PAGE_SIZE) -> Page[Any]:
    """As ``paginate`` for an ordered ``select`` of several columns: the page's rows (tuples)."""
    total = _total(session, statement, page, page_size)
    items = list(session.execute(_window(statement, page, page_size)).all())
    return Page(items=items, total=total, page=page, page_size=page_size)


def _total(session: Session, statement: Any, page: int, page_size: int) -> int:
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValidationFailed(
            f"page starts at 1 and page_size is 1-{MAX_PAGE_SIZE}.",
            fields={"page_size": f"1-{MAX_PAGE_SIZE}", "page": "1 or more"},
        )
    return session.execute(select(func.count()).select_from(statement.order_by(None).subquery())).scalar_one()


def _window(statement: Any, page: int, page_size: int) -> Any:
    return statement.limit(page_size).offset((page - 1) * page_size)


def search_needle(query: str) -> str:
    """A list's search text as the list compares it: spaces squeezed, lower case, at most
    ``MAX_SEARCH`` characters; "" matches everything. ValidationFailed on ``q`` for control
    characters (NUL and the like, which PostgreSQL refuses). Callers match with
    ``contains(needle, autoescape=True)``, so ``%`` and ``_`` are plain characters."""
    if problem := text_problem(query or ""):
        raise ValidationFailed(problem, fields={"q": problem})
    return " ".join((query or "").split()).lower()[:MAX_SEARCH]

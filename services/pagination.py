"""Lists read one page at a time in SQL: a count, the page's ids, then the page's rows.

Every list page issues the same few statements whatever the number of rows: the count
(``SELECT count(*)`` over the filtered query), the ids of the page (``LIMIT``/``OFFSET``
over the list's index, without reading whole rows), then the rows of those ids with the
relations the page shows loaded in one statement each (``selectinload``).
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from typing import Generic
from typing import TypeVar

from sqlalchemy import Select
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import LoaderOption

T = TypeVar("T")

# Rows per page a reader may choose (?size=); the first is the default.
PAGE_SIZES = (50, 20, 100)
DEFAULT_PAGE_SIZE = PAGE_SIZES[0]


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, its number (from 1), the page size and the total."""

    items: Sequence[T]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        """Number of pages; an empty list has one (empty) page."""
        return max(1, -(-self.total // self.size))

    @property
    def sizes(self) -> list[int]:
        """The page sizes a reader may choose, smallest first."""
        return sorted(PAGE_SIZES)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        """Position (from 1) of the page's first row in the whole list; 0 when empty."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        return (self.number - 1) * self.size + len(self.items)


def page_request(args: Mapping[str, str]) -> tuple[int, int]:
    """(page number, page size) from a request's ``page`` and ``size`` arguments; anything
    unreadable gives page 1 and the default size."""
    text = str(args.get("page", "")).strip()
    number = int(text) if text.isdigit() and len(text) <= 9 else 1
    size_text = str(args.get("size", "")).strip()
    size = int(size_text) if size_text.isdigit() and int(size_text) in PAGE_SIZES else 0
    return max(1, number), size or DEFAULT_PAGE_SIZE


def paginate(
    session: Session,
    query: Select[Any],
    entity: Any,
    *,
    number: int,
    size: int = DEFAULT_PAGE_SIZE,
    options: Sequence[LoaderOption] = (),
) -> Page[Any]:
    """Page ``number`` of ``query`` (``select(entity)…`` with its filters and a stable
    ``ORDER BY`` ending in the primary key). A page past the end gives the last page."""
    # count(*) over the query's own FROM and WHERE: SQLite and PostgreSQL count the index
    # entries instead of reading every row of a subquery.
    counted = query.with_only_columns(func.count(), maintain_column_froms=True)
    total = session.scalar(counted.order_by(None))
    total = int(total or 0)
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    ids = list(
        session.scalars(query.with_only_columns(entity.id).limit(size).offset((number - 1) * size))
    )
    items: list[Any] = []
    if ids:
        rows = session.scalars(select(entity).where(entity.id.in_(ids)).options(*options))
        by_id = {row.id: row for row in rows}
        items = [by_id[i] for i in ids if i in by_id]
    return Page(items=items, number=number, size=size, total=total)

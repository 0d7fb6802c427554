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

from sqlalchemy import ColumnElement
from sqlalchemy import Select
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import LoaderOption

from domain.text import fold

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
    more: bool = False  # a search with more matches than ``total`` (SEARCH_COUNT_CAP)

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


def contains_words(column: Any, typed: str) -> list[ColumnElement[bool]]:
    """One ``LIKE`` condition per word of ``typed`` on a stored folded ``column`` (a
    ``search_key`` written with :func:`domain.text.fold`): "nguyen thi" finds "Nguyễn Thị
    Ánh" whatever the diacritics and case typed, with no function applied to the column,
    so a covering index holding it answers without reading the rows."""
    return [contains(column, word) for word in fold(typed).split()]


def contains(column: Any, key: str) -> ColumnElement[bool]:
    """``column LIKE '%key%'`` with ``key`` (already folded) taken literally."""
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    condition: ColumnElement[bool] = column.like(f"%{escaped}%", escape="\\")
    return condition


def paginate(
    session: Session,
    query: Select[Any],
    entity: Any,
    *,
    number: int,
    size: int = DEFAULT_PAGE_SIZE,
    options: Sequence[LoaderOption] = (),
    search: bool = False,
) -> Page[Any]:
    """Page ``number`` of ``query`` (``select(entity)…`` with its filters and a stable
    ``ORDER BY`` ending in the primary key). A page past the end gives the last page.

    ``search``: the query matches typed words (LIKE over a whole list, which no index can
    narrow). Only its first :data:`SEARCH_COUNT_CAP` matches are counted (the page then
    says "hơn 1000"), in the same walk of the list's index that finds the page.
    """
    if search:
        # The ids of the first SEARCH_COUNT_CAP + 1 matches in the list's order, in one
        # walk of its index: their number is the (capped) count and the page is a slice,
        # where a count and then the page would walk the same entries twice.
        found = _ids(session, query, entity, SEARCH_COUNT_CAP + 1, 0)
        total, more = min(len(found), SEARCH_COUNT_CAP), len(found) > SEARCH_COUNT_CAP
    else:
        total, more = _count(session, query), False
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    if search:
        ids = found[(number - 1) * size : number * size]
    else:
        ids = _ids(session, query, entity, size, (number - 1) * size)
    items = load_in_order(session, entity, ids, options)
    return Page(items=items, number=number, size=size, total=total, more=more)


def load_in_order(
    session: Session, entity: Any, ids: Sequence[Any], options: Sequence[LoaderOption] = ()
) -> list[Any]:
    """The rows of ``ids`` in that order (a page's ids, read from an index first), with
    their ``options`` loaded; ids gone meanwhile are left out."""
    if not ids:
        return []
    rows = session.scalars(select(entity).where(entity.id.in_(ids)).options(*options))
    by_id = {row.id: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


# Matches of a search counted at most: past it the page says "hơn 1000" and the reader
# types another word (a clerk looks for someone, not for the 20 000th "nguyen").
SEARCH_COUNT_CAP = 1000


def _ids(session: Session, query: Select[Any], entity: Any, size: int, offset: int) -> list[Any]:
    """The ids of one page, read from the list's index without the rows."""
    return list(session.scalars(query.with_only_columns(entity.id).limit(size).offset(offset)))


def _count(session: Session, query: Select[Any]) -> int:
    """Rows of ``query``: count(*) over its own FROM and WHERE, so SQLite and PostgreSQL
    count index entries instead of reading every row of a subquery."""
    counted = query.with_only_columns(func.count(), maintain_column_froms=True)
    return int(session.scalar(counted.order_by(None)) or 0)


def distinct_in_order(
    session: Session,
    table: str,
    column: str,
    organization_id: int,
    *,
    descending: bool = False,
    skip_empty: bool = True,
) -> list[Any]:
    """The distinct values of ``table.column`` in an organization, in order (a list's
    filter choices, a register's years newest first): one step down an index on
    (organization_id, column …) per value, a loose index scan on SQLite and PostgreSQL
    alike, instead of reading every row. ``skip_empty`` leaves out '' (text columns only:
    SQLite sorts every number below ''). ``table`` and ``column`` are names from the code,
    never from a request."""
    pick, beyond, order = ("max", "<", "DESC") if descending else ("min", ">", "")
    non_empty = f" AND {column} > ''" if skip_empty else ""
    sql = text(
        "WITH RECURSIVE found(v) AS ("
        f" SELECT {pick}({column}) FROM {table} WHERE organization_id = :org{non_empty}"
        " UNION ALL"
        f" SELECT (SELECT {pick}(t.{column}) FROM {table} t"
        f"         WHERE t.organization_id = :org AND t.{column} {beyond} found.v)"
        " FROM found WHERE found.v IS NOT NULL)"
        f" SELECT v FROM found WHERE v IS NOT NULL ORDER BY v {order}"
    )
    return list(session.scalars(sql, {"org": organization_id}))

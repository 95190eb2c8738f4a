"""A list of ids in a statement, bound the cheapest way for its length.

An expanding bind (``IN (__[POSTCOMPILE_ids])``) makes SQLAlchemy render the statement's
text again on every run, which cost a short read as much as running it; a lead's
`/lp status` asks about one partnership and its last few rounds. So up to ``FIXED`` ids
get a statement shape of their own, built once (``= :ids`` for one, ``IN (:ids_0, …)``
for a few), and only longer lists expand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, bindparam
from sqlalchemy.orm import InstrumentedAttribute

FIXED = 4


def arity(ids: Sequence[Any]) -> int:
    """The statement shape for ``ids``: 1 to ``FIXED`` for that many plain binds, 0 for
    an expanding bind (a longer list, or an empty one)."""
    return len(ids) if 1 <= len(ids) <= FIXED else 0


def ids_in(column: ColumnElement[Any] | InstrumentedAttribute[Any], name: str, shape: int
           ) -> ColumnElement[bool]:
    """``column`` is one of the ids bound as ``name``, for a list of shape ``shape``."""
    if shape == 1:
        return column == bindparam(name)
    if shape:
        return column.in_([bindparam(f"{name}_{i}") for i in range(shape)])
    return column.in_(bindparam(name, expanding=True))


def ids_params(name: str, ids: Sequence[Any]) -> dict[str, Any]:
    """The values for ``ids_in(column, name, arity(ids))``."""
    shape = arity(ids)
    if shape == 1:
        return {name: ids[0]}
    if shape:
        return {f"{name}_{i}": value for i, value in enumerate(ids)}
    return {name: list(ids)}

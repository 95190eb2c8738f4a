"""The one way a tally moves when a check-in arrives or is amended: a round's own
(storage/tallies.py) and its partnership's standing (storage/standing.py) alike.

One UPDATE adds to the row as it stands (``answered + :answers``, ``momentum_total +
:change``, the later of the two last-answer times): on PostgreSQL two check-ins arriving
together queue on the row's lock and the second adds to what the first wrote, so neither
is lost. Parameters: ``round``, ``answers``, ``change``, ``now``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Update, bindparam, case, or_, update


def tally_move(model: Any, round_column: Any) -> Update:
    """The UPDATE moving ``model``'s tally (columns ``answered``, ``momentum_total``,
    ``last_checkin_at``) on the row whose ``round_column`` is ``:round``."""
    now = bindparam("now", type_=model.last_checkin_at.type)
    last = model.last_checkin_at
    return update(model).where(round_column == bindparam("round")).values(
        answered=model.answered + bindparam("answers"),
        momentum_total=model.momentum_total + bindparam("change"),
        last_checkin_at=case((or_(last.is_(None), last < now), now), else_=last))

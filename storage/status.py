"""One partnership in full for its leads, and a member's own check-ins."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from storage.access import Viewer, is_outsider, person_zone
from storage.cadence import quiet_members
from storage.calendar import CalendarDay
from storage.calendar_store import load_calendar
from storage.db import SessionFactory
from storage.models import Checkin, Membership, Partnership, Person
from storage.notes import Note, open_notes
from storage.series import HISTORY_ROUNDS, RoundPoint, round_history
from storage.standing import ranking
from storage.summaries import Summary, add_flags, latest_rounds, member_figures, summaries


@dataclass(frozen=True)
class MemberRow:
    person_id: int
    slack_id: str
    name: str
    institution: str | None
    role: str
    paused: bool
    answered: bool
    quiet: bool = False  # let ``cadence.back_off_after`` rounds pass: reminders resting


@dataclass
class Detail:
    summary: Summary
    members: list[MemberRow]
    blockers: list[Note]
    help: list[Note]
    history: list[RoundPoint] = field(default_factory=list)  # last rounds, for the charts


def partnership_detail(session: Session, now: datetime, today: CalendarDay,
                       partnership_id: int) -> Detail | None:
    """Everything `/lp status` shows for one partnership, in a fixed number of queries."""
    rounds = latest_rounds(session, [partnership_id], now, HISTORY_ROUNDS)
    current_round = rounds[-1][0] if rounds else None  # the summary's current round
    # Every member the figures count (an erased one too, until the programme file drops
    # the seat), read once for the figures and the list.
    people = session.connection().execute(_members_statement(), {
        "partnership": partnership_id, "round": current_round}).all()
    found = summaries(session, now, today, [partnership_id], rounds, members=member_figures(
        partnership_id, [(row[3], row[4]) for row in people], now))
    if not found:
        return None
    summary = found[0]
    quiet = quiet_members(session, [partnership_id], now, today.cadence.back_off_after)
    members = [
        MemberRow(person_id, slack_id, name, institution, role,
                  bool(paused_until and paused_until > now),
                  checkin_id is not None, (partnership_id, person_id) in quiet)
        for person_id, slack_id, name, institution, paused_until, role, checkin_id, active
        in people if active
    ]
    round_ids = [r.round_id for r in summary.rounds[-2:]]
    blockers, help_notes = open_notes(session, round_ids)
    history = round_history(session, now, today.calendar or load_calendar(session), [summary],
                            rows=rounds)
    return Detail(summary, members, blockers, help_notes,
                  history.get(summary.partnership_id, []))


@lru_cache(maxsize=1)
def _members_statement() -> Select:  # type: ignore[type-arg]
    """Built once: a partnership's counted members, whether each answered the round, and
    whether each is shown (an erased member is counted, never shown)."""
    return (select(Person.id, Person.slack_user_id, Person.name, Person.institution,
                   Person.paused_until, Membership.role, Checkin.id, Person.active)
            .join(Membership, Membership.person_id == Person.id)
            .outerjoin(Checkin, and_(Checkin.person_id == Person.id,
                                     Checkin.round_id == bindparam("round")))
            .where(Membership.partnership_id == bindparam("partnership"), Membership.active,
                   or_(Person.active, Person.erased_at.is_not(None)))
            .order_by(Person.name))


@dataclass(frozen=True)
class OwnCheckin:
    partnership: str
    submitted_at: datetime
    momentum: int
    highlights: str
    blockers: str
    help_wanted: bool
    help_text: str
    next_steps: str
    source: str


def own_checkins(session: Session, person_id: int, limit: int = 5) -> list[OwnCheckin]:
    """A member's own latest check-ins: the only answers a plain member may see."""
    return [OwnCheckin(name, at, momentum, highlights, blockers, bool(wanted), help_text,
                       next_steps, source)
            for name, at, momentum, highlights, blockers, wanted, help_text, next_steps, source
            in session.connection().execute(_own_statement(), {"person": person_id,
                                                               "limit": limit}).all()]


@lru_cache(maxsize=1)
def _own_statement() -> Select:  # type: ignore[type-arg]
    """Built once: a member's Home asks it after every check-in."""
    return (select(Partnership.name, Checkin.submitted_at, Checkin.momentum,
                   Checkin.highlights, Checkin.blockers, Checkin.help_wanted,
                   Checkin.help_text, Checkin.next_steps, Checkin.source)
            .join(Partnership, Partnership.id == Checkin.partnership_id)
            .where(Checkin.person_id == bindparam("person"))
            .order_by(Checkin.submitted_at.desc()).limit(bindparam("limit")))


def find_partnership(session: Session, key: str) -> Partnership | None:
    """A partnership by slug, or by name or place ignoring case."""
    lowered = key.strip().lower()
    return session.scalar(select(Partnership).where(Partnership.active, or_(
        Partnership.slug == lowered, func.lower(Partnership.name) == lowered,
        func.lower(Partnership.place) == lowered)).limit(1))


@dataclass(frozen=True)
class Overview:
    """Partnerships most in need first, a page at a time: staff only. ``summaries`` is
    the page; ``total`` counts every active partnership."""

    summaries: list[Summary]
    today: CalendarDay
    page: int = 1
    pages: int = 1
    total: int = 0


OVERVIEW_PAGE = 15  # partnerships per page: a screenful, well inside Slack's 50 blocks


def overview_page(session: Session, now: datetime, today: CalendarDay, page: int) -> Overview:
    """One page of every partnership, most in need first (pages beyond the last show the
    last one): ranked from the partnerships' standings (storage/standing.py), then only
    the page's fifteen summarised and flagged."""
    order = ranking(session, now, today)
    pages = max(1, -(-len(order) // OVERVIEW_PAGE))
    page = min(max(1, page), pages)
    start = (page - 1) * OVERVIEW_PAGE
    ids = order[start:start + OVERVIEW_PAGE]
    found = {s.partnership_id: s for s in summaries(session, now, today, ids, flagged=False)
             } if ids else {}
    shown = [found[pid] for pid in ids if pid in found]
    add_flags(session, shown)
    return Overview(shown, today, page, pages, len(order))


def staff_overview(db: SessionFactory, who: Viewer | None, page: int, now: datetime
                   ) -> Overview | Refusal:
    """A page of the overview for staff (the "More" buttons); anyone else is refused."""
    if who is None or not who.is_staff:
        return Refusal("not_yours")
    with db() as session:
        return overview_page(session, now, load_calendar(session).on(now), page)


@dataclass(frozen=True)
class PartnershipStatus:
    """One partnership in full: its leads and staff only."""

    detail: Detail
    today: CalendarDay
    other_led_slug: str | None = None  # a lead of several: how to ask for the next one


@dataclass(frozen=True)
class OwnStatus:
    """A member's own answers and nobody else's."""

    checkins: list[OwnCheckin]
    tz: str
    for_leads_note: bool


@dataclass(frozen=True)
class Refusal:
    """Why nothing is shown: ``outsider``, ``unknown`` (with the key) or ``not_yours``."""

    reason: str
    key: str = ""


StatusView = Overview | PartnershipStatus | OwnStatus | Refusal


def status_view(db: SessionFactory, who: Viewer | None, key: str, now: datetime
                ) -> StatusView:
    """What `/lp status [key]` shows this viewer: the privacy rule for status, decided
    from the database whatever the request claims."""
    key = key.strip()
    if who is None or is_outsider(who):
        return Refusal("outsider")
    with db() as session:
        today = load_calendar(session).on(now)
        if who.is_staff and (key.lower() == "all" or (not key and not who.led)):
            return overview_page(session, now, today, 1)
        target: int | None = None
        if key:
            partnership = find_partnership(session, key)
            if partnership is None:
                if not who.is_staff and not who.led:
                    return _own(session, who, today, note=True)
                return Refusal("unknown", key)
            target = partnership.id
        elif who.led:
            target = who.led[0].partnership_id
        if target is None or not who.may_see_partnership(target):
            if who.led:
                return Refusal("not_yours")
            return _own(session, who, today, note=True)
        detail = partnership_detail(session, now, today, target)
        if detail is None:
            return Refusal("unknown", key)
        several = who.led[1].slug if not key and len(who.led) > 1 else None
        return PartnershipStatus(detail, today, several)


def _own(session: Session, who: Viewer, today: CalendarDay, *, note: bool) -> OwnStatus:
    return OwnStatus(own_checkins(session, who.person_id),
                     person_zone(session, who.person_id, today.timezone), note)


def find_partnership_id(db: SessionFactory, key: str) -> int | None:
    with db() as session:
        found = find_partnership(session, key)
        return found.id if found else None


def operator_overview(db: SessionFactory, now: datetime) -> Overview:
    """Every partnership, for the operator's terminal (`lpbot status`)."""
    with db() as session:
        today = load_calendar(session).on(now)
        found = summaries(session, now, today)
        return Overview(found, today, 1, 1, len(found))


def operator_status(db: SessionFactory, key: str, now: datetime) -> PartnershipStatus | None:
    """One partnership by slug, name or place, for the operator's terminal."""
    with db() as session:
        partnership = find_partnership(session, key)
        if partnership is None:
            return None
        today = load_calendar(session).on(now)
        detail = partnership_detail(session, now, today, partnership.id)
        return PartnershipStatus(detail, today) if detail else None

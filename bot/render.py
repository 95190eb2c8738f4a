"""Turn what the database knows into the views a person may see.

Privacy lives here and in the handlers' checks: members see their own answers, leads
their partnership, staff everything.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.blocks import messages as msg
from bot.blocks.checkin import CheckinPrefill, ObjectiveChoice, checkin_modal
from bot.blocks.common import echo, mrkdwn_section
from bot.blocks.home import home_view
from bot.blocks.objectives import objectives_modal
from bot.blocks.status import overview_blocks, own_checkin_blocks, status_blocks
from storage.access import Viewer, is_outsider
from storage.checkins import current_round
from storage.models import Checkin, Objective, Partnership, Person
from storage.queries import (
    find_partnership,
    load_calendar,
    own_checkins,
    partnership_detail,
    summaries,
)


def person_tz(session: Session, viewer: Viewer, fallback: str) -> str:
    person = session.get(Person, viewer.person_id)
    return (person.tz if person and person.tz else None) or fallback


def home_for(session: Session, viewer: Viewer | None, now: datetime) -> View:
    """The App Home for this viewer."""
    calendar = load_calendar(session, now)
    if viewer is None:
        return home_view(viewer=None, own=[], partnerships=[], lead_status=[], overview=None,
                         tz=calendar.timezone)
    mine = summaries(session, now, calendar, [s.partnership_id for s in viewer.seats]) \
        if viewer.seats else []
    lead_status = []
    for seat in viewer.led:
        detail = partnership_detail(session, now, calendar, seat.partnership_id)
        if detail is not None:
            lead_status.append(status_blocks(detail, calendar, now))
    overview = overview_blocks(summaries(session, now, calendar), calendar) \
        if viewer.is_staff else None
    return home_view(viewer=viewer, own=own_checkins(session, viewer.person_id),
                     partnerships=mine, lead_status=lead_status, overview=overview,
                     tz=person_tz(session, viewer, calendar.timezone))


def status_for(session: Session, viewer: Viewer | None, key: str, now: datetime
               ) -> list[Block]:
    """What `/lp status [key]` shows this viewer; refusals are polite messages."""
    calendar = load_calendar(session, now)
    key = key.strip()
    if viewer is None or is_outsider(viewer):
        return [mrkdwn_section(msg.HELP_OUTSIDER)]
    if viewer.is_staff and (key.lower() == "all" or (not key and not viewer.led)):
        return overview_blocks(summaries(session, now, calendar), calendar)
    if key:
        partnership = find_partnership(session, key)
        if partnership is None:
            if not viewer.is_staff and not viewer.led:
                return _own(session, viewer, calendar.timezone)
            return [mrkdwn_section(msg.UNKNOWN_PARTNERSHIP.format(key=echo(key, 80)))]
        target = partnership.id
    elif viewer.led:
        target = viewer.led[0].partnership_id
    else:
        return _own(session, viewer, calendar.timezone)
    if not viewer.may_see_partnership(target):
        if viewer.led:
            return [mrkdwn_section(msg.NOT_YOUR_PARTNERSHIP)]
        return _own(session, viewer, calendar.timezone)
    detail = partnership_detail(session, now, calendar, target)
    if detail is None:
        return [mrkdwn_section(msg.UNKNOWN_PARTNERSHIP.format(key=echo(key, 80)))]
    blocks = status_blocks(detail, calendar, now)
    if not key and len(viewer.led) > 1:
        blocks.append(mrkdwn_section(msg.SEVERAL_LED.format(command="status",
                                                            slug=viewer.led[1].slug)))
    return blocks


def _own(session: Session, viewer: Viewer, tz: str) -> list[Block]:
    return own_checkin_blocks(own_checkins(session, viewer.person_id),
                              person_tz(session, viewer, tz), preface=msg.STATUS_FOR_LEADS)


def _active_objectives(session: Session, partnership_id: int) -> list[Objective]:
    return list(session.scalars(select(Objective).where(
        Objective.partnership_id == partnership_id, Objective.active)
        .order_by(Objective.position)))


def objectives_view_for(session: Session, partnership_id: int) -> View:
    """The leads' objectives editor for one partnership."""
    partnership = session.get_one(Partnership, partnership_id)
    return objectives_modal(
        partnership_id=partnership_id, challenge=partnership.challenge,
        objectives=[ObjectiveChoice(o.id, o.title)
                    for o in _active_objectives(session, partnership_id)])


def checkin_view_for(session: Session, viewer: Viewer, partnership_id: int,
                     now: datetime) -> View:
    """The check-in modal, pre-filled with this round's earlier answers if there are any."""
    partnership = session.get_one(Partnership, partnership_id)
    objectives = _active_objectives(session, partnership_id)
    rnd = current_round(session, partnership_id, now)
    earlier = session.scalar(select(Checkin).where(
        Checkin.person_id == viewer.person_id, Checkin.round_id == rnd.id))
    statuses = {}
    prefill = None
    if earlier is not None:
        statuses = {u.objective_id: u.status for u in earlier.updates}
        prefill = CheckinPrefill(earlier.momentum, earlier.highlights, earlier.blockers,
                                 earlier.help_wanted, earlier.help_text, earlier.next_steps)
    choices = [ObjectiveChoice(o.id, o.title, statuses.get(o.id)) for o in objectives]
    return checkin_modal(partnership_id=partnership.id, partnership_name=partnership.name,
                         challenge=partnership.challenge, objectives=choices, prefill=prefill)

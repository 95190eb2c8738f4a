"""Fill the stand-in's workspace with the people and channels of a programme."""

from __future__ import annotations

from bot.playground.standin.server import StandIn
from storage.programme import ProgrammeSpec


def seed_workspace(standin: StandIn, spec: ProgrammeSpec,
                   time_zones: dict[str, str] | None = None) -> None:
    """Users for every person (with a time zone), a channel per partnership and the digest
    channel with the staff in it."""
    time_zones = time_zones or {}
    ws = standin.workspace
    with standin.lock:
        people = {p.slack_id: p for p in spec.staff}
        for partnership in spec.partnerships:
            people.update({m.slack_id: m for m in partnership.members})
            if partnership.channel:
                ws.add_channel(partnership.channel, partnership.slug,
                               [m.slack_id for m in partnership.members])
        for slack_id, person in people.items():
            ws.add_user(slack_id, person.name, tz=time_zones.get(slack_id, spec.timezone))
        if spec.digest_channel:
            ws.add_channel(spec.digest_channel, "programme-digest",
                           [s.slack_id for s in spec.staff])

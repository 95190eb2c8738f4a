"""Typed ORM models, one module per concern: the programme and its people
(:mod:`.programme`), check-ins (:mod:`.checkins`), the outbox (:mod:`.delivery`) and the
audit log (:mod:`.audit`). Everything is re-exported here, so ``from storage.models import
X`` works for every model, and ``Base.metadata`` (Alembic's autogenerate target) holds
every table once this package is imported."""

from storage.models.audit import AuditEvent
from storage.models.base import NAMING, Base, UTCDateTime
from storage.models.checkins import (
    CHECKIN_SOURCES,
    ROUND_KINDS,
    Checkin,
    CheckinRound,
    ObjectiveUpdate,
    PartnershipStanding,
    RoundInstitution,
    StallEpisode,
)
from storage.models.delivery import DELIVERY_STATUSES, Delivery
from storage.models.programme import (
    ROLES,
    LullWindow,
    Membership,
    Objective,
    ObjectiveRevision,
    Partnership,
    Person,
    Programme,
)

__all__ = [
    "CHECKIN_SOURCES", "DELIVERY_STATUSES", "NAMING", "ROLES", "ROUND_KINDS",
    "AuditEvent", "Base", "Checkin", "CheckinRound", "Delivery", "LullWindow", "Membership",
    "Objective", "ObjectiveRevision", "ObjectiveUpdate", "Partnership", "PartnershipStanding",
    "Person", "Programme", "RoundInstitution", "StallEpisode", "UTCDateTime",
]

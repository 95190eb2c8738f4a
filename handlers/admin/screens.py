"""Showing the Programme view and its editors: sealed to the staff member who asked,
opened over the `/lp admin` modal when clicked from it, refreshed after every save."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from bot.blocks import messages as msg
from bot.blocks.admin import programme_home, programme_modal
from bot.shell.deps import Deps
from bot.shell.view_seal import ViewClaim
from handlers.common import best_effort, dm, log_id, logger
from storage.admin_view import PartnershipDraft, StaffRow, admin_view, recent_changes
from storage.calendar import ProgrammeCalendar
from storage.programme import Cadence

CREATE = "create"  # the calendar editor's seal when it creates the programme


def version_of(shown: object) -> str:
    """A short fingerprint of what an editor showed (frozen values from the read model),
    sealed with it: on submit, a different fingerprint now means someone else
    saved in between, and saving over it would lose their change."""
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:16]


def partnership_version(draft: PartnershipDraft) -> str:
    """The partnership editor's fingerprint (people in a fixed order: names may tie)."""
    spec = draft.spec
    return version_of(replace(draft, spec=spec.model_copy(update={
        "members": tuple(sorted(spec.members, key=lambda m: m.slack_id)),
        "leads": tuple(sorted(spec.leads))})))


def staff_version(rows: Sequence[StaffRow]) -> str:
    """The staff editor's fingerprint."""
    return version_of(sorted((r.slack_id, r.name) for r in rows))


def calendar_version(calendar: ProgrammeCalendar) -> str:
    """The calendar editor's fingerprint: of what it shows (lulls have their own editor,
    and the rest of the programme section its file: both are kept)."""
    return version_of(replace(calendar, lulls=(), report_back_prompt_days=0, themes=(),
                              digest_dm_staff=False, cadence=Cadence()))


def sealed(deps: Deps, purpose: str, owner: str, partnership_id: int | None = None,
           base: str = "") -> str:
    return deps.seal.seal(ViewClaim(purpose, owner, partnership_id, base))


def admin_modal(deps: Deps, slack_id: str) -> View:
    """The `/lp admin` modal, as it stands now."""
    return programme_modal(admin_view(deps.db), recent_changes(deps.db),
                           sealed(deps, "admin", slack_id))


def show_programme_home(deps: Deps, client: WebClient, slack_id: str) -> None:
    """App Home showing the Programme view."""
    view = programme_home(admin_view(deps.db), recent_changes(deps.db))
    with best_effort("home publish", user=slack_id):
        client.views_publish(user_id=slack_id, view=view)


def refresh(deps: Deps, client: WebClient, slack_id: str, root_view_id: Any = None) -> None:
    """After a save: App Home shows the Programme view, and the `/lp admin` modal the
    editor was opened over (if any) shows the change too."""
    show_programme_home(deps, client, slack_id)
    if isinstance(root_view_id, str) and root_view_id:
        with best_effort("views.update", user=slack_id, view=root_view_id):
            client.views_update(view_id=root_view_id, view=admin_modal(deps, slack_id))


def from_modal(body: dict[str, Any]) -> bool:
    """Was this click made inside a modal (then an editor is pushed over it)?"""
    view = body.get("view")
    return isinstance(view, dict) and view.get("type") == "modal"


def open_editor(client: WebClient, body: dict[str, Any], view: View, slack_id: str) -> None:
    """views.push over the `/lp admin` modal, else views.open; a refusal is told by DM."""
    trigger = str(body.get("trigger_id") or "")
    try:
        if from_modal(body):
            client.views_push(trigger_id=trigger, view=view)
        else:
            client.views_open(trigger_id=trigger, view=view)
    except (SlackApiError, OSError) as error:
        reason = error.response.get("error") if isinstance(error, SlackApiError) \
            else type(error).__name__
        logger.warning("admin editor not opened user=%s error=%s", log_id(slack_id),
                       log_id(reason))
        dm(client, slack_id, msg.VIEW_OPEN_FAILED)

"""Staff's buttons in the Programme view: each one asks ``is_staff`` first, whatever the
payload says, and tells anyone else politely (by DM: App Home has nowhere else)."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.blocks import admin_text as t
from bot.blocks.admin import lull_key
from bot.blocks.admin_forms import (
    lull_editor,
    partnership_editor,
    programme_editor,
    staff_editor,
)
from bot.shell.deps import Deps
from handlers.admin.gate import is_staff, refuse
from handlers.admin.screens import (
    CREATE,
    calendar_version,
    open_editor,
    partnership_version,
    refresh,
    sealed,
    show_programme_home,
    staff_version,
)
from handlers.common import dm, int_value, user_id
from handlers.home import publish_home
from storage.admin_edits import save_lulls
from storage.admin_view import admin_view, partnership_draft, programme_exists
from storage.calendar import Lull
from storage.db import StorageError
from storage.programme_base import ProgrammeError


def _value(body: dict[str, Any]) -> str:
    actions = body.get("actions")
    first = actions[0] if isinstance(actions, list) and actions else {}
    value = first.get("value") if isinstance(first, dict) else None
    return value if isinstance(value, str) else ""


def _admitted(deps: Deps, body: dict[str, Any], client: WebClient, what: str) -> str | None:
    """The clicker's Slack id when they are staff; else a polite DM and None."""
    slack_id = user_id(body)
    if is_staff(deps, client, slack_id):
        return slack_id
    refuse(what, slack_id)
    if slack_id:
        dm(client, slack_id, t.STAFF_ONLY)
    return None


def show_programme(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """App Home switches to the Programme view."""
    slack_id = _admitted(deps, body, client, "programme view")
    if slack_id:
        show_programme_home(deps, client, slack_id)


def show_overview(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """App Home switches back to the overview (anyone's own Home, nothing to refuse)."""
    slack_id = user_id(body)
    if slack_id:
        publish_home(deps, client, slack_id)


def edit_programme(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """The calendar editor (also "Create the programme")."""
    slack_id = _admitted(deps, body, client, "programme editor")
    if not slack_id:
        return
    row = admin_view(deps.db).programme
    open_editor(client, body, programme_editor(
        row, sealed(deps, "programme", slack_id,
                    base=calendar_version(row) if row else CREATE)), slack_id)


def edit_partnership(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """A partnership's editor: a new one, or the one the button names."""
    slack_id = _admitted(deps, body, client, "partnership editor")
    if not slack_id:
        return
    if not programme_exists(deps.db):
        dm(client, slack_id, t.NEED_PROGRAMME)
        return
    partnership_id = int_value(_value(body))
    draft = partnership_draft(deps.db, partnership_id) if partnership_id else None
    if partnership_id and draft is None:
        dm(client, slack_id, t.STALE)
        return
    open_editor(client, body, partnership_editor(draft, sealed(
        deps, "partnership", slack_id, draft.partnership_id if draft else None,
        f"{partnership_version(draft)}:{draft.spec.slug}" if draft else "")), slack_id)


def edit_staff(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    slack_id = _admitted(deps, body, client, "staff editor")
    if not slack_id:
        return
    rows = admin_view(deps.db).staff
    open_editor(client, body, staff_editor([s.slack_id for s in rows], sealed(
        deps, "staff", slack_id, base=staff_version(rows))), slack_id)


def _lull_at(deps: Deps, key: str) -> tuple[int, Lull] | None:
    """The lull a button names, if it is still where the button saw it."""
    row = admin_view(deps.db).programme
    index = int_value(key.partition(":")[0])
    if row is None or index is None or not 0 <= index < len(row.lulls):
        return None
    lull = row.lulls[index]
    return (index, lull) if lull_key(index, lull) == key else None


def edit_lull(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """Add a lull window, or edit the one the button names."""
    slack_id = _admitted(deps, body, client, "lull editor")
    if not slack_id:
        return
    row = admin_view(deps.db).programme
    if row is None:
        dm(client, slack_id, t.NEED_PROGRAMME)
        return
    key = _value(body)
    found = _lull_at(deps, key) if key else None
    if key and found is None:
        dm(client, slack_id, t.STALE)
        return
    view = lull_editor(found[1] if found else None,
                       sealed(deps, "lull", slack_id, base=key if found else ""),
                       weekday=row.weekday)
    open_editor(client, body, view, slack_id)


def remove_lull(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """Remove a lull window (Slack asked to confirm before the click reached us)."""
    slack_id = _admitted(deps, body, client, "lull removal")
    if not slack_id:
        return
    row = admin_view(deps.db).programme
    found = _lull_at(deps, _value(body))
    if row is None or found is None:
        dm(client, slack_id, t.STALE)
        return
    kept = [lull for index, lull in enumerate(row.lulls) if index != found[0]]
    try:
        save_lulls(deps.db, kept, actor=slack_id, now=deps.clock())
    except (ProgrammeError, StorageError):
        dm(client, slack_id, t.NOT_SAVED)
        return
    view = body.get("view")
    root = view.get("root_view_id") if isinstance(view, dict) and \
        view.get("type") == "modal" else None
    refresh(deps, client, slack_id, root)


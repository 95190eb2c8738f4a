"""Staff's editor submissions: checked, validated and saved inside the ack, so every
problem shows inline on the field it names; App Home is refreshed after the ack.

Before anything is read, the submitter must be staff (``is_staff``, on the server) and
the view must carry lpbot's seal for this editor and this person: a member posting a
staff editor's callback_id, or a forged or stale private_metadata, is refused politely.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks import admin_forms as f
from bot.blocks import admin_text as t
from bot.blocks.admin import lull_key
from bot.shell.deps import Deps
from bot.shell.view_seal import ViewClaim
from handlers.admin.answers import (
    LULL_FIELDS,
    PARTNERSHIP_FIELDS,
    PROGRAMME_FIELDS,
    admitted,
    errors,
    saving,
)
from handlers.admin.naming import people_from_slack, remember_zones
from handlers.admin.parse import (
    parse_institutions,
    parse_lull,
    parse_partnership,
    parse_settings,
    parse_staff,
)
from handlers.admin.screens import (
    CREATE,
    calendar_version,
    partnership_version,
    refresh,
    sealed,
    staff_version,
)
from handlers.common import after_ack, deps_of, log_id, logger, user_id
from handlers.modals.state import choice, first_input_block, values
from storage.admin_edits import (
    save_lulls,
    save_partnership,
    save_settings,
    save_staff,
    slug_for,
)
from storage.admin_view import admin_view, known_institutions, partnership_draft
from storage.programme import PartnershipSpec
from storage.programme_edits import deactivate_partnership


def _saved(ack: Ack, deps: Deps, client: WebClient, body: dict[str, Any],
           view: dict[str, Any], first: str, fields: dict[str, str],
           save: Callable[[], Any], zones: dict[str, str] | None = None) -> bool:
    """Save inside the ack, its problems inline on their fields; once saved, App Home
    (and the `/lp admin` modal under the editor) are refreshed after the ack."""
    answer = saving(view, first, fields, save)
    ack(**(answer or {}))
    if answer is None:
        _then_refresh(deps, client, body, view, zones)
    return answer is None


def _then_refresh(deps: Deps, client: WebClient, body: dict[str, Any],
                  view: dict[str, Any], zones: dict[str, str] | None = None) -> None:
    root = view.get("root_view_id")
    after_ack(deps, "admin refresh", _refresh_after, deps=deps, client=client,
              slack_id=user_id(body), root=root if root != view.get("id") else None,
              zones=zones or {})


def _refresh_after(deps: Deps, client: WebClient, slack_id: str, root: Any,
                   zones: dict[str, str]) -> None:
    remember_zones(deps, zones)
    refresh(deps, client, slack_id, root)


def handle_programme(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                     client: WebClient, context: BoltContext) -> None:
    """The calendar editor: whoever creates the programme joins its (empty) staff list."""
    deps = deps_of(context)
    claim = admitted(ack, deps, client, body, view, "programme", f.B_NAME)
    if claim is None:
        return
    edit, problems = parse_settings(view)
    if edit is None:
        ack(response_action="errors", errors=problems)
        return
    now_shown = admin_view(deps.db).programme
    if claim.base == CREATE and now_shown is not None:
        ack(**errors(view, f.B_NAME, t.CREATED_SINCE))
        return
    if claim.base != CREATE and (now_shown is None
                                 or calendar_version(now_shown) != claim.base):
        ack(**errors(view, f.B_NAME, t.CHANGED_SINCE))
        return
    zones: dict[str, str] = {}

    def save() -> None:
        first = None
        if not admin_view(deps.db).staff:
            found = people_from_slack(deps, client, [claim.owner])
            zones.update(found.zones)
            first = found.people[0]
        save_settings(deps.db, edit, actor=claim.owner, now=deps.clock(), first_staff=first)

    if _saved(ack, deps, client, body, view, f.B_NAME, PROGRAMME_FIELDS, save, zones):
        logger.info("programme saved by=%s", log_id(claim.owner))


def handle_lull(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                context: BoltContext) -> None:
    """A lull window added or changed; the rest of the calendar as it stands."""
    deps = deps_of(context)
    claim = admitted(ack, deps, client, body, view, "lull", f.B_LULL_NAME)
    if claim is None:
        return
    lull, problems = parse_lull(view)
    row = admin_view(deps.db).programme
    if lull is None or row is None:
        ack(response_action="errors", errors=problems or {f.B_LULL_NAME: t.NEED_PROGRAMME})
        return
    lulls = list(row.lulls)
    if claim.base:
        index = next((i for i, w in enumerate(lulls) if lull_key(i, w) == claim.base), None)
        if index is None:
            ack(**errors(view, f.B_LULL_NAME, t.STALE))
            return
        lulls[index] = lull
    else:
        lulls.append(lull)
    _saved(ack, deps, client, body, view, f.B_LULL_NAME, LULL_FIELDS, lambda: save_lulls(
        deps.db, sorted(lulls, key=lambda w: w.starts), actor=claim.owner, now=deps.clock()))


def handle_partnership(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                       client: WebClient, context: BoltContext) -> None:
    """Step one saves the partnership and its people (named by Slack); the modal then
    turns into step two, the members' institutions."""
    deps = deps_of(context)
    claim = admitted(ack, deps, client, body, view, "partnership", f.B_P_NAME)
    if claim is None:
        return
    before = partnership_draft(deps.db, claim.partnership_id) if claim.partnership_id \
        else None
    if before is None and claim.partnership_id is not None:
        ack(**errors(view, f.B_P_NAME, t.STALE))
        return
    shown, _, shown_slug = claim.base.partition(":")
    if before is not None and (shown != partnership_version(before)
                               or shown_slug != before.spec.slug):
        ack(**errors(view, f.B_P_NAME, t.CHANGED_SINCE))
        return
    if before is not None and choice(values(view), f.B_P_STATUS) == f.TAKEN_OUT:
        # Taking out depends on nothing else in the form (its objectives included).
        _take_out(deps, client, ack, body, view, claim, before.spec.slug, before.active)
        return
    form, problems = parse_partnership(view)
    if form is None:
        ack(response_action="errors", errors=problems)
        return
    objectives = form.objectives if form.objectives is not None else \
        before.spec.objectives if before is not None else ()
    # A partnership taken out earlier comes back under its own slug, as a new entry.
    original = before.spec.slug if before is not None and before.active else None
    slug = form.slug or slug_for(form.name)
    zones: dict[str, str] = {}
    saved: list[int] = []

    def save() -> None:
        found = people_from_slack(deps, client, form.members)
        zones.update(found.zones)
        edit = PartnershipSpec.model_construct(  # unchecked: saving checks it
            slug=slug, name=form.name, place=form.place, challenge=form.challenge,
            channel=form.channel, objectives=objectives, members=tuple(found.people),
            leads=form.leads)
        saved.append(save_partnership(deps.db, edit, original_slug=original,
                                      actor=claim.owner, now=deps.clock()))

    answer = saving(view, f.B_P_NAME, PARTNERSHIP_FIELDS, save)
    if answer is not None:
        ack(**answer)
        return
    draft = partnership_draft(deps.db, saved[0])
    if draft is None:  # taken out by someone else in the moment since it was saved
        ack(**errors(view, f.B_P_NAME, t.STALE))
        return
    logger.info("partnership saved id=%s by=%s", draft.partnership_id, log_id(claim.owner))
    ack(response_action="update", view=f.institutions_editor(
        draft.spec.members, known_institutions(deps.db),
        sealed(deps, "institutions", claim.owner, draft.partnership_id, draft.spec.slug)))
    _then_refresh(deps, client, body, view, zones)


def _take_out(deps: Deps, client: WebClient, ack: Ack, body: dict[str, Any],
              view: dict[str, Any], claim: ViewClaim, slug: str, active: bool) -> None:
    """Deactivate (never delete) the partnership the editor shows; nothing else changes."""
    def take_out() -> None:
        if active:  # already out: nothing to save
            deactivate_partnership(deps.db, slug, actor=claim.owner, now=deps.clock())

    if _saved(ack, deps, client, body, view, f.B_P_NAME, PARTNERSHIP_FIELDS, take_out):
        logger.info("partnership taken out slug=%s by=%s", log_id(slug), log_id(claim.owner))


def handle_institutions(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                        client: WebClient, context: BoltContext) -> None:
    """Step two: each member's institution, chosen or typed new."""
    deps = deps_of(context)
    first = first_input_block(view, "")
    claim = admitted(ack, deps, client, body, view, "institutions", first)
    if claim is None:
        return
    draft = partnership_draft(deps.db, claim.partnership_id or 0)
    if draft is None or draft.spec.slug != claim.base:
        ack(**errors(view, first, t.STALE))
        return
    chosen = parse_institutions(view, known_institutions(deps.db))
    spec = draft.spec
    edit = spec.model_copy(update={"members": tuple(
        m.model_copy(update={"institution": chosen.get(m.slack_id) or m.institution})
        for m in spec.members)})
    _saved(ack, deps, client, body, view, first, {}, lambda: save_partnership(
        deps.db, edit, original_slug=spec.slug, actor=claim.owner, now=deps.clock()))


def handle_staff(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                 context: BoltContext) -> None:
    deps = deps_of(context)
    claim = admitted(ack, deps, client, body, view, "staff", f.B_STAFF)
    if claim is None:
        return
    chosen = parse_staff(view)
    if staff_version(admin_view(deps.db).staff) != claim.base:
        ack(**errors(view, f.B_STAFF, t.CHANGED_SINCE))
        return
    zones: dict[str, str] = {}

    def save() -> None:
        found = people_from_slack(deps, client, chosen)
        zones.update(found.zones)
        save_staff(deps.db, found.people, actor=claim.owner, now=deps.clock())

    _saved(ack, deps, client, body, view, f.B_STAFF,
           {"staff": f.B_STAFF, "slack_id": f.B_STAFF}, save, zones)

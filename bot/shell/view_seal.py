"""Binds each modal lpbot opens to its owner, purpose and partnership, with a MAC.

Slack's signature proves a request came from Slack, not that the view in it is one lpbot
opened for that person: a view's ``private_metadata`` comes back as the client sent it.
So the bot seals what it needs to know there (whose view, for what, which partnership, and
the check-in it was opened against) with an HMAC whose key only the server holds, and a
submission is believed only when the seal is intact and the submitter is the owner.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from typing import Any

PURPOSES = ("checkin", "choose", "objectives", "intro", "edit",
            # staff's programme editors (handlers/admin)
            "admin", "programme", "partnership", "institutions", "staff", "lull")
MAC_CHARS = 32  # 128 bits of HMAC-SHA256


@dataclass(frozen=True)
class ViewClaim:
    """What lpbot knew when it opened a view. ``base`` names the check-in the view was
    opened against ("" for none), so a view opened before a later amendment can't undo it.
    ``home``: opened from the App Home tab, which the person sees again when the modal
    closes (Slack sends no app_home_opened then), so an answer refreshes it."""

    purpose: str
    owner: str
    partnership_id: int | None = None
    base: str = ""
    home: bool = False


class ViewSeal:
    """Seals and opens ``private_metadata``; built once from a server-held secret."""

    def __init__(self, secret: str | bytes) -> None:
        raw = secret.encode() if isinstance(secret, str) else secret
        # A key of its own, so the MAC can never be mistaken for a request signature.
        self._key = hmac.new(raw, b"lpbot view metadata v1", hashlib.sha256).digest()

    @classmethod
    def random(cls) -> ViewSeal:
        """A seal only this process can open (tests that build ``Deps`` by hand)."""
        return cls(os.urandom(32))

    @classmethod
    def for_app(cls, signing_secret: str | None, bot_token: str | None) -> ViewSeal:
        """The seal every process of one install shares: keyed on the signing secret in
        HTTP mode, on the bot token in Socket Mode; both only the server holds."""
        secret = signing_secret or bot_token
        return cls(secret) if secret else cls.random()

    def _mac(self, fields: dict[str, Any]) -> str:
        canonical = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
        return hmac.new(self._key, canonical, hashlib.sha256).hexdigest()[:MAC_CHARS]

    def seal(self, claim: ViewClaim) -> str:
        """The ``private_metadata`` for a view lpbot is about to open."""
        fields = {"k": claim.purpose, "u": claim.owner, "p": claim.partnership_id,
                  "b": claim.base, "h": claim.home}
        return json.dumps({**fields, "m": self._mac(fields)}, separators=(",", ":"))

    def open(self, metadata: Any) -> ViewClaim | None:
        """The claim in ``metadata``, or None when it is missing, malformed or altered."""
        try:
            data = json.loads(metadata) if isinstance(metadata, str) else None
        except ValueError:
            return None
        # A view sealed before "h" existed (open in Slack across an upgrade) has none.
        if not isinstance(data, dict) or set(data) - {"h"} != {"k", "u", "p", "b", "m"}:
            return None
        mac = data.pop("m")
        if not isinstance(mac, str) or not hmac.compare_digest(mac, self._mac(data)):
            return None
        purpose, owner, partnership, base = data["k"], data["u"], data["p"], data["b"]
        home = data.get("h", True)  # such a view refreshes the Home, as every view did
        if (purpose not in PURPOSES or not isinstance(owner, str) or not isinstance(base, str)
                or not (partnership is None or type(partnership) is int)
                or type(home) is not bool):
            return None
        return ViewClaim(purpose, owner, partnership, base, home)

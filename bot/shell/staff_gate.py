"""Who counts as programme staff besides the programme's own list.

A fresh install has no staff list yet, so someone must be able to create the programme:
the ids in ``LPBOT_STAFF`` and the workspace's owners and admins (``users.info``
``is_owner`` / ``is_admin``). Slack's answer is kept for a few minutes per process, so
an admin clicking through the editors costs one ``users.info``, not one per click, and a
demoted admin loses the right within minutes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

TTL_SECONDS = 300.0
MAX_ENTRIES = 1000


class StaffGate:
    """The setting's ids plus a short-lived cache of who Slack says is an admin."""

    def __init__(self, staff_ids: frozenset[str] = frozenset(), *,
                 ttl: float = TTL_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.staff_ids = staff_ids
        self._ttl = ttl
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._admins: dict[str, tuple[float, bool]] = {}

    def listed(self, slack_id: str) -> bool:
        """Named in ``LPBOT_STAFF``."""
        return slack_id in self.staff_ids

    def cached_admin(self, slack_id: str) -> bool | None:
        """What Slack said lately about this person, or None when it is time to ask."""
        with self._lock:
            found = self._admins.get(slack_id)
            if found is None or self._monotonic() - found[0] > self._ttl:
                return None
            return found[1]

    def remember_admin(self, slack_id: str, is_admin: bool) -> None:
        with self._lock:
            if len(self._admins) >= MAX_ENTRIES:
                self._admins.clear()  # a bounded cache; the next clicks ask Slack again
            self._admins[slack_id] = (self._monotonic(), is_admin)

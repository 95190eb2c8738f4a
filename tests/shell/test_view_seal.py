"""The seal on a view's private_metadata: what it carries, and what it refuses."""

from __future__ import annotations

import json

import pytest

from bot.shell.view_seal import ViewClaim, ViewSeal

SEAL = ViewSeal("a server-held secret")


@pytest.mark.parametrize("home", [False, True])
def test_a_claim_comes_back_as_sealed(home: bool) -> None:
    claim = ViewClaim("checkin", "U1", 7, "3:2026-11-28", home)
    assert SEAL.open(SEAL.seal(claim)) == claim


def test_a_view_sealed_before_the_home_flag_refreshes_the_home() -> None:
    """A form open in Slack across an upgrade was sealed without "h": it is still believed,
    and an answer to it refreshes the Home, as every answer did then."""
    fields = {"k": "checkin", "u": "U1", "p": 7, "b": ""}
    old = json.dumps({**fields, "m": SEAL._mac(fields)})
    assert SEAL.open(old) == ViewClaim("checkin", "U1", 7, "", home=True)


@pytest.mark.parametrize("home", ["yes", 1, None])
def test_a_home_flag_that_is_not_a_bool_is_refused(home: object) -> None:
    fields = {"k": "checkin", "u": "U1", "p": 7, "b": "", "h": home}
    assert SEAL.open(json.dumps({**fields, "m": SEAL._mac(fields)})) is None


def test_the_home_flag_is_under_the_mac() -> None:
    sealed = SEAL.seal(ViewClaim("checkin", "U1", 7, "", home=False))
    assert SEAL.open(sealed.replace('"h":false', '"h":true')) is None

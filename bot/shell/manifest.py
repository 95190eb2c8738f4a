"""The Slack app manifest (``manifest.yml``) as lpbot reads it: the bot scopes it asks for.

``lpbot doctor`` compares them with what the workspace granted, and the local stand-in
grants them by default, so the file stays the one list of scopes."""

from __future__ import annotations

from pathlib import Path

import yaml

DEFAULT_MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"


class ManifestError(Exception):
    """The manifest cannot be read or has no bot scopes; the message says which file."""


def bot_scopes(path: Path = DEFAULT_MANIFEST) -> tuple[str, ...]:
    """The bot scopes ``manifest.yml`` asks for, in the file's order."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ManifestError(f"cannot read {path} ({error.strerror})") from None
    except yaml.YAMLError:
        raise ManifestError(f"{path} is not valid YAML") from None
    scopes: object = data
    for key in ("oauth_config", "scopes", "bot"):
        scopes = scopes.get(key) if isinstance(scopes, dict) else None
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        raise ManifestError(f"{path} lists no bot scopes under oauth_config.scopes.bot")
    return tuple(scopes)

"""What every part of the programme model shares: checks across fields that still run when
another field is broken, and problems that name their place in the file.

Pydantic stops checking a model at its first broken field, but an author fixing a file
wants every problem at once: so each model's rules across fields (``cross_checks``) read
the raw input, and their problems join the field problems in one ValidationError.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

Loc = tuple[str | int, ...]

_FRIENDLY = {
    "missing": "is missing",
    "model_type": "should be a mapping of keys to values",
    "model_attributes_type": "should be a mapping of keys to values",
    "dict_type": "should be a mapping of keys to values",
    "list_type": "should be a list",
    "tuple_type": "should be a list",
    "extra_forbidden": "is not a key lpbot knows (a typo?)",
    "string_type": "should be text",
}
_MISSING_HINTS = {"start": " (a date such as 2026-04-14)", "report_back":
                  " (a date such as 2026-04-14)", "end": " (a date such as 2026-04-14)"}


class ProgrammeError(Exception):
    """A programme with problems: ``problems`` lists every one as a line naming its place
    (``partnerships[1] (hull).leads: …``); ``fields`` maps each place, as a path of keys
    and indexes, to its message, for editors that show a problem beside its field."""

    def __init__(self, problems: list[str],
                 fields: Mapping[Loc, str] | None = None) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
        self.fields: dict[Loc, str] = dict(fields or {})


class SpecModel(BaseModel):
    """A part of the programme: immutable, strict about unknown keys, every problem found."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True,
                              validate_default=True)

    @classmethod
    def cross_checks(cls, raw: Mapping[str, Any]) -> list[tuple[Loc, str]]:
        """Rules across this model's fields, read from the raw input (see the module)."""
        return []

    @model_validator(mode="wrap")
    @classmethod
    def _every_problem(cls, data: Any, handler: Any) -> Any:
        found = cls.cross_checks(data) if isinstance(data, Mapping) else []
        if not found:
            return handler(data)
        errors: list[InitErrorDetails] = []
        try:
            handler(data)
        except ValidationError as error:
            errors = [InitErrorDetails(type=PydanticCustomError(e["type"], e["msg"]),
                                       loc=e["loc"], input=e["input"]) for e in error.errors()]
        errors += [InitErrorDetails(type=PydanticCustomError("programme", message), loc=loc,
                                    input=None) for loc, message in found]
        raise ValidationError.from_exception_data(cls.__name__, errors)


def peek(adapter: TypeAdapter[Any], raw: Any, *path: str | int, default: Any = None) -> Any:
    """The value at ``path`` in raw input, checked by ``adapter``: ``default`` when it is
    absent, None when it is broken (its own problem is reported by its field)."""
    node = raw
    for key in path:
        if isinstance(node, BaseModel):
            node = node.model_dump(by_alias=True)
        if isinstance(key, int):
            if not isinstance(node, Sequence) or isinstance(node, str) or key >= len(node):
                return default
            node = node[key]
        elif not isinstance(node, Mapping) or node.get(key) is None:
            return default
        else:
            node = node[key]
    try:
        return adapter.validate_python(node)
    except ValidationError:
        return None


def items(raw: Any, key: str) -> list[Any]:
    """The raw list under ``key`` (empty when it is absent or not a list)."""
    value = raw.get(key) if isinstance(raw, Mapping) else None
    return list(value) if isinstance(value, list | tuple) else []


def describe(loc: Loc, raw: Any) -> str:
    """``partnerships[1] (hull).leads`` for a problem's place; ``file`` for the whole."""
    out = ""
    node = raw
    for position, key in enumerate(loc):
        if isinstance(key, int):
            out += f"[{key}]"
            node = node[key] if isinstance(node, list | tuple) and key < len(node) else None
            slug = node.get("slug") if isinstance(node, Mapping) else None
            if loc[0] == "partnerships" and position == 1 and isinstance(slug, str) and slug:
                out += f" ({slug})"
        else:
            out += f".{key}" if out else str(key)
            node = node.get(key) if isinstance(node, Mapping) else None
    return out or "file"


def as_programme_error(error: ValidationError, raw: Any) -> ProgrammeError:
    """Every problem of ``error`` as a line naming its place, and keyed by its place."""
    problems: list[str] = []
    fields: dict[Loc, str] = {}
    for item in error.errors():
        loc: Loc = tuple(item["loc"])
        message = _FRIENDLY.get(item["type"], item["msg"])
        if item["type"] == "missing" and loc:
            message += _MISSING_HINTS.get(str(loc[-1]), "")
        problems.append(f"{describe(loc, raw)}: {message}")
        fields[loc] = f"{fields[loc]}; {message}" if loc in fields else message
    return ProgrammeError(problems, fields)

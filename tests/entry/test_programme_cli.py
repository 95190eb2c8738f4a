"""`lpbot programme schema|export` and `lpbot audit` as an operator uses them."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from click.testing import CliRunner

from bot.entry.cli import main
from tests.conftest import EXAMPLE, ROOT
from tests.entry.test_cli import lpbot

SCHEMA = ROOT / "examples" / "programme.schema.json"


def as_json(value: Any) -> Any:
    """YAML as an editor sees it: unquoted dates are text."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()
                                 if isinstance(v, date) else str(v)))


def test_the_committed_schema_is_what_the_command_prints() -> None:
    printed = CliRunner().invoke(main, ["programme", "schema"])
    assert printed.exit_code == 0, printed.output
    assert printed.output == SCHEMA.read_text(encoding="utf-8"), (
        "examples/programme.schema.json is stale: lpbot programme schema > it")


def test_the_example_validates_against_the_schema_and_a_typo_does_not() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    raw = as_json(yaml.safe_load(EXAMPLE.read_text()))
    jsonschema.validate(raw, schema)
    typo = copy.deepcopy(raw)
    typo["programme"]["cadence"]["wekday"] = "monday"
    validator = jsonschema.Draft202012Validator(schema)
    assert [e.path for e in validator.iter_errors(typo)] != []
    bad_id = copy.deepcopy(raw)
    bad_id["partnerships"][0]["members"][0]["slack_id"] = "hamid"
    assert not validator.is_valid(bad_id)


def test_export_imports_elsewhere_unchanged_and_back_as_no_change(database_url: str,
                                                                 tmp_path: Path) -> None:
    empty = lpbot(["programme", "export"], database_url, tmp_path)
    assert empty.returncode != 0 and "no programme has been set up yet" in empty.stderr
    assert "Traceback" not in empty.stderr
    assert lpbot(["import", str(EXAMPLE)], database_url, tmp_path).returncode == 0
    out = tmp_path / "programme.yaml"
    done = lpbot(["programme", "export", "-o", str(out)], database_url, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "15 partnerships" in done.stdout
    again = lpbot(["import", str(out)], database_url, tmp_path)
    assert again.returncode == 0 and "no changes" in again.stdout
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert lpbot(["import", str(out)], other, tmp_path).returncode == 0
    printed = lpbot(["programme", "export"], other, tmp_path)
    assert printed.returncode == 0 and printed.stdout == out.read_text(encoding="utf-8")


def test_audit_lists_who_changed_what(database_url: str, tmp_path: Path) -> None:
    raw = yaml.safe_load(EXAMPLE.read_text())
    first = tmp_path / "first.yaml"
    first.write_text(yaml.safe_dump(raw))
    assert lpbot(["import", str(first)], database_url, tmp_path).returncode == 0
    raw["partnerships"][0]["name"] = "A new name"
    second = tmp_path / "second.yaml"
    second.write_text(yaml.safe_dump(raw))
    assert lpbot(["import", str(second)], database_url, tmp_path).returncode == 0
    listed = lpbot(["audit"], database_url, tmp_path)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    slug = raw["partnerships"][0]["slug"]
    assert f"second.yaml  partnership {slug}: name " in lines[0] and " file:" in lines[0]
    assert lines[0].endswith("→ 'A new name'")
    assert any(f"first.yaml  partnership {slug}: added" in line for line in lines)
    none = lpbot(["audit", "--since", "2999-01-01"], database_url, tmp_path)
    assert none.returncode == 0 and none.stdout.strip() == "no entries since 2999-01-01"
    bad = lpbot(["audit", "--since", "yesterday"], database_url, tmp_path)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr

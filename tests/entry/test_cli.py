"""The `lpbot` command line as an operator uses it, on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path

import yaml

from tests.conftest import EXAMPLE
from tests.processes import LPBOT, lpbot_env


def lpbot(args: list[str], database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LPBOT, *args], env=lpbot_env(DATABASE_URL=database_url), cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_upgrade_and_import_twice(database_url: str, tmp_path: Path) -> None:
    assert lpbot(["db", "upgrade"], database_url, tmp_path).returncode == 0
    first = lpbot(["import", str(EXAMPLE)], database_url, tmp_path)
    assert first.returncode == 0, first.stderr
    second = lpbot(["import", str(EXAMPLE)], database_url, tmp_path)
    assert second.returncode == 0 and "no changes" in second.stdout
    status = lpbot(["status"], database_url, tmp_path)
    assert status.returncode == 0 and "hull-inclusive-growth" in status.stdout
    one = lpbot(["status", "hull-inclusive-growth"], database_url, tmp_path)
    assert "Hull: inclusive growth" in one.stdout
    digest = lpbot(["digest", "--preview"], database_url, tmp_path)
    assert "weekly digest" in digest.stdout
    report = lpbot(["report", "hull-inclusive-growth"], database_url, tmp_path)
    assert "## The challenge" in report.stdout
    export = lpbot(["export", "--format", "csv", "-o", str(tmp_path / "out.csv")],
                   database_url, tmp_path)
    assert export.returncode == 0 and (tmp_path / "out.csv").read_text().startswith("row_type")


def test_a_broken_file_lists_every_problem_and_writes_nothing(database_url: str,
                                                             tmp_path: Path) -> None:
    raw = copy.deepcopy(yaml.safe_load(EXAMPLE.read_text()))
    del raw["partnerships"][0]["slug"]
    raw["partnerships"][1]["leads"] = ["U0NOBODY"]
    raw["programme"]["report_back"] = "not a date"
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(raw))
    done = lpbot(["import", str(broken)], database_url, tmp_path)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "3 problem(s); nothing was changed" in done.stderr
    assert "partnerships[0].slug" in done.stderr and "U0NOBODY" in done.stderr
    status = lpbot(["status"], database_url, tmp_path)
    assert "0 partnerships" in status.stdout or "lpbot" in status.stdout


def test_unknown_partnership_and_unreachable_database(tmp_path: Path, database_url: str) -> None:
    lpbot(["db", "upgrade"], database_url, tmp_path)
    missing = lpbot(["report", "nowhere"], database_url, tmp_path)
    assert missing.returncode != 0 and "no partnership" in missing.stderr
    away = lpbot(["db", "upgrade"], "postgresql+psycopg://nobody@127.0.0.1:1/none", tmp_path)
    assert away.returncode != 0 and "cannot reach the database" in away.stderr
    assert "Traceback" not in away.stderr


def test_help_lists_every_command(tmp_path: Path) -> None:
    shown = subprocess.run([*LPBOT, "--help"], env=lpbot_env(), cwd=tmp_path,
                           capture_output=True, text=True, timeout=60).stdout
    for command in ("db", "import", "run", "serve", "scheduler", "playground", "status",
                    "digest", "export", "report"):
        assert f"  {command} " in shown

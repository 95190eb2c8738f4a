"""`lpbot forget`, `lpbot retention --dry-run` and the import's question, as an operator
meets them, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
from pathlib import Path

from storage.programme import load_programme
from tests.conftest import EXAMPLE
from tests.processes import LPBOT, lpbot_env

SPEC = load_programme(EXAMPLE)
MEMBER = SPEC.partnerships[0].members[-1]


def lpbot(args: list[str], database_url: str, cwd: Path,
          answer: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LPBOT, *args], env=lpbot_env(DATABASE_URL=database_url), cwd=cwd,
                          capture_output=True, text=True, timeout=120, input=answer)


def test_forget_retention_and_reimport(database_url: str, tmp_path: Path) -> None:
    assert lpbot(["import", str(EXAMPLE)], database_url, tmp_path).returncode == 0
    dry = lpbot(["retention", "--dry-run"], database_url, tmp_path)
    assert dry.returncode == 0 and "nothing to remove" in dry.stdout
    assert "365 days after the report-back" in dry.stdout

    unknown = lpbot(["forget", "U0NOBODY", "--yes"], database_url, tmp_path)
    assert unknown.returncode != 0 and "holds nothing about U0NOBODY" in unknown.stderr
    declined = lpbot(["forget", MEMBER.slack_id], database_url, tmp_path, answer="n\n")
    assert declined.returncode != 0 and MEMBER.name in declined.stdout
    done = lpbot(["forget", MEMBER.slack_id], database_url, tmp_path, answer="y\n")
    assert done.returncode == 0 and "erased:" in done.stdout, done.stderr
    twice = lpbot(["forget", MEMBER.slack_id, "--yes"], database_url, tmp_path)
    assert twice.returncode != 0 and "erased already" in twice.stderr
    assert "Traceback" not in unknown.stderr + twice.stderr

    refused = lpbot(["import", str(EXAMPLE)], database_url, tmp_path, answer="n\n")
    assert refused.returncode != 0 and MEMBER.slack_id in refused.stdout
    assert "nothing was imported" in refused.stderr
    again = lpbot(["import", str(EXAMPLE), "--recreate-erased"], database_url, tmp_path)
    assert again.returncode == 0, again.stderr
    quiet = lpbot(["import", str(EXAMPLE)], database_url, tmp_path)
    assert quiet.returncode == 0 and "no changes" in quiet.stdout

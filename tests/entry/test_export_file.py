"""`lpbot programme export -o PATH`: a folder that is not there is one clear line, and the
file is written whole or not at all (a temporary file beside it, then a rename)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bot.entry.files import NEW_FILE_MODE, write_whole
from tests.conftest import EXAMPLE
from tests.entry.test_cli import lpbot


def test_a_missing_folder_is_one_clear_line(sqlite_url: str, tmp_path: Path) -> None:
    assert lpbot(["import", str(EXAMPLE)], sqlite_url, tmp_path).returncode == 0
    target = tmp_path / "nowhere" / "x.yml"
    done = lpbot(["programme", "export", "-o", str(target)], sqlite_url, tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"Error: cannot write {target} (No such file or directory): check that its folder "
        "exists and that you may write there"]
    assert not target.parent.exists()


def test_a_failed_write_leaves_the_old_file_and_no_half_file(tmp_path: Path) -> None:
    target = tmp_path / "programme.yaml"
    target.write_text("the old programme\n", encoding="utf-8")
    target.chmod(0o640)
    with pytest.raises(UnicodeEncodeError):  # fails half-way through writing
        write_whole(target, "programme:\n  name: \udcff broken\n")
    assert target.read_text(encoding="utf-8") == "the old programme\n"
    assert os.listdir(tmp_path) == ["programme.yaml"]  # no temporary file left behind
    write_whole(target, "the new programme\n")
    assert target.read_text(encoding="utf-8") == "the new programme\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # its permissions kept
    assert os.listdir(tmp_path) == ["programme.yaml"]


def test_a_new_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "export.yaml"
    write_whole(target, "programme: {}\n")
    assert stat.S_IMODE(target.stat().st_mode) == NEW_FILE_MODE
    with pytest.raises(FileNotFoundError):
        write_whole(tmp_path / "missing" / "export.yaml", "programme: {}\n")

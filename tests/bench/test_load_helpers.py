"""The load benchmark's own logic: signing, request files, percentiles, /proc CPU, the
result line, and the Python load generator against a real HTTP server (never timed)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_sdk.signature import Clock, SignatureVerifier

from bench.bodies import command_body
from bench.loadgen import drive, generator_command, read_requests, write_requests
from bench.measure import Result, merge, percentile, stat_fields, tree_cpu_seconds
from bench.report import Measured, Run, print_table
from bot.blocks.messages import BUSY
from bot.shell.web import serve_in_thread

SECRET = "bench-secret"


class _Clock(Clock):
    def now(self) -> float:
        return 1_700_000_100.0  # 100 s after the requests were signed


def test_requests_are_signed_as_slack_signs_them(tmp_path: Path) -> None:
    bodies = [command_body("U000000001", "status all", "http://x/respond/r1-all-0", "T1"),
              b"payload=%7B%7D"]
    path = tmp_path / "requests.txt"
    write_requests(path, bodies, SECRET, 1_700_000_000)
    verifier = SignatureVerifier(SECRET, clock=_Clock())
    lines = path.read_bytes().splitlines()
    assert len(lines) == 2
    for line, body in zip(lines, bodies, strict=True):
        stamp, signature, sent = line.split(b" ", 2)
        assert sent == body
        assert verifier.is_valid(sent, stamp.decode(), signature.decode())
        assert not verifier.is_valid(sent + b"x", stamp.decode(), signature.decode())
    assert parse_qs(bodies[0].decode())["text"] == ["status all"]


def test_a_body_with_a_space_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_requests(tmp_path / "r.txt", [b"a b"], SECRET, 1)


def test_request_files_become_raw_http(tmp_path: Path) -> None:
    path = tmp_path / "requests.txt"
    write_requests(path, [b"text=help"], SECRET, 1_700_000_000)
    (raw,) = read_requests(path, "127.0.0.1:9", "/slack/events")
    head, body = raw.split(b"\r\n\r\n")
    assert head.startswith(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1:9")
    assert b"Content-Length: 9" in head and b"X-Slack-Signature: v0=" in head
    assert body == b"text=help"


def test_wrk_is_given_the_script_and_each_thread_its_share(tmp_path: Path) -> None:
    command = generator_command("http://h/slack/events", tmp_path / "r", 5, 4, use_wrk=True)
    assert command[0] == "wrk" and command[-2:] == [str(tmp_path / "r"), "2"]
    assert "--timeout" in command and any(x.endswith("signed.lua") for x in command)
    python = generator_command("http://h/slack/events", tmp_path / "r", 5, 4, use_wrk=False)
    assert python[1:3] == ["-m", "bench.loadgen"]


def test_percentile_by_nearest_rank() -> None:
    values = [float(x) for x in range(1, 101)]
    assert percentile(values, 0.5) == 51.0  # round(49.5) is 50: the 51st value
    assert percentile(values, 0.99) == 99.0
    assert percentile([7.0], 0.99) == 7.0
    assert percentile([], 0.5) == 0.0


def test_proc_stat_with_spaces_and_brackets_in_the_name() -> None:
    fields = " ".join(str(n) for n in range(4, 53))  # fields 4 (ppid) onwards
    parent, ticks = stat_fields(f"4242 (gunicorn: (worker) x) S {fields}")
    assert parent == 4
    assert ticks == 14 + 15 + 16 + 17


def _stat(pid: int, parent: int, utime: int, stime: int) -> str:
    rest = [str(parent)] + ["0"] * 9 + [str(utime), str(stime), "1", "1"] + ["0"] * 30
    return f"{pid} (python3) S {' '.join(rest)}\n"


def test_a_process_tree_cpu_counts_master_and_workers_only(tmp_path: Path) -> None:
    for pid, parent, utime, stime in ((10, 1, 100, 50), (11, 10, 300, 100),
                                      (12, 11, 10, 10), (20, 1, 999, 999)):
        (tmp_path / str(pid)).mkdir()
        (tmp_path / str(pid) / "stat").write_text(_stat(pid, parent, utime, stime))
    (tmp_path / "self").mkdir()
    ticks = os.sysconf("SC_CLK_TCK")
    assert tree_cpu_seconds(10, tmp_path) == pytest.approx((152 + 402 + 22) / ticks)
    assert tree_cpu_seconds(20, tmp_path) == pytest.approx(2000 / ticks)


def test_result_line_round_trip_and_merge() -> None:
    one = Result(requests=100, seconds=10.0, p50_ms=10.0, p99_ms=40.0, late=1, errors=2,
                 bad=3, refused=4, busy=5)
    two = Result(requests=300, seconds=10.0, p50_ms=20.0, p99_ms=30.0, late=0, errors=0,
                 bad=0, refused=1)
    assert Result.parse("wrk says hello\n" + one.line() + "\n") == one
    both = merge([one, two])
    assert (both.requests, both.seconds, both.late, both.refused, both.busy) == \
        (400, 20.0, 1, 5, 5)
    assert both.p50_ms == pytest.approx(17.5) and both.p99_ms == 40.0
    assert one.per_second == 10.0


def _app(environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    if body.startswith(b"bad"):
        start("400 Bad Request", [("Content-Length", "0")])
        return [b""]
    answer = b'{"response_action":"errors","errors":{}}' if body.startswith(b"refuse") else \
        BUSY.encode() if body.startswith(b"busy") else b""
    start("200 OK", [("Content-Length", str(len(answer)))])
    return [answer]


def test_the_python_generator_counts_statuses_and_refusals(tmp_path: Path) -> None:
    path = tmp_path / "requests.txt"
    write_requests(path, [b"ok=1", b"bad=1", b"refuse=1", b"busy=1"], SECRET, 1_700_000_000)
    with serve_in_thread(_app) as base:
        host = base.removeprefix("http://")
        raw = read_requests(path, host, "/slack/events")
        result = asyncio.run(drive(base + "/slack/events", raw, 0.5, 2))
    assert result.requests > 0 and result.errors == 0 and result.late == 0
    assert result.bad > 0 and result.refused > 0 and result.busy > 0  # the ack said "busy"
    assert result.requests >= result.bad + result.refused + result.busy


def test_the_cpu_targets_are_judged_on_every_answer_computed(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Under load most requests are refused as busy: their acks' CPU over the few answers
    given says nothing of an answer's cost, so the verdict is bench.costs's figure."""
    def run(label: str, busy: int, cpu_seconds: float) -> tuple[str, Run]:
        result = Result(requests=10_000, seconds=10.0, p50_ms=3.0, p99_ms=9.0, late=0,
                        errors=0, bad=0, refused=0, busy=busy)
        return label, Run("/lp status (lead)", {"status": Measured(result, busy + 100, busy)},
                          cpu_seconds)

    runs = [run("floor", 0, 3.0), run("lpbot", 9_900, 5.0)]
    print_table(runs, ["/lp status (lead)"], {"status": 3.5})
    judged = capsys.readouterr().out
    assert "server CPU 3.50 ms an answer, every answer computed" in judged
    assert "(target <= 4 ms) met; under this load 0.50 ms a request, 50.00 ms an answer" \
        in judged
    assert "answers/s 1% of the floor's acks/s (target >= 30 %) MISSED" in judged
    print_table(runs, ["/lp status (lead)"])  # PostgreSQL: bench.costs is SQLite's
    assert "(target <= 4 ms an answer: python -m bench.costs measures it)" in \
        capsys.readouterr().out

"""What the load benchmark measures, apart from the servers: percentiles, a process
tree's CPU time from /proc, and the one-line result both load generators print."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

LATE_MS = 3000.0  # Slack shows a timeout when the ack takes longer
BUSY_MARKER = "try again in a minute"  # in an ack that says the answer pool is full


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def stat_fields(line: str) -> tuple[int, float]:
    """Parent pid and CPU ticks (utime + stime + cutime + cstime) from a /proc/<pid>/stat
    line; the command name in brackets may itself hold spaces and brackets."""
    rest = line[line.rindex(")") + 2:].split()
    # rest[0] is the state (field 3), so field n is rest[n - 3].
    return int(rest[1]), float(sum(int(rest[n - 3]) for n in (14, 15, 16, 17)))


def tree_cpu_seconds(root: int, proc: Path = Path("/proc")) -> float:
    """CPU seconds used so far by ``root`` and every process below it (gunicorn's master
    and workers), including children already reaped."""
    parents: dict[int, int] = {}
    ticks: dict[int, float] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent, used = stat_fields((entry / "stat").read_text())
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
        parents[int(entry.name)], ticks[int(entry.name)] = parent, used
    tree = {root}
    grew = True
    while grew:
        below = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= below
        grew = bool(below)
    return sum(ticks.get(pid, 0.0) for pid in tree) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Result:
    """One load generator run against one server: requests answered with an HTTP status,
    their latency, and what went wrong."""

    requests: int  # responses received (any status)
    seconds: float
    p50_ms: float
    p99_ms: float
    late: int  # acks after 3 s, and requests that timed out
    errors: int  # connect, read, write and timeout errors
    bad: int  # HTTP status >= 400
    refused: int  # 200 with inline errors (a modal submission the app refused)
    busy: int = 0  # 200 whose body says "try again" (the answer pool was full)

    def line(self) -> str:
        """The line the generators print (the wrk script prints the same)."""
        return "RESULT " + " ".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))

    @classmethod
    def parse(cls, output: str) -> Result:
        """The result line in a generator's output."""
        line = next(x for x in output.splitlines() if x.startswith("RESULT "))
        values = {k: float(v) for k, v in (pair.split("=", 1) for pair in line.split()[1:])}
        return cls(requests=int(values["requests"]), seconds=values["seconds"],
                   p50_ms=values["p50_ms"], p99_ms=values["p99_ms"], late=int(values["late"]),
                   errors=int(values["errors"]), bad=int(values["bad"]),
                   refused=int(values["refused"]), busy=int(values.get("busy", 0)))

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def merge(results: list[Result]) -> Result:
    """Several runs of one scenario as one: counts add up, percentiles are weighted by
    requests (close enough for runs of equal length)."""
    total = sum(r.requests for r in results) or 1
    return Result(
        requests=sum(r.requests for r in results), seconds=sum(r.seconds for r in results),
        p50_ms=sum(r.p50_ms * r.requests for r in results) / total,
        p99_ms=max((r.p99_ms for r in results), default=0.0),
        late=sum(r.late for r in results), errors=sum(r.errors for r in results),
        bad=sum(r.bad for r in results), refused=sum(r.refused for r in results),
        busy=sum(r.busy for r in results))

"""The load benchmark's table: each command's figures beside the floor's, as ratios, and
the issue's targets beside them (printed, never asserted)."""

from __future__ import annotations

from dataclasses import dataclass

from bench.measure import Result, merge

LABELS = {"help": "/lp help", "status": "/lp status (lead)", "all": "/lp status all (staff)",
          "checkin": "check-in submission"}
P99_RATIO, STATUS_CPU_MS, CHECKIN_CPU_MS = 3.0, 4.0, 10.0


@dataclass(frozen=True)
class Measured:
    """One kind of request in one run: the generator's result and what reached Slack."""

    result: Result
    answers: int  # real answers (response_url, or check-in confirmations), busy included
    busy: int  # "try again in a minute" answers (the answer pool was full)


@dataclass(frozen=True)
class Run:
    """One scenario against one server."""

    scenario: str
    measured: dict[str, Measured]
    cpu_seconds: float  # the server's master and workers, load and its answers

    @property
    def requests(self) -> int:
        return sum(m.result.requests for m in self.measured.values())


@dataclass(frozen=True)
class Figures:
    """One kind in one scenario on one server, its runs put together."""

    result: Result
    answers_per_s: float
    busy: int
    cpu_ms: float  # per request, all kinds of the scenario together
    # per real answer (busy ones not counted), all kinds together: when answers are shed,
    # CPU per request understates what an answer costs; this overstates it a little
    cpu_answer_ms: float

    @property
    def acks_per_s(self) -> float:
        return (self.result.requests - self.result.bad) / (self.result.seconds or 1)


def figures(runs: list[Run], kind: str) -> Figures:
    result = merge([r.measured[kind].result for r in runs])
    answers = sum(r.measured[kind].answers - r.measured[kind].busy for r in runs)
    requests = sum(r.requests for r in runs) or 1
    answered = sum(m.answers - m.busy for r in runs for m in r.measured.values()) or 1
    cpu = sum(r.cpu_seconds for r in runs)
    return Figures(result, answers / (result.seconds or 1),
                   sum(r.measured[kind].busy for r in runs), 1000 * cpu / requests,
                   1000 * cpu / answered)


def _ratio(value: float, floor: float) -> str:
    return f"{value / floor:.2f}×" if floor else "-"


def print_table(runs: list[tuple[str, Run]], scenarios: list[str],
                cpu: dict[str, float] | None = None) -> None:
    """The table, then the targets, met or missed. ``cpu``: bench.costs's CPU per request
    by kind, in-process with every answer computed (the CPU targets' own measure: under
    load most requests are refused as busy, and their acks' CPU is not an answer's)."""
    print("| scenario | command | server | acks/s | ack p50 | ack p99 | answers/s | busy "
          "| CPU/req | CPU/answer | late acks | errors/4xx/refused |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    notes: list[str] = []
    for scenario in scenarios:
        by_server = {label: [r for lab, r in runs if lab == label and r.scenario == scenario]
                     for label in ("floor", "lpbot")}
        for kind in by_server["lpbot"][0].measured:
            a, b = figures(by_server["floor"], kind), figures(by_server["lpbot"], kind)
            for label, f in (("floor", a), ("lpbot", b)):
                print(_row(scenario, kind, label, f, a))
            notes += _targets(scenario, kind, a, b, (cpu or {}).get(kind))
    print("\nacks/s: HTTP 200s a second; p50/p99 until the ack; answers/s: real answers at "
          "the response_url (check-ins: confirmations), ratio to the floor's acks/s; busy: "
          "'try again' answers (answer pool full); CPU/req: the server's master and workers "
          "from the first request until the answers stop, over the scenario's requests "
          "(mixed: all kinds together); CPU/answer: the same over the real answers (busy "
          "ones not counted); late: acks after 3 s or timed out. Ratios are "
          "lpbot ÷ floor; p50 is the runs' weighted mean, p99 the worst run's.")
    print("\nTargets (issue 15; the bench asserts nothing):")
    for note in notes:
        print(f"  {note}")


def _row(scenario: str, kind: str, label: str, f: Figures, floor: Figures) -> str:
    """One line of the table; lpbot's figures carry their ratio to the floor's."""
    lp = label == "lpbot"

    def cell(text: str, value: float, base: float) -> str:
        return f"{text} ({_ratio(value, base)})" if lp else text

    r, fr = f.result, floor.result
    return " | ".join([
        f"| {scenario}", LABELS[kind], label,
        cell(f"{f.acks_per_s:,.0f}", f.acks_per_s, floor.acks_per_s),
        cell(f"{r.p50_ms:,.0f} ms", r.p50_ms, fr.p50_ms),
        cell(f"{r.p99_ms:,.0f} ms", r.p99_ms, fr.p99_ms),
        cell(f"{f.answers_per_s:,.1f}", f.answers_per_s, floor.acks_per_s) if lp else "-",
        str(f.busy) if lp else "-",
        cell(f"{f.cpu_ms:.2f} ms", f.cpu_ms, floor.cpu_ms),
        f"{f.cpu_answer_ms:.2f} ms" if lp else "-",
        str(r.late), f"{r.errors}/{r.bad}/{r.refused} |"])


def _targets(scenario: str, kind: str, floor: Figures, lpbot: Figures,
             answer_cpu: float | None) -> list[str]:
    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    def cpu_line(target: float) -> str:
        under_load = (f"under this load {lpbot.cpu_ms:.2f} ms a request, "
                      f"{lpbot.cpu_answer_ms:.2f} ms an answer given")
        if answer_cpu is None:
            return (f"{name}: server CPU {under_load} (target <= {target:g} ms an answer: "
                    "python -m bench.costs measures it)")
        return (f"{name}: server CPU {answer_cpu:.2f} ms an answer, every answer computed "
                f"(bench.costs, median) (target <= {target:g} ms) "
                f"{verdict(answer_cpu <= target)}; {under_load}")

    name = f"{scenario}: {LABELS[kind]}" if scenario == "mixed" else scenario
    ratio = lpbot.result.p99_ms / floor.result.p99_ms if floor.result.p99_ms else 0.0
    out = [f"{name}: late acks {lpbot.result.late} (target 0) {verdict(lpbot.result.late == 0)}"
           f"; ack p99 {ratio:.2f}× the floor's (target <= {P99_RATIO:g}×) "
           f"{verdict(ratio <= P99_RATIO)}"]
    if scenario != "mixed" and kind == "status":
        share = lpbot.answers_per_s / floor.acks_per_s if floor.acks_per_s else 0.0
        out.append(f"{cpu_line(STATUS_CPU_MS)}; answers/s {share:.0%} of the floor's acks/s "
                   f"(target >= 30 %) {verdict(share >= 0.3)}")
    if scenario != "mixed" and kind == "checkin":
        out.append(cpu_line(CHECKIN_CPU_MS))
    return out

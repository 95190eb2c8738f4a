"""The load generators of bench/load.py: wrk (Debian's package) when installed, else this
module's own asyncio client. Both replay a file of pre-signed Slack requests over
keep-alive connections and print the same RESULT line (bench.measure.Result).

    python -m bench.loadgen URL REQUESTS_FILE --seconds 10 --connections 16
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.measure import BUSY_MARKER, LATE_MS, Result, percentile
from bot.playground.standin.driver import signature

LUA = Path(__file__).parent / "wrk" / "signed.lua"
TIMEOUT = 10.0  # seconds before a request counts as failed (and late)


def write_requests(path: Path, bodies: list[bytes], secret: str, timestamp: int) -> None:
    """Sign every body now (Slack accepts a timestamp up to 5 minutes old), one request
    a line: "timestamp signature body"."""
    stamp = str(timestamp)
    with path.open("wb") as out:
        for body in bodies:
            if b"\n" in body or b" " in body:
                raise ValueError("bodies are form-encoded: no spaces or newlines")
            out.write(f"{stamp} {signature(secret, stamp, body)} ".encode() + body + b"\n")


def read_requests(path: Path, host: str, target: str) -> list[bytes]:
    """The requests of a file as raw HTTP/1.1 bytes."""
    raw = []
    for line in path.read_bytes().splitlines():
        stamp, sign, body = line.split(b" ", 2)
        raw.append(b"POST " + target.encode() + b" HTTP/1.1\r\nHost: " + host.encode()
                   + b"\r\nContent-Type: application/x-www-form-urlencoded"
                   + b"\r\nX-Slack-Request-Timestamp: " + stamp
                   + b"\r\nX-Slack-Signature: " + sign
                   + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    return raw


def has_wrk() -> bool:
    return shutil.which("wrk") is not None


def generator_command(url: str, path: Path, seconds: float, connections: int,
                      *, use_wrk: bool) -> list[str]:
    """The command line of one run: wrk with the signing script, or this module."""
    if use_wrk:
        threads = min(2, connections)
        return ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
                "--timeout", f"{TIMEOUT:g}s", "-s", str(LUA), url, "--", str(path),
                str(threads)]
    return [sys.executable, "-m", "bench.loadgen", url, str(path), "--seconds", f"{seconds:g}",
            "--connections", str(connections)]


def start(url: str, path: Path, seconds: float, connections: int, *,
          use_wrk: bool) -> subprocess.Popen[str]:
    """Start one run in a process of its own; ``finish`` reads its result."""
    return subprocess.Popen(generator_command(url, path, seconds, connections,
                                              use_wrk=use_wrk),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(process: subprocess.Popen[str]) -> Result:
    output, _ = process.communicate()
    try:
        return Result.parse(output)
    except StopIteration:
        raise SystemExit(f"the load generator printed no result:\n{output}") from None


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    request: bytes) -> tuple[int, bytes, bool]:
    """Send one request, read its response (Content-Length or chunked); the flag says
    whether the server keeps the connection open."""
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in
               (x.partition(":") for x in lines[1:] if x)}
    keep = (headers.get("connection", "").lower() != "close"
            and (lines[0].startswith("HTTP/1.1")
                 or headers.get("connection", "").lower() == "keep-alive"))
    if headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            parts.append(await reader.readexactly(size + 2))
            if size == 0:
                return status, b"".join(parts), keep
    return status, await reader.readexactly(int(headers.get("content-length", "0"))), keep


async def drive(url: str, requests: list[bytes], seconds: float, connections: int) -> Result:
    """Closed loop: ``connections`` keep-alive connections, each sending its next request
    as soon as the last one is answered, until ``seconds`` have passed."""
    parts = urlsplit(url)
    latencies: list[float] = []
    counts = {"errors": 0, "bad": 0, "refused": 0, "late": 0, "busy": 0}
    position = [0]
    stop = time.monotonic() + seconds

    async def connection() -> None:
        reader = writer = None
        while time.monotonic() < stop:
            if writer is None:
                try:
                    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
                except OSError:
                    counts["errors"] += 1
                    await asyncio.sleep(0.01)
                    continue
            assert reader is not None
            request = requests[position[0] % len(requests)]
            position[0] += 1
            started = time.perf_counter()
            try:
                status, body, keep = await asyncio.wait_for(
                    _exchange(reader, writer, request), TIMEOUT)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                    TimeoutError, ValueError) as error:
                counts["errors"] += 1
                counts["late"] += isinstance(error, TimeoutError)
                writer.close()
                writer = None
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            counts["bad"] += status >= 400
            counts["refused"] += status == 200 and b'"errors"' in body
            counts["busy"] += status == 200 and BUSY_MARKER.encode() in body
            if not keep:
                writer.close()
                writer = None
        if writer is not None:
            writer.close()

    began = time.monotonic()
    await asyncio.gather(*(connection() for _ in range(connections)))
    elapsed = time.monotonic() - began
    counts["late"] += sum(1 for x in latencies if x > LATE_MS)
    return Result(requests=len(latencies), seconds=round(elapsed, 3),
                  p50_ms=percentile(latencies, 0.5), p99_ms=percentile(latencies, 0.99),
                  **counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("requests", type=Path)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    parts = urlsplit(args.url)
    raw = read_requests(args.requests, parts.netloc, parts.path or "/")
    print(asyncio.run(drive(args.url, raw, args.seconds, args.connections)).line())


if __name__ == "__main__":
    main()

"""Benchmark: 10,000 prompts through the stand-in at a rate limit of 200 calls a second,
with 5 % of calls answered 429 or 5xx. Prints elapsed time against the limit's ideal,
duplicates and losses; asserts nothing.

    python -m bench.fanout [--messages 10000] [--limit 200] [--faults 0.05]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bot.blocks.scheduled import BlockKitRenderer
from bot.playground.standin import StandIn
from bot.playground.standin.server import BOT_TOKEN
from bot.shell.slack_client import make_client
from scheduler.delivery import DeliveryWorker
from scheduler.pacing import RateLimiter
from storage.db import make_engine, make_session_factory, upgrade
from storage.models import Delivery
from storage.outbox import insert_ignoring_duplicates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=200.0, help="stand-in calls/s")
    parser.add_argument("--faults", type=float, default=0.05, help="share of 429/5xx answers")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--headroom", type=float, default=0.94,
                        help="share of the limit the sender aims for; retries use the rest")
    parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder, StandIn() as standin:
        url = args.database or f"sqlite:///{Path(folder) / 'fanout.db'}"
        upgrade(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        now = datetime.now(UTC)
        payload = BlockKitRenderer().prompt(partnership_id=1, partnership_name="Hull",
                                            lull=None, report_back_days=None, reminder=False)
        with standin.lock:
            for i in range(args.messages):
                standin.workspace.add_user(f"U{i:09d}", f"Person {i}")
        with factory.begin() as session:
            for start in range(0, args.messages, 2000):
                insert_ignoring_duplicates(session, Delivery, [
                    {"kind": "prompt", "recipient": f"U{i:09d}", "dedupe_key": f"prompt:1:{i}",
                     "payload": payload, "status": "pending", "attempts": 0, "created_at": now,
                     "next_attempt_at": now}
                    for i in range(start, min(start + 2000, args.messages))])
        standin.rate_limit("chat.postMessage", args.limit)
        standin.fail("chat.postMessage", "ratelimited", rate=args.faults / 2, seed=1,
                     retry_after=1)
        standin.fail("chat.postMessage", "server_error", rate=args.faults / 2, seed=2,
                     status=503)
        client = make_client(BOT_TOKEN, standin.api_url, max_retries=5, backoff_factor=0.2)
        worker = DeliveryWorker(factory, client, lambda: datetime.now(UTC),
                                rate=args.limit * args.headroom, concurrency=args.concurrency,
                                limiter=RateLimiter(args.limit * args.headroom))
        started = time.perf_counter()
        rounds = 0
        while True:
            rounds += 1
            worker.run_once()
            with factory() as session:
                left = session.scalar(select(func.count()).select_from(Delivery).where(
                    Delivery.status.in_(["pending", "in_flight"])))
            if not left or rounds > 50:
                break
            time.sleep(0.5)  # rows waiting out a backoff
        elapsed = time.perf_counter() - started
        ideal = args.messages / args.limit
        keys = Counter(c.args["metadata"]["event_payload"]["dedupe_key"]
                       for c in standin.calls_to("chat.postMessage"))
        answers = Counter(c.status for c in standin.calls_to("chat.postMessage", ok=None))
        with factory() as session:
            statuses = Counter(dict(session.execute(select(Delivery.status, func.count())
                                                    .group_by(Delivery.status)).all()))
        engine.dispose()
    print(f"fan-out of {args.messages:,} prompts, stand-in limit {args.limit:.0f}/s, "
          f"{args.faults:.0%} injected 429/5xx, {args.concurrency} in flight")
    print(f"  elapsed {elapsed:.1f} s against an ideal of {ideal:.1f} s: "
          f"{ideal / elapsed:.0%} of the ideal throughput")
    print(f"  Slack answers: {dict(sorted(answers.items()))}")
    print(f"  delivered {len(keys):,}, duplicates {sum(n - 1 for n in keys.values())}, "
          f"lost {args.messages - len(keys)}; outbox {dict(statuses)}")


if __name__ == "__main__":
    main()

"""Benchmark: text similarity over 1,000 partnerships' open blockers and help requests
(distinct texts, as people write them), alone and as part of the digest's common ground.

    python -m bench.similarity [--partnerships 1000] [--per-partnership 13]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, select, update

from bot.blocks.digest import digest_messages
from storage.common_ground import common_ground
from storage.db import make_engine, make_session_factory
from storage.digest import build_digest
from storage.insight import common_themes
from storage.models import Checkin, CheckinRound
from storage.notes import Note
from storage.programme import DEFAULT_THEMES
from storage.similarity import similar_groups

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
SUBJECTS = ("The council", "Our university partner", "The hospital trust", "The college",
            "The housing association", "The combined authority", "The chamber",
            "The police", "The arts centre", "The port", "The bus company", "The library")
PROBLEMS = ("has not replied about", "keeps postponing", "wants changes to",
            "has no one to lead on", "disagrees with us about", "lost the papers for",
            "is reorganising the team behind", "asked for more detail on",
            "cannot host", "has frozen work on", "is waiting for advice on")
SYLLABLES = ("ba", "ker", "lin", "mo", "tre", "sa", "vel", "dor", "pi", "gan", "ru", "fen",
             "hal", "cri", "om", "zu", "wes", "tal", "nir", "po")
PARAPHRASED = 0.05  # this share of blockers restate another partnership's problem


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    """Made-up words standing for what people name: places, schemes, posts, papers."""
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def open_notes(partnerships: int, per_partnership: int, seed: int = 1) -> list[Note]:
    """Blockers as a programme writes them: a partner, what it does, and the specifics
    in words of its own; now and then another partnership's problem in other words."""
    rng = random.Random(seed)
    vocabulary = _vocabulary(rng)
    notes: list[Note] = []
    for pid in range(1, partnerships + 1):
        for n in range(per_partnership):
            if notes and rng.random() < PARAPHRASED:
                specifics = rng.choice(notes).text.split(" ")[-4:]
                rng.shuffle(specifics)
            else:
                specifics = rng.sample(vocabulary, 4)
            text = " ".join((rng.choice(SUBJECTS), rng.choice(PROBLEMS), *specifics))
            notes.append(Note(pid, f"Partnership {pid}", f"Person {n}", text,
                                   NOW - timedelta(days=n), pid * 100 + n))
    return notes


def run(partnerships: int, per_partnership: int, runs: int = 3) -> None:
    notes = open_notes(partnerships, per_partnership)
    texts = [n.text for n in notes]
    distinct = len(set(texts))
    timings, groups = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        groups = len(similar_groups(texts))
        timings.append(time.perf_counter() - started)
    print(f"  similarity alone: {len(texts):,} open blockers ({distinct:,} distinct) of "
          f"{partnerships:,} partnerships: median {statistics.median(timings) * 1000:.0f} ms, "
          f"{groups:,} groups")
    started = time.perf_counter()
    ground = common_ground(notes, [], DEFAULT_THEMES)
    print(f"  common ground (keywords + similarity): {(time.perf_counter() - started) * 1000:.0f}"
          f" ms, {len(ground):,} groups", flush=True)


def digest_with_written_blockers(url: str, now: datetime, runs: int = 3) -> None:
    """The benchmark programme's open blockers (its last two rounds) rewritten as people
    write them, each different, then the whole digest built (queries, common ground with
    similarity, blocks): the figure to hold within 2 s."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        rows = session.execute(select(Checkin.id, Checkin.partnership_id)
                               .join(CheckinRound, CheckinRound.id == Checkin.round_id)
                               .where(Checkin.blockers != "",
                                      CheckinRound.opens_at >= now - timedelta(weeks=2, hours=2))
                               ).all()
        written = open_notes(1, len(rows), seed=7)
        session.connection().execute(
            update(Checkin.__table__).where(Checkin.__table__.c.id == bindparam("cid"))
            .values(blockers=bindparam("words")),
            [{"cid": cid, "words": note.text} for (cid, _), note in zip(rows, written,
                                                                          strict=True)])
    timings, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        with factory() as session:
            digest = build_digest(session, now)
            digest_messages(digest)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    used = time.process_time()
    common_ground(digest.blockers, digest.help, digest.calendar.themes)
    ground = time.process_time() - used
    used = time.process_time()
    common_themes(((n.partnership, n.text) for n in digest.blockers + digest.help),
                  digest.calendar.themes)
    keywords = time.process_time() - used
    alike = sum(1 for g in digest.common_ground if g.similar)
    print(f"  digest build, {len(rows):,} open blockers all worded differently: median "
          f"{statistics.median(timings) * 1000:.0f} ms ({statistics.median(cpu) * 1000:.0f} ms "
          f"CPU), max {max(timings) * 1000:.0f} ms, {alike:,} groups said alike "
          f"(target <= 2 s); common ground {ground * 1000:.0f} ms CPU of it, keyword themes "
          f"alone {keywords * 1000:.0f} ms", flush=True)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--partnerships", type=int, default=1000)
    parser.add_argument("--per-partnership", type=int, default=13)
    args = parser.parse_args()
    run(args.partnerships, args.per_partnership)


if __name__ == "__main__":
    main()

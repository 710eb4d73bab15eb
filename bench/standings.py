"""Standings at scale, the figures issue 9 names: `make bench-standings` runs this alone.

- a category of 2,000 entries × 8 scorecards × 3 criteria: under 100 ms median, in-process;
- a category of 20,000 entries × 5 scorecards × 3 criteria: under 300 ms;
- the number of queries, which must be the same as for a category of 20 entries;

on SQLite (a fresh file) and on PostgreSQL (a scratch database on 127.0.0.1:5432, created and
dropped here; skipped with a line saying so when nothing answers). Each database runs in its
own process, since Django is set up once per process. Data are written with bulk_create:
jurors with a lean of their own (some lenient, some severe), scores in half points.

Results go to bench/results/standings-latest.md and a timestamped copy.
Usage: python bench/standings.py [--runs 15] [--only sqlite|postgresql]
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

from bench.common import judging_edition  # noqa: E402

PG_SERVER = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
# (entries, scorecards per entry, goal in ms)
SIZES = [(2_000, 8, 100), (20_000, 5, 300)]
SMALL = 20  # the query count at this size must equal the count at every size
# pretalx's review dashboard, measured on this machine at 2,000 proposals × 8 reviews.
PRETALX = "2,299 ms"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--child", choices=["build", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--plan", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "build":
        print(json.dumps(build_here()))
        return
    if args.child == "measure":
        print(json.dumps(measure_here(json.loads(args.plan), args.runs)))
        return

    rows, notes = [], []
    for backend in ("sqlite", "postgresql"):
        if args.only and backend != args.only:
            continue
        if backend == "sqlite":
            var = tempfile.mkdtemp(prefix="hcda-bench-standings-")
            try:
                rows += in_child(args, {"DJANGO_VAR_DIR": var}, "SQLite")
            finally:
                shutil.rmtree(var, ignore_errors=True)
            continue
        name = f"hcda_bench_results_{os.getpid()}"
        try:
            scratch_database("CREATE", name)
        except Exception as error:  # any failure to reach the server means: skip
            notes.append(
                f"PostgreSQL skipped: nothing answers on {PG_SERVER['host']}:{PG_SERVER['port']} "
                f"({type(error).__name__})."
            )
            print(notes[-1], file=sys.stderr)
            continue
        try:
            url = "postgres://{user}@{host}:{port}/".format(**PG_SERVER) + name
            rows += in_child(args, {"DATABASE_URL": url}, "PostgreSQL")
        finally:
            scratch_database("DROP", name)
    write(rows, notes, args)


def scratch_database(verb: str, name: str) -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", connect_timeout=3, autocommit=True, **PG_SERVER) as db:
        if verb == "CREATE":
            db.execute(f'CREATE DATABASE "{name}"')
        else:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def in_child(args, env: dict, label: str) -> list[dict]:
    print(f"{label}: building data and measuring…", file=sys.stderr)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": "",
        **env,
    }
    if not environment["DATABASE_URL"]:
        del environment["DATABASE_URL"]

    def child(*arguments: str):
        done = subprocess.run(
            [sys.executable, __file__, *arguments],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"{label}: the benchmark failed")
        return json.loads(done.stdout.strip().splitlines()[-1])

    # Built in one process, measured in a fresh one, as a server process would find it (not
    # with the heap of a bulk load behind it).
    plan = child("--child", "build")
    rows = child("--child", "measure", "--plan", json.dumps(plan), "--runs", str(args.runs))
    for row in rows:
        row["database"] = label
    return rows


# In the child process --------------------------------------------------------------------


def build_here() -> list[dict]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    plan, year = [], 2040
    for entries, cards, goal in [(SMALL, 8, None), *SIZES]:
        round_, category, built = build(entries, cards, year=year)
        year += 2
        plan.append(
            {
                "entries": entries,
                "cards": cards,
                "goal": goal,
                "round": round_.pk,
                "category": category.pk,
                "built": built,
            }
        )
        print(f"  built {entries} × {cards} in {built:.0f} s", file=sys.stderr)
    return plan


def measure_here(plan: list[dict], runs: int) -> list[dict]:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from judging.models import Round, Scorecard
    from judging.standings import _entry_rows, juror_stats, round_standings

    cards = Scorecard.objects.filter(status=Scorecard.Status.SUBMITTED).values_list(
        "entry_id", "juror_id"
    )

    def queries(round_, category_id) -> int:
        with CaptureQueriesContext(connection) as captured:
            round_standings(round_, category_id=category_id)
        return len(captured)

    small, *sizes = plan
    small_queries = queries(Round.objects.get(pk=small["round"]), small["category"])
    rows = []
    for size in sizes:
        round_, category_id = Round.objects.get(pk=size["round"]), size["category"]
        for _ in range(2):  # warm caches, as a running server has them
            round_standings(round_, category_id=category_id)
        times, cpu = [], []
        for _ in range(runs):
            started, used = time.perf_counter(), time.process_time()
            table = round_standings(round_, category_id=category_id)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
        # Where the time goes: each of the two queries alone (the jurors' figures, then one
        # row per entry), and what reading the round's scorecards into Python would cost.
        scales = {j: (s.mean, s.sd) for j, s in juror_stats(round_).items() if s.usable}
        jurors_query = median_ms(runs, juror_stats, round_)
        entries_query = median_ms(runs, _entry_rows, round_, category_id, scales)
        scorecards_alone = median_ms(runs, lambda r: list(cards.filter(round=r)), round_)
        assert len(table.entries) == size["entries"]
        assert sum(s.count for s in table.entries) == size["entries"] * size["cards"]
        rows.append(
            {
                **size,
                "median": statistics.median(times),
                "cpu": statistics.median(cpu),
                "low": min(times),
                "high": max(times),
                "queries": queries(round_, category_id),
                "jurors_query": jurors_query,
                "entries_query": entries_query,
                "scorecards_alone": scorecards_alone,
                "small_queries": small_queries,
                "runs": runs,
            }
        )
        print(
            f"  {size['entries']} × {size['cards']}: {rows[-1]['median']:.1f} ms", file=sys.stderr
        )
    return rows


def median_ms(runs: int, work, *arguments) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work(*arguments)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def build(entries: int, cards: int, *, year: int):
    """One edition, one category, one round with 3 criteria (40/30/30), `entries` entries
    each scored by `cards` jurors. Returns (round, category, seconds spent building)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from awards.models import Category
    from judging.models import Assignment, Criterion, Juror, Round, RoundEntry, Score, Scorecard
    from submissions.models import Entry

    started = time.perf_counter()
    rng = random.Random(year)
    now = timezone.now()
    User = get_user_model()
    festival = now + timedelta(days=300)
    cycle = judging_edition(year=year, festival=festival)
    category = Category.objects.create(
        cycle=cycle, code="ARC", name_vi="Kiến trúc", name_en="Architecture"
    )
    round_ = Round.objects.create(
        cycle=cycle,
        number=1,
        name_vi="Vòng 1",
        name_en="Round 1",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=14),
        jurors_per_entry=cards,
    )
    round_.categories.add(category)
    criteria = Criterion.objects.bulk_create(
        Criterion(round=round_, position=n, name_vi=name, name_en=name, weight=weight)
        for n, (name, weight) in enumerate([("A", 40), ("B", 30), ("C", 30)])
    )

    panel = max(cards * 3, entries * cards // 500)
    users = User.objects.bulk_create(
        User(username=f"bench{year}-{n}", email=f"bench{year}-{n}@example.org")
        for n in range(panel + 200)
    )
    jurors = Juror.objects.bulk_create(
        Juror(
            cycle=cycle,
            user=user,
            email=user.email,
            name=f"Juror {n}",
            state=Juror.State.ACCEPTED,
            responded_at=now,
        )
        for n, user in enumerate(users[:panel])
    )
    owners = users[panel:]
    lean = [rng.uniform(-1.5, 1.5) for _ in jurors]  # lenient > 0 > severe
    step = max(1, panel // cards)  # k distinct jurors per entry, loads balanced

    for first in range(0, entries, 2000):
        batch = Entry.objects.bulk_create(
            Entry(
                cycle=cycle,
                category=category,
                owner=owners[n % len(owners)],
                status=Entry.Status.SUBMITTED,
                submitted_at=now - timedelta(days=10),
                sequence=n + 1,
                reference_code=f"HCDA{year % 100}-ARC-{n + 1:05d}",
                title_vi=f"Tác phẩm {n + 1}",
                title_en=f"Entry {n + 1}",
            )
            for n in range(first, min(entries, first + 2000))
        )
        RoundEntry.objects.bulk_create(RoundEntry(round=round_, entry=e) for e in batch)
        pairs = [
            (entry, (first + i + j * step) % panel)
            for i, entry in enumerate(batch)
            for j in range(cards)
        ]
        Assignment.objects.bulk_create(
            Assignment(round=round_, juror=jurors[j], entry=entry) for entry, j in pairs
        )
        quality = {entry.pk: rng.uniform(3, 9) for entry in batch}
        # The values first (the same random sequence as scoring card by card), so that each
        # scorecard is written once with its weighted total, as `scorecard_save` leaves it:
        # an UPDATE of every row afterwards would double the table until a vacuum.
        values = [
            [half_point(quality[entry.pk] + lean[j] + rng.gauss(0, 0.8)) for _c in criteria]
            for entry, j in pairs
        ]
        scorecards = Scorecard.objects.bulk_create(
            Scorecard(
                round=round_,
                juror=jurors[j],
                entry=entry,
                status=Scorecard.Status.SUBMITTED,
                submitted_at=now,
                total=Scorecard.weighted_total(
                    zip(card_values, [c.weight for c in criteria], strict=True)
                ),
            )
            for (entry, j), card_values in zip(pairs, values, strict=True)
        )
        Score.objects.bulk_create(
            (
                Score(scorecard=card, criterion=criterion, value=value)
                for card, card_values in zip(scorecards, values, strict=True)
                for criterion, value in zip(criteria, card_values, strict=True)
            ),
            batch_size=5000,
        )
    if connection.vendor == "postgresql":
        # What autovacuum does a minute after a bulk load (since PostgreSQL 13 inserts alone
        # start it): without statistics the planner takes the round's 100,000 scorecards for
        # a handful, and without a vacuum no index can be read alone (as bench/jury.py does).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return round_, category, time.perf_counter() - started


def half_point(value: float):
    from decimal import Decimal

    return Decimal(min(20, max(2, round(value * 2)))) / 2


# The report --------------------------------------------------------------------------------


def write(rows: list[dict], notes: list[str], args) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now()
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    lines = [
        f"# Standings benchmark, {stamp:%Y-%m-%d %H:%M}",
        "",
        f"{os.cpu_count()} cores (load average {load} when the report was written), Python "
        f"{sys.version.split()[0]}; `round_standings` of one category, in-process, median of "
        f"{args.runs} runs after 2 warm-up runs. CPU is this process's own time: SQLite's work "
        "is in it, PostgreSQL's is not. Query count beside the count for a category of "
        f"{SMALL} entries (they must be equal).",
        "",
        "| category | database | median | CPU | min–max | queries (at 20) | goal | reference |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        met = "met" if row["median"] < row["goal"] else "**missed**"
        reference = f"pretalx review dashboard: {PRETALX}" if row["cards"] == 8 else ""
        lines.append(
            f"| {row['entries']:,} entries × {row['cards']} scorecards × 3 criteria "
            f"| {row['database']} | {row['median']:.1f} ms | {row['cpu']:.1f} ms "
            f"| {row['low']:.1f}–{row['high']:.1f} ms "
            f"| {row['queries']} ({row['small_queries']}) "
            f"| < {row['goal']} ms: {met} | {reference} |"
        )
    lines += [""] + [f"- {note}" for note in notes]
    for row in rows:
        lines.append(
            f"- {row['database']}, {row['entries']:,} × {row['cards']}: the jurors' query takes "
            f"{row['jurors_query']:.0f} ms of it, the entries' query {row['entries_query']:.0f} ms "
            "(both aggregate the totals stored on the scorecards); reading the round's "
            f"{row['entries'] * row['cards']:,} scorecards into Python alone would take "
            f"{row['scorecards_alone']:.0f} ms."
        )
    built = ", ".join(f"{row['database']} {row['entries']:,}: {row['built']:.0f} s" for row in rows)
    if built:
        lines.append(f"- Data built with bulk_create in {built} (not timed above).")
    text = "\n".join(lines).rstrip() + "\n"
    print(text)
    (RESULTS / f"standings-{stamp:%Y%m%d-%H%M%S}.md").write_text(text)
    (RESULTS / "standings-latest.md").write_text(text)


if __name__ == "__main__":
    main()

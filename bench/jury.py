"""The jury's benchmarks (issue 8, "Performance"); `make bench-jury` runs this file, and
`bench/run.py` can call `run(args)` for its table.

- a juror's queue and scoring page with 300 assignments: median in-process under 50 ms, and
  the same number of queries at 1, 3 and 300 assignments;
- `round_assign`, the whole service (reads, plan, bulk insert), for 20,000 entries × k = 5
  over 150 jurors with 5 % of (juror, creator) pairs conflicted: under 10 s; afterwards, read
  back from the database: k jurors per entry, load spread ≤ 1 in every category, no
  conflicted pair;
- the organizers' progress board for that round (20,000 entries × 5 assignments, half of them
  scored): under 100 ms.

Each database is measured in its own process, on data built for it in bulk (no images): SQLite
in a temporary folder, and PostgreSQL in a scratch database created and dropped here (skipped,
with a line in the table, when no server answers at BENCH_POSTGRES_URL). Pages are requested
through Django's test client with DEBUG off, as a server would run them.

Results: bench/results/jury-latest.md (and a timestamped copy), beside the previous figures.
Usage: python bench/jury.py [--entries 20000] [--jurors 150] [--k 5] [--runs 30] [--only sqlite]
"""

from __future__ import annotations

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

DEFAULTS = {
    "entries": 20_000,
    "jurors": 150,
    "k": 5,
    "conflicts": 0.05,
    "queue": 300,
    "runs": 30,
    "assign_runs": 3,
    "only": None,
    "postgres": os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
}
GOALS = {"queue": 50, "score": 50, "board": 100, "assign": 10}  # ms, ms, ms, s
MARKER = "JURY-BENCH-ROWS "

Row = tuple[str, str, str]


def options(args=None) -> argparse.Namespace:
    """The defaults, overridden by whatever `args` carries (bench/run.py's args have only
    some of these names)."""
    values = dict(DEFAULTS)
    for name in DEFAULTS:
        if args is not None and getattr(args, name, None) is not None:
            values[name] = getattr(args, name)
    return argparse.Namespace(**values)


# The parent: one child process per database --------------------------------------------


def run(args=None) -> list[Row]:
    opts = options(args)
    rows: list[Row] = []
    if opts.only in (None, "sqlite"):
        var = tempfile.mkdtemp(prefix="hcda-bench-jury-")
        rows += _child(opts, "SQLite", {"DATABASE_URL": f"sqlite:///{var}/bench.sqlite3"}, var)
    if opts.only in (None, "postgres"):
        rows += _on_postgres(opts)
    return rows


def _on_postgres(opts) -> list[Row]:
    import psycopg

    name = f"hcda_bench_jury_{os.getpid()}"
    try:
        admin = psycopg.connect(_libpq(opts.postgres), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        reason = str(error).strip().splitlines()[0]
        return [("PostgreSQL", f"skipped: no server answered ({reason})", "—")]
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        url = opts.postgres.rsplit("/", 1)[0] + f"/{name}"
        var = tempfile.mkdtemp(prefix="hcda-bench-jury-")
        return _child(opts, "PostgreSQL", {"DATABASE_URL": url}, var)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _libpq(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _child(opts, label: str, env: dict, var: str) -> list[Row]:
    try:
        return _run_child(opts, label, env, var)
    finally:
        shutil.rmtree(var, ignore_errors=True)  # the SQLite file alone is 100 MB


def _run_child(opts, label: str, env: dict, var: str) -> list[Row]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", label]
    for name in ("entries", "jurors", "k", "conflicts", "queue", "runs", "assign_runs"):
        command += [f"--{name.replace('_', '-')}", str(getattr(opts, name))]
    result = subprocess.run(
        command,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "true",  # to load the settings; turned off before measuring
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_VAR_DIR": var,
            "DATABASE_CONN_MAX_AGE": "60",
            **env,
        },
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith(MARKER):
            return [tuple(row) for row in json.loads(line.removeprefix(MARKER))]
    return [(label, f"failed (exit {result.returncode}); see the output above", "—")]


# The child: build, measure, print rows -----------------------------------------------------


def child(opts, label: str) -> list[Row]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Timed as production runs: no query log, no template debug info.
    settings.DEBUG = False
    started = time.perf_counter()
    data = build(opts)
    built = time.perf_counter() - started
    rows = [
        (
            f"{label}: data built",
            f"{opts.entries:,} entries, {opts.jurors} jurors, "
            f"{data['conflicts']:,} conflicts (bulk)",
            f"{built:.1f} s",
        )
    ]
    rows += bench_assign(opts, label, data)
    rows += bench_board(opts, label, data)
    rows += bench_recusal(opts, label, data)
    rows += bench_juror_pages(opts, label, data)
    return rows


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def build(opts) -> dict:
    """An edition in judging with its categories, creators, entries, jurors and conflicts,
    written with bulk_create (the services would send receipts and audit each row)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from awards.models import Category
    from awards.roles import ensure_organizers_group
    from judging.models import Conflict, Criterion, Juror, Round
    from submissions.models import Entry

    User = get_user_model()
    rng = random.Random(8)
    now = timezone.now()
    festival = timezone.make_aware(datetime(2090, 10, 10, 9))
    cycle = judging_edition(year=2090, festival=festival)
    categories = [
        Category.objects.create(cycle=cycle, code=code, name_vi=code, name_en=code, position=n)
        for n, code in enumerate(["ARC", "PRD", "GRC", "CRH", "DIG"])
    ]
    password = make_password("bench")
    organizer = User.objects.create(
        username="organizer", email="organizer@bench.example", is_staff=True, password=password
    )
    organizer.groups.add(ensure_organizers_group())

    # Most creators send one entry, some two: 3 creators for every 5 entries.
    creators = max(1, opts.entries * 3 // 5)
    say(f"  building {creators:,} creators, {opts.entries:,} entries …")
    User.objects.bulk_create(
        [
            User(username=f"c{n}", email=f"c{n}@bench.example", password=password)
            for n in range(creators)
        ],
        batch_size=5000,
    )
    creator_ids = list(
        User.objects.filter(username__startswith="c").order_by("pk").values_list("pk", flat=True)
    )
    sequence = dict.fromkeys(range(len(categories)), 0)
    entries = []
    for n in range(opts.entries):
        c = n % len(categories)
        sequence[c] += 1
        entries.append(
            Entry(
                cycle=cycle,
                category=categories[c],
                owner_id=creator_ids[n % creators],
                status=Entry.Status.SUBMITTED,
                submitted_at=now - timedelta(days=8, minutes=n),
                sequence=sequence[c],
                reference_code=Entry.make_reference_code(cycle, categories[c], sequence[c]),
                title_vi=f"Tác phẩm {n}",
                title_en=f"Entry {n}",
                summary_vi="Một đề xuất cho Hà Nội bên sông.",
                statement_vi="Thiết kế bắt đầu từ đời sống ven sông.",
                declared_original=True,
                declared_rights=True,
                declared_rules=True,
            )
        )
    Entry.objects.bulk_create(entries, batch_size=2000)

    say(f"  {opts.jurors} jurors and {opts.conflicts:.0%} of juror × creator pairs in conflict …")
    User.objects.bulk_create(
        [
            User(username=f"j{n}", email=f"j{n}@bench.example", password=password)
            for n in range(opts.jurors)
        ]
    )
    users = list(User.objects.filter(username__startswith="j").order_by("pk"))
    Juror.objects.bulk_create(
        [
            Juror(
                cycle=cycle,
                user=user,
                email=user.email,
                name=f"Juror {n:03d}",
                state=Juror.State.ACCEPTED,
                responded_at=now,
            )
            for n, user in enumerate(users)
        ]
    )
    jurors = list(Juror.objects.filter(cycle=cycle).order_by("pk"))
    Through = Juror.categories.through
    Through.objects.bulk_create(
        [
            Through(juror_id=juror.pk, category_id=categories[n % len(categories)].pk)
            for n, juror in enumerate(jurors)
        ]
    )
    per_juror = int(creators * opts.conflicts)
    conflicts = [
        Conflict(
            juror_id=juror.pk,
            creator_id=creator,
            source=Conflict.Source.ORGANIZER,
            status=Conflict.Status.CONFIRMED,
            created_at=now,
            decided_at=now,
        )
        for juror in jurors
        for creator in rng.sample(creator_ids, per_juror)
    ]
    Conflict.objects.bulk_create(conflicts, batch_size=5000)

    round_ = Round.objects.create(
        cycle=cycle,
        number=1,
        name_vi="Vòng 1",
        name_en="Round 1",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=14),
        jurors_per_entry=opts.k,
    )
    round_.categories.set(categories)
    for position, (name, weight) in enumerate([("Idea", 40), ("Fit", 30), ("Execution", 30)]):
        Criterion.objects.create(
            round=round_, position=position, name_vi=name, name_en=name, weight=weight
        )
    _analyze()
    return {
        "cycle": cycle,
        "round": round_,
        "categories": categories,
        "organizer": organizer,
        "conflicts": len(conflicts),
        "password": password,
    }


def _analyze() -> None:
    """PostgreSQL's autovacuum would have vacuumed and analyzed tables this size long before
    anyone reads them; after a bulk load (and the benchmark's own deletes, which a real round
    does not make), do it now so that the planner sees the real rows and the index-only scans
    work."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def bench_assign(opts, label: str, data: dict) -> list[Row]:
    from django.db import connection
    from django.db.models import Count, Exists, OuterRef
    from django.test.utils import CaptureQueriesContext

    from judging import services
    from judging.models import Assignment, Conflict, Juror, RoundEntry

    round_ = data["round"]
    times, cpu, plan_times, plan_cpu = [], [], [], []
    plan = None
    for attempt in range(opts.assign_runs):
        # From nothing each time: the entry list too, so that every read is in the figure.
        Assignment.objects.filter(round=round_).delete()
        RoundEntry.objects.filter(round=round_).delete()
        _analyze()  # the space of the deleted rows is reused, not appended to
        say(f"  round_assign, run {attempt + 1} of {opts.assign_runs} …")
        t, c = time.perf_counter(), time.process_time()
        plan = services.round_assign(round_=round_, by=data["organizer"], seed=attempt)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    # The plan alone (reads and planning, nothing written), on the round's stored entries.
    Assignment.objects.filter(round=round_).delete()
    for _ in range(opts.assign_runs):
        t, c = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            services.round_plan(round_=round_, seed=0)
        plan_times.append(time.perf_counter() - t)
        plan_cpu.append(time.process_time() - c)
    # Once more from an empty round, counting its queries, for the checks below.
    Assignment.objects.filter(round=round_).delete()
    RoundEntry.objects.filter(round=round_).delete()
    _analyze()
    t, c = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as assign_queries:
        plan = services.round_assign(round_=round_, by=data["organizer"], seed=0)
    times.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
    _analyze()

    # Checked from the database, not from the plan.
    assigned = Assignment.objects.filter(round=round_)
    per_entry = set(
        assigned.order_by()
        .values("entry")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
        .distinct()
    )
    entries_assigned = assigned.order_by().values("entry").distinct().count()
    spread = 0
    for category in data["categories"]:
        judges = set(Juror.objects.filter(categories=category).values_list("pk", flat=True))
        loads = dict.fromkeys(judges, 0)
        for juror, n in (
            assigned.filter(entry__category=category)
            .order_by()
            .values("juror")
            .annotate(n=Count("pk"))
            .values_list("juror", "n")
        ):
            loads[juror] = n
        spread = max(spread, max(loads.values()) - min(loads.values()))
    confirmed = Conflict.objects.filter(status=Conflict.Status.CONFIRMED, juror=OuterRef("juror"))
    conflicted = assigned.filter(
        Exists(confirmed.filter(creator=OuterRef("entry__owner")))
        | Exists(confirmed.filter(entry=OuterRef("entry")))
    ).count()
    ok = (
        per_entry == {opts.k}
        and entries_assigned == opts.entries
        and spread <= 1
        and conflicted == 0
        and not plan.problems
    )
    median = statistics.median(times)
    return [
        (
            f"{label}: round_assign (whole service)",
            f"{opts.entries:,} entries × k = {opts.k}, {opts.jurors} jurors, "
            f"{len(assign_queries)} queries"
            f"{' and 2 COPY' if connection.vendor == 'postgresql' else ''}; "
            f"max {max(times):.1f} s of {len(times)} runs; "
            f"CPU {statistics.median(cpu):.1f} s; "
            f"goal < {GOALS['assign']} s: {_verdict(median, GOALS['assign'])}",
            f"{median:.1f} s",
        ),
        (
            f"{label}: round_plan (reads + plan, no writes)",
            f"{len(queries)} queries; CPU {statistics.median(plan_cpu):.1f} s",
            f"{statistics.median(plan_times):.1f} s",
        ),
        (
            f"{label}: assignment checked in the database",
            f"jurors per entry {sorted(per_entry)}, {entries_assigned:,} entries, "
            f"load spread per category ≤ {spread}, {conflicted} conflicted pairs, "
            f"{len(plan.problems)} problems reported",
            "ok" if ok else "WRONG",
        ),
    ]


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def measure(
    client, url: str, runs: int, marker: str | None = None
) -> tuple[float, float, int, int]:
    """Median milliseconds over `runs` requests (after three to warm up), wall-clock and this
    process's CPU; the queries of one more request, and how many times `marker` is in it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        client.get(url)
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    found = response.content.decode().count(marker) if marker else 0
    return statistics.median(times), statistics.median(cpu), len(queries), found


def bench_board(opts, label: str, data: dict) -> list[Row]:
    """Half the assignments scored (a mid-round board), then the organizers' page."""
    from django.utils import timezone

    from judging.models import Assignment, Scorecard

    round_ = data["round"]
    rng = random.Random(5)
    now = timezone.now()
    cards = []
    for juror, entry in Assignment.objects.filter(round=round_).values_list("juror", "entry"):
        roll = rng.random()
        if roll < 0.55:
            moment = now - timedelta(minutes=rng.randrange(10, 2000))
            submitted = roll < 0.5
            cards.append(
                Scorecard(
                    round=round_,
                    juror_id=juror,
                    entry_id=entry,
                    status="submitted" if submitted else "draft",
                    created_at=moment,
                    updated_at=moment,
                    submitted_at=moment if submitted else None,
                )
            )
    Scorecard.objects.bulk_create(cards, batch_size=5000)
    _analyze()
    median, cpu, queries, rows = measure(
        _client(data["organizer"]), f"/en/organize/rounds/{round_.pk}/", opts.runs, "<progress"
    )
    assigned = Assignment.objects.filter(round=round_).count()
    return [
        (
            f"{label}: organizer progress board",
            f"{assigned:,} assignments, {len(cards):,} scorecards, {rows} bars, {queries} queries; "
            f"CPU {cpu:.0f} ms; goal < {GOALS['board']} ms: {_verdict(median, GOALS['board'])}",
            f"{median:.1f} ms",
        )
    ]


def bench_recusal(opts, label: str, data: dict) -> list[Row]:
    """ "I know this work" mid-round: the conflict, the draft discarded, the entry handed to
    another juror of its category. A juror waits for this click."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from judging import services
    from judging.models import Assignment, Scorecard

    round_ = data["round"]
    drafts = Scorecard.objects.filter(round=round_, status="draft").values_list("juror", "entry")
    picked, seen = [], set()
    for juror, entry in drafts.order_by("pk")[:200]:
        if juror not in seen:
            seen.add(juror)
            picked.append(
                Assignment.objects.select_related("juror__user").get(
                    round=round_, juror_id=juror, entry_id=entry
                )
            )
        if len(picked) == 7:
            break
    times, cpus, queries, handed_on = [], [], [], 0
    for assignment in picked:
        with CaptureQueriesContext(connection) as captured:
            started, cpu = time.perf_counter(), time.process_time()
            services.assignment_recuse(
                assignment=assignment, user=assignment.juror.user, reason="bench"
            )
            times.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        queries.append(len(captured))
        jurors = Assignment.objects.filter(round=round_, entry_id=assignment.entry_id).count()
        handed_on += jurors == round_.jurors_per_entry
    return [
        (
            f"{label}: a juror recuses mid-round",
            f"draft discarded; entry back to {round_.jurors_per_entry} jurors: {handed_on} of "
            f"{len(times)}; median of {len(times)}; {int(statistics.median(queries))} queries; "
            f"CPU {statistics.median(cpus):.0f} ms",
            f"{statistics.median(times):.1f} ms",
        )
    ]


def _verdict(value: float, goal: float) -> str:
    return "met" if value < goal else "MISSED"


def bench_juror_pages(opts, label: str, data: dict) -> list[Row]:
    """Three more jurors in an open round 2 with 1, 3 and `queue` assignments (a third of the
    big queue scored): the queue (every row shown) and a scoring page from mid-queue."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from judging.models import Assignment, Juror, Round, RoundEntry, Score, Scorecard
    from submissions.models import Entry, EntryAsset

    User = get_user_model()
    cycle, now = data["cycle"], timezone.now()
    round_ = Round.objects.create(
        cycle=cycle,
        number=2,
        name_vi="Vòng 2",
        name_en="Round 2",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
        jurors_per_entry=3,
    )
    round_.categories.set(data["categories"])
    criteria = list(data["round"].criteria.all())
    for criterion in criteria:  # the same criteria, this round's own rows
        criterion.pk, criterion.round = None, round_
        criterion.save()
    criteria = list(round_.criteria.all())
    entries = list(
        Entry.objects.filter(cycle=cycle).order_by("pk").values_list("pk", flat=True)[: opts.queue]
    )
    RoundEntry.objects.bulk_create(
        [RoundEntry(round=round_, entry_id=e, source=RoundEntry.Source.ADVANCED) for e in entries]
    )
    assets = []
    for entry in entries:
        for position in range(3):
            assets.append(
                EntryAsset(
                    entry_id=entry,
                    kind="image",
                    status="ready",
                    key=f"entries/bench/{entry}-{position}",
                    original_name="photo.jpg",
                    content_type="image/jpeg",
                    declared_size=2_000_000,
                    size=2_000_000,
                    checksum="0" * 64,
                    width=1800,
                    height=1200,
                    position=position,
                    renditions="ready",
                    thumb_key=f"entries/bench/{entry}-{position}-t",
                    web_key=f"entries/bench/{entry}-{position}-w",
                    jury_key=f"entries/bench/{entry}-{position}-j",
                    ready_at=now,
                )
            )
    EntryAsset.objects.bulk_create(assets, batch_size=2000)

    rows = []
    figures = {}
    for size in (1, 3, opts.queue):
        user = User.objects.create(
            username=f"queue{size}", email=f"queue{size}@bench.example", password=data["password"]
        )
        juror = Juror.objects.create(
            cycle=cycle,
            user=user,
            email=user.email,
            name=f"Queue {size}",
            state=Juror.State.ACCEPTED,
            responded_at=now,
        )
        juror.categories.set(data["categories"])
        Assignment.objects.bulk_create(
            [
                Assignment(round=round_, juror=juror, entry_id=e, number=n)
                for n, e in enumerate(entries[:size], start=1)
            ]
        )
        for entry in entries[: size // 3]:
            card = Scorecard.objects.create(
                round=round_,
                juror=juror,
                entry_id=entry,
                status="submitted",
                submitted_at=now,
            )
            Score.objects.bulk_create(
                [Score(scorecard=card, criterion=c, value=7) for c in criteria]
            )
        Scorecard.objects.filter(round=round_).refresh_totals()
        _analyze()
        client = _client(user)
        queue = measure(client, f"/en/jury/rounds/{round_.pk}/?show=all", opts.runs, "/jury/score/")
        middle = Assignment.objects.filter(juror=juror).order_by("pk")[size // 2]
        score = measure(client, middle.get_absolute_url(), opts.runs)
        figures[size] = (queue, score)

    big = figures[opts.queue]
    for name, index, goal in (("queue", 0, GOALS["queue"]), ("scoring page", 1, GOALS["score"])):
        median, cpu, _queries, found = big[index]
        counts = " / ".join(str(figures[size][index][2]) for size in (1, 3, opts.queue))
        detail = f"{opts.queue} assignments"
        if name == "queue":
            detail += f", {found} links"
        rows.append(
            (
                f"{label}: juror's {name}",
                f"{detail}; queries at 1 / 3 / {opts.queue} assignments: {counts}; "
                f"CPU {cpu:.0f} ms; goal < {goal} ms: {_verdict(median, goal)}",
                f"{median:.1f} ms",
            )
        )
    return rows


# Output ------------------------------------------------------------------------------------


def write(rows: list[Row], opts, load: tuple[float, float] | None = None) -> str:
    RESULTS.mkdir(parents=True, exist_ok=True)
    latest = RESULTS / "jury-latest.json"
    previous = json.loads(latest.read_text()) if latest.exists() else {}
    stamp = datetime.now()
    lines = [
        f"# Jury benchmarks, {stamp:%Y-%m-%d %H:%M}",
        "",
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, in-process with DEBUG off; "
        f"pages: median of {opts.runs} requests after 3 to warm up; round_assign: median of "
        f"{opts.assign_runs + 1} runs from an empty round. Results are wall-clock; CPU is this "
        "process's own time (on PostgreSQL the server's work is not in it)."
        + (
            f" Load average {load[0]:.1f} at the start, {load[1]:.1f} at the end: above the "
            "core count, other processes were taking turns on the CPU, and wall-clock figures "
            "grow with them."
            if load
            else ""
        ),
        "",
        "| what | detail | result | previous |",
        "|---|---|---|---|",
    ]
    for what, detail, result in rows:
        lines.append(f"| {what} | {detail} | {result} | {previous.get(what, '—')} |")
    text = "\n".join(lines) + "\n"
    (RESULTS / f"jury-{stamp:%Y%m%d-%H%M%S}.md").write_text(text)
    (RESULTS / "jury-latest.md").write_text(text)
    latest.write_text(json.dumps({what: result for what, _d, result in rows}, indent=1))
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int)
    parser.add_argument("--jurors", type=int)
    parser.add_argument("--k", type=int)
    parser.add_argument("--conflicts", type=float, help="share of juror × creator pairs")
    parser.add_argument("--queue", type=int, help="assignments in the big juror queue")
    parser.add_argument("--runs", type=int, help="requests per page (median)")
    parser.add_argument("--assign-runs", type=int, help="round_assign runs (median)")
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--child", metavar="LABEL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    opts = options(args)
    if args.child:
        rows = child(opts, args.child)
        print(MARKER + json.dumps(rows), flush=True)
        return
    load = os.getloadavg()[0]
    rows = run(opts)
    print(write(rows, opts, load=(load, os.getloadavg()[0])))


if __name__ == "__main__":
    main()

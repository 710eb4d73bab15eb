"""`make bench`: the figures the issues name, on SQLite and PostgreSQL, at 2,000 and 20,000 entries.

For each database and size, a worker process seeds a fresh database with `seed_demo --entries N`
(files in a bucket on moto's S3 server), counts the entries, and runs every section in
SECTIONS: organizer list and export, creator pages and autosave, finalize of large uploads.
The worker counts the edition's entries again around every figure and refuses to publish a
figure measured at another number than its column says.

PostgreSQL runs in a scratch database that the bench creates and drops (BENCH_POSTGRES_URL,
default postgres://postgres@127.0.0.1:5432/hcda_bench; its name must contain "bench"). When no
server answers, the PostgreSQL columns say so and the rest runs.

Results: bench/results/latest.md and .json (and a copy named by the time). Median and minimum
of --runs requests per figure, in-process. Usage:
    python bench/run.py [--sizes 2000,20000] [--databases sqlite,postgresql] [--runs 15]

Adding a section: a module in bench/ with `def section(ctx: Context) -> list[Figure]`
(see bench/common.py), listed in SECTIONS below.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

from bench import finalize, pages  # noqa: E402
from bench.common import Context, Figure  # noqa: E402

SECTIONS = [
    pages.seeding,
    pages.organizer_list,
    pages.export,
    pages.creator,
    finalize.section,
]

DATABASES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/hcda_bench"


class Refused(Exception):
    """The edition does not hold the number of entries a figure would be labelled with."""


# Orchestrator ------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--entries", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sys.exit(worker(args))

    sizes = [int(size) for size in args.sizes.split(",")]
    databases = [name for name in args.databases.split(",") if name]
    postgres_url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    load_before = os.getloadavg()
    moto, endpoint = start_moto()
    columns = []
    try:
        for database in databases:
            skipped = None
            if database == "postgresql":
                skipped = postgres_unavailable(postgres_url)
                if skipped:
                    print(f"PostgreSQL: skipped: {skipped}", flush=True)
            for size in sizes:
                label = f"{DATABASES[database]} · {size:,}"
                if skipped:
                    columns.append({"label": label, "skipped": skipped})
                    continue
                columns.append(
                    run_worker(database, size, args.runs, endpoint, postgres_url) | {"label": label}
                )
    finally:
        moto.terminate()
    refused = [c for c in columns if c.get("refused")]
    write(columns, args, load_before, os.getloadavg())
    if refused:
        for column in refused:
            print(f"{column['label']}: REFUSED: {column['refused']}", file=sys.stderr)
        sys.exit(1)


def run_worker(database: str, size: int, runs: int, endpoint: str, postgres_url: str) -> dict:
    var = Path(tempfile.mkdtemp(prefix="hcda-bench-"))
    out = var / "figures.json"
    env = {
        **os.environ,
        # Production settings: debug off (no query log, hashed static files); seed_demo
        # alone runs with debug on, in its own process.
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "DJANGO_VAR_DIR": str(var),
        "TASKS_BACKEND": "database",  # as in production: finalize queues the renditions
        "S3_BUCKET": f"hcda-bench-{database}-{size}",
        "S3_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "DATABASE_URL": postgres_url
        if database == "postgresql"
        else f"sqlite:///{var / 'bench.sqlite3'}",
    }
    command = [sys.executable, __file__, "--worker", f"--database={database}"]
    command += [f"--entries={size}", f"--runs={runs}", f"--out={out}"]
    print(f"\n== {DATABASES[database]}, {size:,} entries", flush=True)
    if database == "postgresql":
        scratch_database(postgres_url, create=True)
    try:
        subprocess.run(command, env=env, cwd=ROOT, check=False)
    finally:
        if database == "postgresql":
            scratch_database(postgres_url, create=False)
    result = (
        json.loads(out.read_text())
        if out.exists()
        else {"refused": "the worker stopped before it measured anything (see above)"}
    )
    shutil.rmtree(var, ignore_errors=True)  # the database and files of this run
    return result


def start_moto() -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("moto server did not start")


def _maintenance(url: str) -> tuple[str, str]:
    """(the server's maintenance database URL, the scratch database's name)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(
            f"BENCH_POSTGRES_URL must name a scratch database ('bench' in its name), not {name!r}"
        )
    return urlunsplit(parts._replace(path="/postgres")), name


def postgres_unavailable(url: str) -> str | None:
    import psycopg

    maintenance, _name = _maintenance(url)
    try:
        psycopg.connect(maintenance, connect_timeout=3).close()
    except psycopg.Error as error:
        where = urlsplit(url).hostname or "localhost"
        return f"no PostgreSQL server answered at {where} ({str(error).strip().splitlines()[0]}); set BENCH_POSTGRES_URL"
    return None


def scratch_database(url: str, *, create: bool) -> None:
    import psycopg

    maintenance, name = _maintenance(url)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


# Worker -------------------------------------------------------------------------------------


def worker(args) -> int:
    import django

    django.setup()
    import boto3
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from awards.models import AwardCycle

    boto3.client(
        "s3",
        endpoint_url=settings.S3_ENDPOINT_URL,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    ).create_bucket(Bucket=settings.S3_BUCKET)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seeded = seed(args.entries)
    # Fresh statistics, as autovacuum (PostgreSQL) would soon have them; SQLite's planner
    # also reads them. Not part of the seeding time.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    cycle = (
        AwardCycle.objects.current()
    )  # where seed_demo puts its entries (past editions have some too)
    User = get_user_model()
    organizer, creator = Client(), Client()
    organizer.force_login(User.objects.get(email="organizer@demo.hcda.vn"))
    creator.force_login(User.objects.get(email="creator@demo.hcda.vn"))
    ctx = Context(
        database=args.database,
        entries=args.entries,
        runs=args.runs,
        cycle=cycle,
        organizer=organizer,
        creator=creator,
        extra={"seed_seconds": seeded},
    )
    result = {
        "database": args.database,
        "entries": args.entries,
        "server": server_version(connection),
        "figures": [],
    }
    try:
        for section in SECTIONS:
            before = counted(cycle, args.entries)
            figures = section(ctx)
            counted(cycle, args.entries)
            for figure in figures:
                figure.entries = before
                print(
                    f"  [{args.database}, {before:,} entries counted] {figure.what}: {figure.cell()}"
                )
                result["figures"].append(figure.as_dict())
    except Refused as refusal:
        result["refused"] = str(refusal)
        print(f"  REFUSED: {refusal}", file=sys.stderr)
    Path(args.out).write_text(json.dumps(result, indent=1))
    return 0 if "refused" not in result else 3


def seed(entries: int) -> float:
    """seed_demo in its own process (it refuses to run without debug), timed: seconds."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "true"}
    command = [sys.executable, "manage.py", "seed_demo", f"--entries={entries}"]
    started = time.perf_counter()
    subprocess.run(
        [*command, "--jurors=0", "--seed=1"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def counted(cycle, expected: int) -> int:
    from submissions.models import Entry

    n = Entry.objects.filter(cycle=cycle).count()
    if n != expected:
        raise Refused(
            f"the edition holds {n:,} entries, not the {expected:,} this run is labelled with"
        )
    return n


def server_version(connection) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


# Results ------------------------------------------------------------------------------------


def write(columns: list[dict], args, load_before, load_after) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now()
    rows: dict[str, dict] = {}
    goals: dict[str, str] = {}
    order: list[str] = []  # in section order, a row that only some columns have in its place
    for index, column in enumerate(columns):
        previous = None
        for data in column.get("figures", []):
            figure = Figure(**data)
            if figure.what not in order:
                order.insert(order.index(previous) + 1 if previous else len(order), figure.what)
            previous = figure.what
            rows.setdefault(figure.what, {})[index] = figure
            goals.setdefault(figure.what, figure.goal)
    servers = sorted({c["server"] for c in columns if c.get("server")})
    lines = [
        f"# Benchmarks, {stamp:%Y-%m-%d %H:%M}",
        "",
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {', '.join(servers)}; "
        f"load average {load_before[0]:.1f} before and {load_after[0]:.1f} after "
        "(other work on the machine slows every figure).",
        f"Median (and minimum) of {args.runs} requests per page, in-process through Django's "
        "test client without template instrumentation. Every figure was measured with the "
        "edition holding exactly the number of entries its column names, counted before and "
        "after each section; the export is timed to its last byte.",
        "",
        "| what | " + " | ".join(c["label"] for c in columns) + " | goal |",
        "|---" * (len(columns) + 2) + "|",
    ]
    counts = []
    for column in columns:
        if column.get("skipped"):
            counts.append(f"skipped: {column['skipped']}")
        elif column.get("refused"):
            counts.append(f"REFUSED: {column['refused']}")
        else:
            counts.append(f"{column['entries']:,} ✓")
    lines.append("| entries counted | " + " | ".join(counts) + " | |")
    for what in order:
        by_column = rows[what]
        cells = [by_column[i].cell() if i in by_column else "—" for i in range(len(columns))]
        lines.append(f"| {what} | " + " | ".join(cells) + f" | {goals[what]} |")
    lines += [
        "",
        "Reference: pretalx's organiser list of 2,000 proposals, 414 ms and 23 queries.",
    ]
    text = "\n".join(lines) + "\n"
    print("\n" + text)
    (RESULTS / f"{stamp:%Y%m%d-%H%M%S}.md").write_text(text)
    (RESULTS / "latest.md").write_text(text)
    (RESULTS / "latest.json").write_text(json.dumps(columns, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""`make bench-surge`: a deadline night, through gunicorn on PostgreSQL.

In a scratch PostgreSQL database (BENCH_POSTGRES_URL's name + "_surge", created and dropped
here), with an edition of --entries entries: 200 more creators, each with a complete draft,
signed in. gunicorn serves the production settings (bench/settings.py: debug off; mail to
files) with the README's worker count, and one `db_worker` sends the receipts as in
production. bench/loadgen.py then plays the minute before the deadline at a fixed arrival rate
(open loop). Afterwards every entry is checked: submitted exactly once, before the deadline,
with one receipt. The table goes to bench/results/surge-latest.md (and .json).

Usage: python bench/surge.py [--creators 200] [--rate 100] [--seconds 60] [--workers N]
       [--entries 20000] [--port 8140]
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import os
import platform
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

from bench.common import percentile  # noqa: E402
from bench.run import DEFAULT_POSTGRES, postgres_unavailable, scratch_database  # noqa: E402

KINDS = ["open entry", "autosave", "submit", "submit, second click", "entry page after submit"]


def recommended_workers() -> int:
    """The README's advice: two sync workers per core (see "Deploying and scaling out")."""
    return 2 * (os.cpu_count() or 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--creators", type=int, default=200)
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=recommended_workers())
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--port", type=int, default=8140)
    parser.add_argument("--prepare", metavar="PLAN", help=argparse.SUPPRESS)
    parser.add_argument("--verify", metavar="PLAN", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        return prepare(args)
    if args.verify:
        return verify(args)

    parts = urlsplit(os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES))
    database_url = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_surge"))
    unavailable = postgres_unavailable(database_url)
    if unavailable:
        print(f"Deadline surge: skipped: {unavailable}")
        return
    var = Path(tempfile.mkdtemp(prefix="hcda-surge-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_VAR_DIR": str(var),
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "database",
    }
    load_before = os.getloadavg()
    scratch_database(database_url, create=True)
    running: list[subprocess.Popen] = []
    try:
        plan_path, result_path = var / "plan.json", var / "load.json"

        def manage(*command, debug=False):
            extra = {"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "true"}
            subprocess.run(
                [sys.executable, "manage.py", *command],
                env=env | extra if debug else env,
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )

        print(f"Deadline surge: seeding {args.entries:,} entries and {args.creators} creators…")
        manage("migrate")
        manage("collectstatic", "--noinput")
        manage("seed_demo", f"--entries={args.entries}", "--jurors=0", "--image-sets=4", debug=True)
        subprocess.run(
            [
                *(sys.executable, __file__, f"--prepare={plan_path}"),
                *(
                    f"--creators={args.creators}",
                    f"--rate={args.rate}",
                    f"--seconds={args.seconds}",
                ),
            ],
            env=env,
            cwd=ROOT,
            check=True,
        )
        _sql(database_url, "VACUUM ANALYZE")
        logs = open(var / "servers.log", "w")  # noqa: SIM115 - closed with the processes
        running.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--interval=0.5", "--no-reload"],
                env=env,
                cwd=ROOT,
                stdout=logs,
                stderr=subprocess.STDOUT,
            )
        )
        running.append(
            subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn", "bench.wsgi:application"),
                    *(f"--bind=127.0.0.1:{args.port}", f"--workers={args.workers}"),
                    *("--timeout=60", "--log-level=warning"),
                ],
                env=env,
                cwd=ROOT,
                stdout=logs,
                stderr=subprocess.STDOUT,
            )
        )
        base_url = f"http://127.0.0.1:{args.port}"
        wait_until_ready(base_url + "/healthz")
        plan = json.loads(plan_path.read_text())
        # The deadline follows the minute: submissions come 42–57 s in, the deadline at 65 s.
        _sql(
            database_url,
            "UPDATE awards_awardcycle SET submissions_close_at = now() + %s * interval '1 second' "
            "WHERE id = %s",
            [args.seconds + 6, plan["cycle"]],
        )
        print(
            f"Deadline surge: {args.seconds} s at {args.rate:g} requests/s, "
            f"gunicorn with {args.workers} workers on {base_url}…",
            flush=True,
        )
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(
            [sys.executable, ROOT / "bench" / "loadgen.py", plan_path, base_url, result_path],
            cwd=ROOT,
            check=True,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        load_after = os.getloadavg()
        drained = wait_for_receipts(database_url)
        check_path = var / "checks.json"
        subprocess.run(
            [sys.executable, __file__, f"--verify={plan_path}", f"--out={check_path}"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        load = json.loads(result_path.read_text())
        load["loadgen_cpu"] = (after.ru_utime + after.ru_stime) - (
            before.ru_utime + before.ru_stime
        )
        checks = json.loads(check_path.read_text()) | {"receipts drained": drained}
        server = _sql(database_url, "SHOW server_version")[0][0].split()[0]
    finally:
        for process in reversed(running):
            process.terminate()
        for process in running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        scratch_database(database_url, create=False)
    write(args, load, checks, server, load_before, load_after)
    shutil.rmtree(var, ignore_errors=True)


def _sql(url: str, sql: str, params=None):
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def wait_until_ready(url: str) -> None:
    for _ in range(150):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {url}")


def wait_for_receipts(url: str, limit: float = 120) -> bool:
    """Until the task queue is empty (the db_worker sends receipts as they are queued)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        (waiting,) = _sql(
            url,
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')",
        )[0]
        if waiting == 0:
            return True
        time.sleep(0.5)
    return False


# Inside Django (subprocesses with the bench settings) ----------------------------------------


def prepare(args) -> None:
    """200 creators with complete drafts (through the services), signed in; the load plan."""
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone, translation
    from django.utils.crypto import get_random_string

    from awards.demo import DEMO_DOMAIN
    from awards.models import AwardCycle
    from bench.pages import autosave_form
    from submissions import services
    from submissions.models import CreatorProfile, Entry, EntryAsset

    cycle = AwardCycle.objects.current()  # where seed_demo puts its entries
    categories = list(cycle.categories.order_by("position"))
    images = list(
        EntryAsset.objects.filter(
            entry__cycle=cycle, kind="image", status="ready", renditions="ready"
        ).order_by("pk")[:10]
    )
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(username=f"surge{n:04d}", email=f"surge{n:04d}@{DEMO_DOMAIN}", password="!")
            for n in range(1, args.creators + 1)
        ]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    CreatorProfile.objects.bulk_create(
        [
            CreatorProfile(
                user=u,
                display_name=f"Xưởng thiết kế {n}",
                creator_type="studio",
                country="VN",
                city="Hà Nội",
                rules_accepted_at=timezone.now(),
            )
            for n, u in enumerate(users, 1)
        ]
    )
    creators = []
    csrf_chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    with translation.override("vi"):
        for n, user in enumerate(users):
            category = categories[n % len(categories)]
            entry = services.entry_create(owner=user, category=category)
            entry = services.entry_update(
                entry=entry,
                by=user,
                data={
                    "title_vi": f"Nhà ven sông số {n + 1}",
                    "summary_vi": "Một ngôi nhà nổi cho bãi giữa sông Hồng.",
                    "statement_vi": "Thiết kế bắt đầu từ đời sống ven sông và vật liệu sẵn có.",
                    "heritage_vi": "Kỹ thuật tre của các làng nghề quanh Hà Nội.",
                    "declared_original": True,
                    "declared_rights": True,
                    "declared_rules": True,
                },
            )
            copied = [
                f.attname
                for f in EntryAsset._meta.concrete_fields
                if f.name not in ("id", "public_id", "entry", "position")
            ]
            EntryAsset.objects.bulk_create(
                [
                    EntryAsset(
                        entry=entry, position=p, **{f: getattr(images[p], f) for f in copied}
                    )
                    for p in range(category.min_images)
                ]
            )
            client = Client()
            client.force_login(user)
            entry = Entry.objects.get(pk=entry.pk)
            creators.append(
                {
                    "email": user.email,
                    "entry": str(entry.public_id),
                    "page": entry.get_absolute_url(),
                    "autosave": reverse("submissions:entry_autosave", args=[entry.public_id]),
                    "submit": reverse("submissions:entry_submit", args=[entry.public_id]),
                    "form": autosave_form(entry),
                    "session": client.cookies["sessionid"].value,
                    "csrf": get_random_string(32, csrf_chars),
                }
            )
    plan = {
        "seed": 7,
        "rate": args.rate,
        "seconds": args.seconds,
        "cycle": cycle.pk,
        "entries": Entry.objects.filter(cycle=cycle).count(),
        "creators": creators,
    }
    Path(args.prepare).write_text(json.dumps(plan, ensure_ascii=False))


def verify(args) -> None:
    """Every creator's entry: submitted, once, before the deadline, with exactly one receipt."""
    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from awards.models import AuditEvent, AwardCycle
    from submissions.models import Entry

    plan = json.loads(Path(args.verify).read_text())
    cycle = AwardCycle.objects.get(pk=plan["cycle"])
    entries = list(
        Entry.objects.filter(public_id__in=[c["entry"] for c in plan["creators"]]).select_related(
            "owner"
        )
    )
    submits = dict(
        AuditEvent.objects.filter(
            action="entry.submit",
            object_type="submissions.entry",
            object_id__in=[str(e.pk) for e in entries],
        )
        .values_list("object_id")
        .annotate(n=Count("pk"))
    )
    receipts: dict[str, list[str]] = defaultdict(list)
    for path in sorted(Path(settings.VAR_DIR, "mail").glob("*.log")):
        for raw in path.read_text().split("\n" + "-" * 79 + "\n"):
            if raw.strip():
                message = email.message_from_string(raw, policy=email.policy.default)
                receipts[str(message["To"])].append(str(message["Subject"]))
    submitted = [e for e in entries if e.status == Entry.Status.SUBMITTED]
    receipt_counts = Counter(
        sum(e.reference_code in subject for subject in receipts.get(e.owner.email, []))
        for e in submitted
    )
    checks = {
        "creators": len(plan["creators"]),
        "entries submitted": len(submitted),
        "lost (not submitted)": len(plan["creators"]) - len(submitted),
        "submitted after the deadline": sum(
            e.submitted_at > cycle.submissions_close_at for e in submitted
        ),
        "submit records per entry": dict(Counter(submits.get(str(e.pk), 0) for e in entries)),
        "duplicated (two submit records)": sum(submits.get(str(e.pk), 0) > 1 for e in entries),
        "receipts per submitted entry": dict(receipt_counts),
        "reference codes unique": len({e.reference_code for e in submitted}) == len(submitted),
        "failed tasks": DBTaskResult.objects.filter(status="FAILED").count(),
        "edition entries": plan["entries"],
    }
    Path(args.out).write_text(json.dumps(checks))


# Results ------------------------------------------------------------------------------------


def write(args, load: dict, checks: dict, server: str, load_before, load_after) -> None:
    records = load["records"]
    by_kind = defaultdict(list)
    for record in records:
        by_kind[record["kind"]].append(record)
    elapsed = load["elapsed"]

    def row(name: str, items: list[dict]) -> str:
        latencies = [r["latency"] * 1000 for r in items]
        errors = sum("error" in r for r in items)
        cpu = [r["cpu"] for r in items if "cpu" in r]
        app = [r["app"] for r in items if "app" in r]
        return (
            f"| {name} | {len(items):,} | {errors} | {len(items) / elapsed:.1f}/s "
            f"| {percentile(latencies, 50):.0f} | {percentile(latencies, 95):.0f} "
            f"| {percentile(latencies, 99):.0f} "
            f"| {percentile(cpu, 50):.1f} / {percentile(cpu, 95):.1f} "
            f"| {percentile(app, 50):.1f} / {percentile(app, 95):.1f} |"
        )

    lags = [r["lag"] * 1000 for r in records if r["kind"] != "entry page after submit"]
    errors = Counter(r["error"] for r in records if "error" in r)
    autosave_cpu = percentile([r["cpu"] for r in by_kind["autosave"] if "cpu" in r], 50)
    p95 = percentile([r["latency"] * 1000 for r in records], 95)
    rate = len(records) / elapsed
    duplicated = checks["duplicated (two submit records)"]
    lost = checks["lost (not submitted)"]
    exactly_one = checks["receipts per submitted entry"].get("1", 0)
    lines = [
        f"# Deadline surge, {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"gunicorn with {args.workers} sync workers (the README's advice for "
        f"{os.cpu_count()} cores) on PostgreSQL {server}, production settings, one db_worker "
        f"sending receipts; Python {platform.python_version()}; the load generator "
        f"(bench/loadgen.py) on the same machine used {load['loadgen_cpu']:.1f} s of CPU. "
        f"Load average {load_before[0]:.1f} before and {load_after[0]:.1f} after.",
        "",
        f"An edition of {checks['edition entries']:,} entries. {args.creators} creators, each "
        f"signed in with a complete draft: they open their entry, autosave every "
        f"{args.creators / args.rate:.1f} s from a random moment, submit once between "
        f"{0.70 * args.seconds:.0f} and {0.95 * args.seconds:.0f} s (every tenth clicks twice), "
        f"follow the redirect and keep editing; the deadline is at {args.seconds + 5} s. "
        f"Open loop: {load['planned']:,} requests planned at fixed moments over "
        f"{args.seconds} s ({args.rate:g}/s of autosaves); latency is counted from the planned "
        f"moment. The generator sent each request {percentile(lags, 50):.1f} ms after its "
        f"moment at the median, {percentile(lags, 99):.1f} ms at p99, {max(lags):.0f} ms at worst.",
        "",
        "| request | sent | errors | throughput | p50 ms | p95 ms | p99 ms "
        "| worker CPU ms, p50 / p95 | worker time ms, p50 / p95 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [row(kind, by_kind[kind]) for kind in KINDS if by_kind[kind]]
    lines.append(row("**all**", records))
    lines += [
        "",
        "Worker CPU and time come from each response (bench/wsgi.py): the CPU the worker "
        "process spent on the request, and the wall time from the request's arrival in Django "
        "to its response (waiting for PostgreSQL and for the CPU included).",
        "",
        "| goal | measured | met |",
        "|---|---|---|",
        f"| autosave under 8 ms of worker time | {autosave_cpu:.1f} ms of CPU (median) "
        f"| {'yes' if autosave_cpu < 8 else 'no'} |",
        f"| p95 under 300 ms at 100 requests/s | p95 {p95:.0f} ms at {rate:.0f} requests/s "
        f"| {'yes' if p95 < 300 and rate >= 100 else 'no'} |",
        f"| 0 errors | {sum(errors.values())} {dict(errors) if errors else ''} "
        f"| {'yes' if not errors else 'no'} |",
        f"| 0 lost, 0 duplicated | {lost} lost, {duplicated} duplicated "
        f"| {'yes' if not lost and not duplicated else 'no'} |",
        f"| one receipt each | {exactly_one} of {checks['entries submitted']} entries have "
        f"exactly one ({checks['receipts per submitted entry']}) "
        f"| {'yes' if exactly_one == checks['creators'] else 'no'} |",
        "",
        "| check after the surge | result |",
        "|---|---|",
    ]
    lines += [f"| {name} | {value} |" for name, value in checks.items()]
    text = "\n".join(lines) + "\n"
    print("\n" + text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now()
    (RESULTS / f"surge-{stamp:%Y%m%d-%H%M%S}.md").write_text(text)
    (RESULTS / "surge-latest.md").write_text(text)
    summary = {
        "workers": args.workers,
        "creators": args.creators,
        "rate": args.rate,
        "seconds": args.seconds,
        "elapsed": elapsed,
        "loadgen_cpu": load["loadgen_cpu"],
        "load_average": [load_before[0], load_after[0]],
        "kinds": {
            kind: {
                "sent": len(items),
                "errors": sum("error" in r for r in items),
                "p50_ms": percentile([r["latency"] * 1000 for r in items], 50),
                "p95_ms": percentile([r["latency"] * 1000 for r in items], 95),
                "p99_ms": percentile([r["latency"] * 1000 for r in items], 99),
                "cpu_p50_ms": percentile([r["cpu"] for r in items if "cpu" in r], 50),
                "app_p50_ms": percentile([r["app"] for r in items if "app" in r], 50),
            }
            for kind, items in by_kind.items()
        },
        "checks": checks,
    }
    (RESULTS / "surge-latest.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()

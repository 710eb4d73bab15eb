"""The public results pages of an edition with 60 winners: median time in-process and query
count (the issue's target: the results page under 30 ms, at most 10 queries).

The edition is built through the real services (decisions, freeze, publish) in a temporary
SQLite database, with 40 more entries on the shortlist and a jury of 9. The results page is
measured as readers get it (its rendering kept in the cache, per language) and as its first
reader gets it (rendered: the cache is cleared before each run). The figures land in
bench/results/results-pages-latest.md, beside the previous run's.
Usage: python bench/results_pages.py [--winners 60] [--runs 50]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

TARGET_MS, TARGET_QUERIES = 30, 10


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--winners", type=int, default=60)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "true",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_VAR_DIR": tempfile.mkdtemp(prefix="hcda-bench-results-"),
        }
    )
    # A temporary SQLite database and local files, whatever the shell says.
    for name in ("DATABASE_URL", "S3_BUCKET", "CACHE_URL"):
        os.environ.pop(name, None)
    write(run(args), args)


def run(args) -> list[tuple[str, str, str]]:
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse
    from django.utils import translation

    from tests.judging.published import results_edition

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with override_settings(
        # Demo people need no real password hashing (it would dominate the set-up)…
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # …and the result notices sent at publication go nowhere.
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ):
        made = results_edition(
            awards=args.winners, shortlisted=40, not_selected=20, jurors=9, images=3
        )
    built = time.perf_counter() - started
    year = made.cycle.festival_year
    client = Client()

    def measure(url, marker, cold=False):
        for _ in range(3):
            client.get(url)
        times = []
        for _ in range(args.runs):
            if cold:
                cache.clear()  # the page as its first reader gets it: rendered, then kept
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        return statistics.median(times), len(queries), body.decode().count(marker)

    with translation.override("en"):
        results_url = reverse("judging:results", kwargs={"year": year})
        slug = made.winners[0].reference_code.lower()
        winner_url = reverse("judging:winner", kwargs={"year": year, "slug": slug})
        archive_url = reverse("awards:archive")
        json_url = reverse("judging:results_json", kwargs={"year": year})
        csv_url = reverse("judging:results_csv", kwargs={"year": year})
    with translation.override("vi"):
        results_vi = reverse("judging:results", kwargs={"year": year})
    card = '<li class="winner-card'
    pages = [
        ("results page", results_url, card, False),
        ("results page, first reader", results_url, card, True),
        ("results page (vi)", results_vi, card, False),
        ("winner page", winner_url, "<img", False),
        ("archive", archive_url, 'class="winners-strip__item"', False),
        ("results.json", json_url, '"reference_code": ', False),
        ("results.csv", csv_url, "\r\n", False),
    ]
    rows = [("build the edition", f"{args.winners} awards, through the services", f"{built:.1f} s")]
    for label, url, marker, cold in pages:
        median, queries, count = measure(url, marker, cold=cold)
        what = "cards" if label.startswith("results page") else "items"
        detail = f"{count} {what}, {queries} queries"
        if label.startswith("results page"):
            verdict = "ok" if median < TARGET_MS and queries <= TARGET_QUERIES else "OVER TARGET"
            detail += f" (target < {TARGET_MS} ms, ≤ {TARGET_QUERIES} queries: {verdict})"
        rows.append((label, detail, f"{median:.1f} ms"))
    return rows


def write(rows, args):
    RESULTS.mkdir(parents=True, exist_ok=True)
    latest = RESULTS / "results-pages-latest.json"
    previous = json.loads(latest.read_text()) if latest.exists() else {}
    lines = [
        f"# Results pages, {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, SQLite, {args.runs} runs per "
        "page (median), in-process, anonymous visitor.",
        "",
        "| what | detail | result | previous |",
        "|---|---|---|---|",
    ]
    for what, detail, result in rows:
        lines.append(f"| {what} | {detail} | {result} | {previous.get(what, '—')} |")
    text = "\n".join(lines) + "\n"
    print(text)
    (RESULTS / "results-pages-latest.md").write_text(text)
    latest.write_text(json.dumps({what: result for what, _d, result in rows}, indent=1))


if __name__ == "__main__":
    main()

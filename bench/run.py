"""Benchmarks for the numbers the issues name; `make bench` runs this.

- organizer entry list (50 rows, with filters) and creator dashboard at 20,000 entries:
  median time in-process and query counts (which must not grow with rows);
- finalize of a 20 MB image against S3 (moto's server in its own process), renditions queued;
- the app's memory while finalizing 4, 10 and 20 MB uploads (it must not grow with file size).

Results go to bench/results/<time>.md and bench/results/latest.md; the previous latest is shown
beside each figure. Usage: python bench/run.py [--entries 20000] [--runs 30]
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_moto() -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, endpoint
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("moto server did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="hcda-bench-"))
    moto, endpoint = start_moto()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "true",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_VAR_DIR": str(var),
            "TASKS_BACKEND": "database",  # as in production: finalize queues the renditions
            "S3_BUCKET": "hcda-bench",
            "S3_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
        }
    )
    try:
        rows = run(args, endpoint)
    finally:
        moto.terminate()
    write(rows, args)


def run(args, endpoint) -> list[tuple[str, str, str]]:
    import django

    django.setup()
    import boto3
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    ).create_bucket(Bucket="hcda-bench")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", entries=args.entries, jurors=0, seed=1, stdout=quiet)
    seeded = time.perf_counter() - started

    from django.contrib.auth import get_user_model

    from submissions.models import Entry

    cycle = Entry.objects.order_by("-cycle__festival_year").first().cycle
    organizer = Client()
    organizer.force_login(get_user_model().objects.get(email="organizer@demo.hcda.vn"))
    creator = Client()
    creator.force_login(get_user_model().objects.get(email="creator@demo.hcda.vn"))
    arc = cycle.categories.get(code="ARC")
    base = f"/en/organize/{cycle.festival_year}/entries/"

    # Timed without the test framework's template instrumentation, as a server would run;
    # rows are counted in the HTML.
    def measure(client, url, marker):
        for _ in range(3):
            client.get(url)
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return statistics.median(times), len(queries), response.content.decode().count(marker)

    results = [("seed_demo", f"--entries {args.entries}", f"{seeded:.1f} s")]
    pages = [
        ("organizer list", base),
        ("organizer list, category + status", f"{base}?category={arc.pk}&status=submitted"),
        ("organizer list, search 'ha noi'", f"{base}?q=ha+noi"),
        ("organizer list, has problems", f"{base}?has_problems=false&country=VN"),
        (
            "organizer list, one row",
            f"{base}?q={Entry.objects.exclude(reference_code=None).first().reference_code}",
        ),
    ]
    for label, url in pages:
        median, queries, rows = measure(organizer, url, '<td class="code">')
        results.append((label, f"{rows} rows, {queries} queries", f"{median:.1f} ms"))
    median, queries, rows = measure(creator, "/en/me/entries/", 'class="entry-row"')
    results.append(("creator dashboard", f"{rows} rows, {queries} queries", f"{median:.1f} ms"))
    results.append(("reference: pretalx organiser list", "2,000 proposals, 23 queries", "414 ms"))
    results += finalize_figures(creator, cycle)
    return results


def noisy_jpeg(megabytes: float) -> bytes:
    """A photograph-like JPEG of about the given size (noise does not compress)."""
    import io

    from PIL import Image

    pixels = megabytes * 1024 * 1024 / 1.17  # about 1.2 bytes per pixel at quality 95
    width = int((pixels * 1.5) ** 0.5)
    height = width * 2 // 3
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def finalize_figures(creator, cycle) -> list[tuple[str, str, str]]:
    import requests
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from submissions import services

    owner = get_user_model().objects.get(email="creator@demo.hcda.vn")
    category = cycle.categories.get(code="DIG")
    category.max_entries_per_creator = 99
    category.max_images = 99
    category.save()
    rows = []
    for megabytes in (4, 10, 19.5):
        data = noisy_jpeg(megabytes)
        entry = services.entry_create(owner=owner, category=category)
        start = creator.post(
            reverse("submissions:upload_start", kwargs={"entry_id": entry.public_id}),
            data=json.dumps({"name": "big.jpg", "size": len(data), "type": "image/jpeg"}),
            content_type="application/json",
        ).json()
        # The browser's part: straight to the bucket, not through the app.
        requests.post(
            start["url"],
            data=start["fields"],
            files={"file": ("big.jpg", data, "image/jpeg")},
            timeout=60,
        )
        tracemalloc.start()
        t = time.perf_counter()
        response = creator.post(start["finalize"])
        elapsed = time.perf_counter() - t
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert response.status_code == 200, response.content
        rows.append(
            (
                f"finalize {len(data) / 1048576:.1f} MB JPEG (S3)",
                f"app memory peak {peak / 1048576:.1f} MB",
                f"{elapsed * 1000:.0f} ms",
            )
        )
    return rows


def write(rows, args):
    RESULTS.mkdir(parents=True, exist_ok=True)
    latest = RESULTS / "latest.json"
    previous = json.loads(latest.read_text()) if latest.exists() else {}
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    lines = [
        f"# Benchmarks, {stamp}",
        "",
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {args.runs} runs per page (median), in-process.",
        "",
        "| what | detail | result | previous |",
        "|---|---|---|---|",
    ]
    for what, detail, result in rows:
        lines.append(f"| {what} | {detail} | {result} | {previous.get(what, '—')} |")
    text = "\n".join(lines) + "\n"
    print(text)
    (RESULTS / f"{datetime.now():%Y%m%d-%H%M%S}.md").write_text(text)
    (RESULTS / "latest.md").write_text(text)
    latest.write_text(json.dumps({what: result for what, _d, result in rows}, indent=1))


if __name__ == "__main__":
    main()

"""Organizers' list and export, the creator's dashboard, entry page and autosave: in-process,
through Django's test client without the test framework's template instrumentation (as a
server runs them)."""

from __future__ import annotations

import json
import tracemalloc

from bench.common import Context, Figure, timed

LIST_GOAL = "< 30 ms (PostgreSQL, 20,000)"


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def _queries(action) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def organizer_list(ctx: Context) -> list[Figure]:
    from submissions.models import Entry

    base = f"/en/organize/{ctx.cycle.festival_year}/entries/"
    arc = ctx.cycle.categories.get(code="ARC")
    code = Entry.objects.filter(cycle=ctx.cycle).exclude(reference_code=None).first()
    pages = [
        ("organizer list, page 1", base, LIST_GOAL),
        ("organizer list, page 200", f"{base}?page=200", LIST_GOAL),
        ("organizer list, category + status", f"{base}?category={arc.pk}&status=submitted", ""),
        ("organizer list, search 'dang'", f"{base}?q=dang", LIST_GOAL),
        ("organizer list, search 'ha noi'", f"{base}?q=ha+noi", LIST_GOAL),
        ("organizer list, no problems + country VN", f"{base}?has_problems=false&country=VN", ""),
        ("organizer list, one row (reference code)", f"{base}?q={code.reference_code}", ""),
    ]
    figures = []
    for what, url, goal in pages:
        median, fastest, cpu = timed(lambda url=url: _get(ctx.organizer, url), ctx.runs)
        html = _get(ctx.organizer, url).content.decode()
        queries = _queries(lambda url=url: _get(ctx.organizer, url))
        rows = html.count('<td class="code">')
        page = ""
        if "page=" in url and "Page 200 " not in html:
            # At 2,000 entries there are 40 pages: the paginator shows the last one.
            page = ", the last page"
        detail = f"{rows} rows{page}, {queries} queries"
        figures.append(Figure(what, median, fastest, detail, goal=goal, cpu_ms=cpu))
    return figures


def _export_once(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200
    lines = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
    return lines - 1  # the header


def _export_plan(ctx: Context) -> str:
    """Whether PostgreSQL compiles the export's query with JIT, and at what plan cost."""
    from django.db import connection

    from submissions import selectors

    queryset = selectors.organizer_entries(ctx.cycle).values_list("pk", *selectors.EXPORT_FIELDS)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
    cost = plan["Plan"]["Total Cost"]
    jit = plan.get("JIT")
    if jit:
        return f"plan cost {cost:,.0f}, JIT {jit['Timing']['Total']:,.0f} ms"
    return f"plan cost {cost:,.0f}, no JIT"


def export(ctx: Context) -> list[Figure]:
    from django.db import connection

    url = f"/en/organize/{ctx.cycle.festival_year}/entries/export.csv"
    runs = max(5, ctx.runs // 2)
    rows = _export_once(ctx.organizer, url)
    queries = _queries(lambda: _export_once(ctx.organizer, url))
    tracemalloc.start()
    _export_once(ctx.organizer, url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # PostgreSQL's JIT is on by default; SQLite has none.
    settings = ["on", "off"] if ctx.database == "postgresql" else ["on"]
    figures = []
    for jit in settings:
        label = "CSV export, every entry" + (", JIT off" if jit == "off" else "")
        detail = f"{rows:,} rows, {queries} queries, memory peak {peak / 1048576:.1f} MB"
        if ctx.database == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET jit = {jit}")
            detail += f"; {_export_plan(ctx)}"
        median, fastest, cpu = timed(lambda: _export_once(ctx.organizer, url), runs, warmup=1)
        goal = "< 600 ms (PostgreSQL, 20,000)"
        figures.append(Figure(label, median, fastest, detail, goal=goal, cpu_ms=cpu))
    if ctx.database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")
    return figures


def creator(ctx: Context) -> list[Figure]:
    from django.urls import reverse

    from submissions.models import Entry

    figures = []
    dashboard = reverse("submissions:dashboard")
    median, fastest, cpu = timed(lambda: _get(ctx.creator, dashboard), ctx.runs)
    html = _get(ctx.creator, dashboard).content.decode()
    rows = html.count('class="entry-row"')
    queries = _queries(lambda: _get(ctx.creator, dashboard))
    detail = f"{rows} rows, {queries} queries"
    figures.append(Figure("creator dashboard", median, fastest, detail, cpu_ms=cpu))

    draft = Entry.objects.filter(owner__email="creator@demo.hcda.vn", status="draft").first()
    page = draft.get_absolute_url()
    median, fastest, cpu = timed(lambda: _get(ctx.creator, page), ctx.runs)
    queries = _queries(lambda: _get(ctx.creator, page))
    figures.append(Figure("creator entry page", median, fastest, f"{queries} queries", cpu_ms=cpu))

    autosave = reverse("submissions:entry_autosave", kwargs={"entry_id": draft.public_id})
    form = autosave_form(draft)
    titles = iter(range(10**9))

    def save():
        # A real change each time (the service skips saves that change nothing), in the text
        # a creator writes most: the summary.
        response = ctx.creator.post(autosave, {**form, "summary_en": f"A house {next(titles)}"})
        assert response.status_code == 200, response.content

    median, fastest, cpu = timed(save, ctx.runs)
    queries = _queries(save)
    figures.append(
        Figure(
            "creator autosave (one request, no contention)",
            median,
            fastest,
            f"{queries} queries",
            goal="< 8 ms of worker time (the surge measures it in gunicorn)",
            cpu_ms=cpu,
        )
    )
    return figures


def autosave_form(entry) -> dict:
    """Every field of the entry form, as the browser posts it on each autosave."""
    from submissions.forms import EntryForm

    form = {}
    for name in EntryForm.Meta.fields:
        value = getattr(entry, name)
        if isinstance(value, bool):
            if value:
                form[name] = "on"
        else:
            form[name] = value
    return form


def seeding(ctx: Context) -> list[Figure]:
    seconds = ctx.extra["seed_seconds"]
    return [Figure("seed_demo --entries", value=f"{seconds:.1f} s")]

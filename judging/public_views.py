"""The published results: pages, open data, winners' images, certificate verification.

Everything is read from the published snapshot (never from live decisions), and every view
asks `results.published_snapshot` first: before the publish time each of them is the same 404
as an edition that does not exist.
"""

from __future__ import annotations

from urllib.parse import quote

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from awards import csvsafe
from awards.languages import localise, reading_language
from awards.models import AwardCycle
from judging import certificates
from judging.models import Certificate
from judging.results import published_snapshot
from submissions import storage
from submissions.models import EntryAsset


def _snapshot_or_404(year: int):
    cycle = AwardCycle.objects.public().filter(festival_year=year).first()
    snapshot = published_snapshot(cycle) if cycle else None
    if snapshot is None:
        raise Http404
    return cycle, snapshot


class Links:
    """The links of one edition's results, each pattern reversed once and then filled in: a
    results page has hundreds of them, and `reverse` (or `{% url %}`) for each costs more
    than the rest of the page. Slugs (reference codes) and image ids (UUIDs) come from the
    snapshot and need no escaping, but are quoted all the same."""

    SLUG, ASSET = "slug-placeholder", "00000000-0000-0000-0000-000000000000"

    def __init__(self, year: int):
        self._winner = reverse("judging:winner", kwargs={"year": year, "slug": self.SLUG})
        self._image = {
            variant: reverse(
                "judging:results_image",
                kwargs={"year": year, "asset_id": self.ASSET, "variant": variant},
            )
            for variant in ("thumb", "web")
        }

    def winner(self, slug: str) -> str:
        return self._winner.replace(self.SLUG, quote(slug))

    def image(self, asset_id: str, variant: str) -> str:
        return self._image[variant].replace(self.ASSET, quote(asset_id))


def _award_rows(data: dict, lang: str, links: Links) -> list[dict]:
    rows = []
    for award in data["awards"]:
        entry = award["entry"]
        rows.append(
            {
                "key": award["key"],
                "kind": award["kind"],
                "prize": localise(award["prize"]["name"], lang) if award["prize"] else None,
                "prize_position": award["prize"]["position"] if award["prize"] else 10_000,
                "place": award["place"],
                "certificate": award["certificate"],
                "citation": localise(award["citation"], lang),
                "entry": _entry(entry, lang, links),
            }
        )
    return rows


def _entry(entry: dict, lang: str, links: Links) -> dict:
    return {
        **entry,
        "title": localise(entry["title"], lang),
        "summary": localise(entry["summary"], lang),
        "category_name": localise(entry["category"]["name"], lang),
        "url": links.winner(entry["slug"]),
        "pictures": [
            {"thumb": links.image(i, "thumb"), "web": links.image(i, "web")}
            for i in entry["images"]
        ],
    }


@require_GET
def results(request: HttpRequest, year: int) -> HttpResponse:
    """The whole edition's results from one row: the snapshot is the page (2 queries, however
    many winners).

    A published snapshot never changes, so its rendering is kept (per language, and per
    version of the edition's own texts): rendering sixty cards costs more than the rest of
    the request. Nothing in it expires — images are links to the app, which signs a fresh
    URL at each request — and nothing in it depends on the reader.
    """
    cycle, snapshot = _snapshot_or_404(year)
    lang = reading_language()
    key = (
        f"results-page:{snapshot.pk}:{snapshot.checksum[:16]}:{cycle.updated_at.timestamp()}:{lang}"
    )
    body = cache.get(key)
    if body is None:
        body = render_to_string(
            "judging/results/_results_body.html", _results_context(cycle, snapshot, lang)
        )
        cache.set(key, body, RESULTS_PAGE_CACHE_SECONDS)
    return render(
        request,
        "judging/results/results.html",
        # Our own template's autoescaped output, kept as text by the cache.
        {"cycle": cycle, "snapshot": snapshot, "body": mark_safe(body)},
    )


RESULTS_PAGE_CACHE_SECONDS = 24 * 3600


def _results_context(cycle, snapshot, lang: str) -> dict:
    links = Links(cycle.festival_year)
    rows = _award_rows(snapshot.data, lang, links)
    prizes: list[dict] = []
    for row in rows:
        if row["kind"] != "prize":
            continue
        if not prizes or prizes[-1]["key"] != row["key"]:
            prizes.append({"key": row["key"], "name": row["prize"], "winners": []})
        prizes[-1]["winners"].append(row)
    if prizes:
        # The first prize given to one entry alone is shown large, as the edition's top award.
        prizes[0]["feature"] = len(prizes[0]["winners"]) == 1
    mentions = [row for row in rows if row["kind"] == "mention"]
    groups: dict[str, dict] = {}
    for item in snapshot.data.get("shortlist", []):
        entry = _entry(item["entry"], lang, links)
        code = entry["category"]["code"]
        groups.setdefault(code, {"code": code, "name": entry["category_name"], "entries": []})
        groups[code]["entries"].append(entry)
    jury = [
        {
            **juror,
            "title": localise(juror["title"], lang),
            "bio": localise(juror["bio"], lang),
        }
        for juror in snapshot.data.get("jury", [])
    ]
    return {
        "cycle": cycle,
        "snapshot": snapshot,
        "prizes": prizes,
        "prize_count": sum(len(p["winners"]) for p in prizes),
        "mentions": mentions,
        "shortlist": list(groups.values()),
        "shortlist_count": sum(len(g["entries"]) for g in groups.values()),
        "jury": jury,
    }


@require_GET
def winner(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    cycle, snapshot = _snapshot_or_404(year)
    links = Links(year)
    rows = _award_rows(snapshot.data, reading_language(), links)
    awards = [r for r in rows if r["entry"]["slug"] == slug]
    if not awards:
        raise Http404
    # One entry may hold several awards with one shared citation: say it once.
    citations = []
    for award in awards:
        if award["citation"] and award["citation"] not in [c["text"] for c in citations]:
            citations.append({"text": award["citation"], "award": award["prize"]})
    # The winners in the results page's order (prizes, then mentions), each once: where
    # "previous" and "next" lead.
    in_page_order = sorted(rows, key=lambda r: (r["kind"] != "prize", r["prize_position"]))
    order = list(dict.fromkeys(r["entry"]["slug"] for r in in_page_order))
    titles = {r["entry"]["slug"]: r["entry"]["title"] for r in rows}
    here = order.index(slug)
    neighbour = {"previous": here - 1, "next": here + 1}
    return render(
        request,
        "judging/results/winner.html",
        {
            "cycle": cycle,
            "snapshot": snapshot,
            "entry": awards[0]["entry"],
            "awards": awards,
            "citations": citations,
            **{
                name: {"url": links.winner(order[n]), "title": titles[order[n]]}
                if 0 <= n < len(order)
                else None
                for name, n in neighbour.items()
            },
        },
    )


def _image_ids(snapshot) -> set[str]:
    ids = set()
    for award in snapshot.data["awards"]:
        ids.update(award["entry"]["images"])
    for item in snapshot.data.get("shortlist", []):
        ids.update(item["entry"]["images"])
    return ids


@require_GET
def image(request: HttpRequest, year: int, asset_id, variant: str) -> HttpResponse:
    """A published image: a redirect to a short-lived signed URL of its web rendition (the
    bucket stays private), only for images the snapshot shows."""
    _cycle, snapshot = _snapshot_or_404(year)
    if variant not in ("thumb", "web") or str(asset_id) not in _image_ids(snapshot):
        raise Http404
    try:
        asset = EntryAsset.objects.select_related("entry").get(public_id=asset_id)
    except (EntryAsset.DoesNotExist, ValidationError):
        raise Http404 from None
    key = asset.thumb_key if variant == "thumb" else asset.web_key
    if not key:
        raise Http404
    try:
        name = f"{asset.entry.reference_code}-{asset.position}"
        url = storage.signed_url(
            key=key,
            filename=f"{name}.jpg",
            content_type="image/jpeg",
            attachment=False,
            local_ref=f"{asset.public_id}/{variant}/{name}",
        )
    except storage.StorageUnavailable:
        return HttpResponse(status=503)
    response = redirect(url)
    # Shorter than the signature's life: a cached redirect never points at an expired URL.
    response["Cache-Control"] = "public, max-age=60"
    return response


# The open-data schema (README, "Open data"): one row per award, these fields in this order,
# in JSON and in CSV alike. Add fields at the end; never rename or reorder (schema version 1).
OPEN_DATA_SCHEMA = "hcda-results/1"
OPEN_DATA_FIELDS = [
    "edition",
    "award_kind",
    "award_vi",
    "award_en",
    "place",
    "category_code",
    "category_vi",
    "category_en",
    "reference_code",
    "title_vi",
    "title_en",
    "creator",
    "credits",
    "citation_vi",
    "citation_en",
    "url",
    "certificate_code",
    "certificate_url",
]
# The catalogue's words, fixed here: open data must not change when a translation is edited.
MENTION = {"vi": "Giải khuyến khích", "en": "Honourable mention"}


def open_data_rows(request: HttpRequest, cycle, snapshot) -> list[dict]:
    """One row per award, in the results page's order. `credits` is a list of
    {"name", "role"} (the CSV writes it as "name (role); …")."""
    rows = []
    for award in snapshot.data["awards"]:
        entry, prize = award["entry"], award["prize"]
        name = prize["name"] if prize else MENTION
        row = {
            "edition": cycle.festival_year,
            "award_kind": award["kind"],
            "award_vi": name["vi"],
            "award_en": name["en"],
            "place": award["place"],
            "category_code": entry["category"]["code"],
            "category_vi": entry["category"]["name"]["vi"],
            "category_en": entry["category"]["name"]["en"],
            "reference_code": entry["reference_code"],
            "title_vi": entry["title"]["vi"],
            "title_en": entry["title"]["en"],
            "creator": entry["creator"],
            "credits": [
                {"name": c.get("name", ""), "role": c.get("role", "")} for c in entry["credits"]
            ],
            "citation_vi": award["citation"]["vi"],
            "citation_en": award["citation"]["en"],
            "url": request.build_absolute_uri(
                reverse(
                    "judging:winner", kwargs={"year": cycle.festival_year, "slug": entry["slug"]}
                )
            ),
            "certificate_code": award["certificate"],
            "certificate_url": request.build_absolute_uri(
                reverse("judging:verify", kwargs={"code": award["certificate"]})
            ),
        }
        rows.append({field: row[field] for field in OPEN_DATA_FIELDS})
    rows.sort(key=lambda r: r["award_kind"] != "prize")  # prizes first, as on the page
    return rows


@require_GET
def results_json(request: HttpRequest, year: int) -> JsonResponse:
    cycle, snapshot = _snapshot_or_404(year)
    response = JsonResponse(
        {
            "schema": OPEN_DATA_SCHEMA,
            "edition": cycle.festival_year,
            "theme": {"vi": cycle.theme_vi, "en": cycle.theme_en},
            "published_at": snapshot.published_at.isoformat(),
            "checksum": snapshot.checksum,
            "fields": OPEN_DATA_FIELDS,
            "awards": open_data_rows(request, cycle, snapshot),
        },
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Access-Control-Allow-Origin"] = "*"  # open data
    return response


def _csv_value(value) -> str:
    if isinstance(value, list):  # credits
        return "; ".join(f"{c['name']} ({c['role']})" if c["role"] else c["name"] for c in value)
    return "" if value is None else str(value)


@require_GET
def results_csv(request: HttpRequest, year: int) -> StreamingHttpResponse:
    cycle, snapshot = _snapshot_or_404(year)
    rows = open_data_rows(request, cycle, snapshot)
    # Titles, names and credits are typed by creators: the safe writer keeps a leading "=",
    # "+", "-" or "@" from turning into a spreadsheet formula.
    body = csvsafe.lines(
        OPEN_DATA_FIELDS,
        ([_csv_value(row[field]) for field in OPEN_DATA_FIELDS] for row in rows),
    )
    response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hcda{year}-results.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _certificate_or_404(code: str) -> Certificate:
    certificate = (
        Certificate.objects.select_related("snapshot__cycle", "entry")
        .filter(code=code.upper(), snapshot__superseded_at__isnull=True)
        .first()
    )
    published = published_snapshot(certificate.snapshot.cycle) if certificate else None
    # Unknown, superseded and embargoed codes are the same 404.
    if published is None or published.pk != certificate.snapshot_id:
        raise Http404
    return certificate


def certificate_facts(certificate: Certificate, lang: str) -> dict:
    snapshot = certificate.snapshot
    award = next(a for a in snapshot.data["awards"] if a["certificate"] == certificate.code)
    entry = award["entry"]
    return {
        "code": certificate.code,
        "year": snapshot.cycle.festival_year,
        "theme": localise(snapshot.data["edition"]["theme"], lang),
        "award": localise(award["prize"]["name"], lang) if award["prize"] else None,
        "kind": award["kind"],
        "title": localise(entry["title"], lang),
        "creator": entry["creator"],
        "category": localise(entry["category"]["name"], lang),
        "reference_code": entry["reference_code"],
        "slug": entry["slug"],
        "published_at": snapshot.published_at,
    }


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    certificate = _certificate_or_404(code)
    return render(
        request,
        "judging/results/verify.html",
        {"facts": certificate_facts(certificate, reading_language())},
    )


# A published certificate never changes (a published snapshot cannot be unfrozen), so shared
# caches may keep it; a week rather than a year, so a corrected design or translation still
# reaches readers.
CERTIFICATE_CACHE_CONTROL = "public, max-age=604800, immutable"


@require_GET
def certificate(request: HttpRequest, code: str) -> HttpResponse:
    """The certificate as a PDF in the URL's language; the same 404s as `verify`."""
    certificate = _certificate_or_404(code)
    lang = reading_language()
    verify_url = request.build_absolute_uri(
        reverse("judging:verify", kwargs={"code": certificate.code})
    )
    text = certificates.certificate_text(
        certificate_facts(certificate, lang), verify_url=verify_url
    )
    response = HttpResponse(
        certificates.render_pdf(text, lang=lang), content_type="application/pdf"
    )
    filename = f"{certificate.snapshot.cycle.code}-certificate-{certificate.code}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = CERTIFICATE_CACHE_CONTROL
    return response

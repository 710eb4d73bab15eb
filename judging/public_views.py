"""The published results: pages, open data, winners' images, certificate verification.

Everything is read from the published snapshot (never from live decisions), and every view
asks `results.published_snapshot` first: before the publish time each of them is the same 404
as an edition that does not exist.
"""

from __future__ import annotations

import csv

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from awards.models import AwardCycle
from judging import certificates
from judging.models import Certificate
from judging.results import published_snapshot
from submissions import storage
from submissions.models import EntryAsset


def _lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def _snapshot_or_404(year: int):
    cycle = AwardCycle.objects.public().filter(festival_year=year).first()
    snapshot = published_snapshot(cycle) if cycle else None
    if snapshot is None:
        raise Http404
    return cycle, snapshot


def localise(value, lang: str):
    """{"vi": …, "en": …} → the reader's language, or the other one when it is empty."""
    if isinstance(value, dict) and set(value) == {"vi", "en"}:
        return value[lang] or value["en" if lang == "vi" else "vi"]
    return value


def _award_rows(data: dict, lang: str) -> list[dict]:
    rows = []
    for award in data["awards"]:
        entry = award["entry"]
        rows.append(
            {
                "kind": award["kind"],
                "prize": localise(award["prize"]["name"], lang) if award["prize"] else None,
                "prize_position": award["prize"]["position"] if award["prize"] else 10_000,
                "place": award["place"],
                "certificate": award["certificate"],
                "citation": localise(award["citation"], lang),
                "entry": {
                    **entry,
                    "title": localise(entry["title"], lang),
                    "summary": localise(entry["summary"], lang),
                    "category_name": localise(entry["category"]["name"], lang),
                },
            }
        )
    return rows


@require_GET
def results(request: HttpRequest, year: int) -> HttpResponse:
    cycle, snapshot = _snapshot_or_404(year)
    lang = _lang()
    rows = _award_rows(snapshot.data, lang)
    prizes: list[dict] = []
    for row in rows:
        if row["kind"] != "prize":
            continue
        if not prizes or prizes[-1]["name"] != row["prize"]:
            prizes.append({"name": row["prize"], "winners": []})
        prizes[-1]["winners"].append(row)
    mentions = [row for row in rows if row["kind"] == "mention"]
    shortlist = [
        {
            **item["entry"],
            "title": localise(item["entry"]["title"], lang),
            "category_name": localise(item["entry"]["category"]["name"], lang),
        }
        for item in snapshot.data.get("shortlist", [])
    ]
    jury = [
        {
            **juror,
            "title": localise(juror["title"], lang),
            "bio": localise(juror["bio"], lang),
        }
        for juror in snapshot.data.get("jury", [])
    ]
    return render(
        request,
        "judging/results/results.html",
        {
            "cycle": cycle,
            "snapshot": snapshot,
            "prizes": prizes,
            "mentions": mentions,
            "shortlist": shortlist,
            "jury": jury,
        },
    )


@require_GET
def winner(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    cycle, snapshot = _snapshot_or_404(year)
    rows = [r for r in _award_rows(snapshot.data, _lang()) if r["entry"]["slug"] == slug]
    if not rows:
        raise Http404
    return render(
        request,
        "judging/results/winner.html",
        {"cycle": cycle, "snapshot": snapshot, "entry": rows[0]["entry"], "awards": rows},
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


OPEN_DATA_FIELDS = [
    "edition",
    "award",
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
    "certificate",
]


def open_data_rows(request: HttpRequest, cycle, snapshot) -> list[dict]:
    """The stable open-data schema (documented in the README); one row per award."""
    rows = []
    for award in snapshot.data["awards"]:
        entry = award["entry"]
        rows.append(
            {
                "edition": cycle.festival_year,
                "award": award["prize"]["name"]["en"] if award["prize"] else "Honourable mention",
                "award_vi": award["prize"]["name"]["vi"] if award["prize"] else "Giải khuyến khích",
                "place": award["place"],
                "category_code": entry["category"]["code"],
                "category_vi": entry["category"]["name"]["vi"],
                "category_en": entry["category"]["name"]["en"],
                "reference_code": entry["reference_code"],
                "title_vi": entry["title"]["vi"],
                "title_en": entry["title"]["en"],
                "creator": entry["creator"],
                "credits": "; ".join(
                    f"{c.get('name', '')} ({c.get('role', '')})".replace(" ()", "")
                    for c in entry["credits"]
                ),
                "citation_vi": award["citation"]["vi"],
                "citation_en": award["citation"]["en"],
                "url": request.build_absolute_uri(
                    reverse(
                        "judging:winner",
                        kwargs={"year": cycle.festival_year, "slug": entry["slug"]},
                    )
                ),
                "certificate": request.build_absolute_uri(
                    reverse("judging:verify", kwargs={"code": award["certificate"]})
                ),
            }
        )
    return rows


@require_GET
def results_json(request: HttpRequest, year: int) -> JsonResponse:
    cycle, snapshot = _snapshot_or_404(year)
    response = JsonResponse(
        {
            "schema": "hcda-results/1",
            "edition": cycle.festival_year,
            "theme": {"vi": cycle.theme_vi, "en": cycle.theme_en},
            "published_at": snapshot.published_at.isoformat(),
            "checksum": snapshot.checksum,
            "awards": open_data_rows(request, cycle, snapshot),
        },
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Access-Control-Allow-Origin"] = "*"  # open data
    return response


class _Echo:
    def write(self, value):
        return value


@require_GET
def results_csv(request: HttpRequest, year: int) -> StreamingHttpResponse:
    cycle, snapshot = _snapshot_or_404(year)
    rows = open_data_rows(request, cycle, snapshot)
    fields = ["edition", "award", "award_vi", *OPEN_DATA_FIELDS[2:]]
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        yield writer.writerow(fields)
        for row in rows:
            yield writer.writerow([row[f] for f in fields])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
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
        {"facts": certificate_facts(certificate, _lang())},
    )


# A published certificate never changes (a published snapshot cannot be unfrozen), so shared
# caches may keep it; a week rather than a year, so a corrected design or translation still
# reaches readers.
CERTIFICATE_CACHE_CONTROL = "public, max-age=604800, immutable"


@require_GET
def certificate(request: HttpRequest, code: str) -> HttpResponse:
    """The certificate as a PDF in the URL's language; the same 404s as `verify`."""
    certificate = _certificate_or_404(code)
    lang = _lang()
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

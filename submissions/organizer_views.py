"""Organizers' side: the start page, the entry list with filters and search, export, screening."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.translation import gettext as _

from awards import csvsafe
from awards.models import AuditEvent, AwardCycle
from awards.roles import needs_two_factor, organizer_required
from submissions import emails, selectors, services
from submissions.filters import EntryFilter
from submissions.forms import ExtensionForm, ScreeningForm
from submissions.models import CreatorProfile, Entry


def _filtered(request: HttpRequest, year: int):
    cycle = get_object_or_404(AwardCycle, festival_year=year)
    categories = list(cycle.categories.all())
    entry_filter = EntryFilter(
        request.GET or None, queryset=selectors.organizer_entries(cycle), categories=categories
    )
    return cycle, categories, entry_filter


def _counts_table(categories, counts: dict[tuple[int, str], int]) -> dict:
    """Entries by category (rows) and status (columns), with a total per status, from
    `selectors.counts_by_category_and_status` (one grouped query)."""
    statuses = Entry.Status.choices
    table = [
        (category, [counts.get((category.pk, value), 0) for value, _label in statuses])
        for category in categories
    ]
    totals = [sum(row[1][i] for row in table) for i in range(len(statuses))]
    by_status = [
        (value, label, total) for (value, label), total in zip(statuses, totals, strict=True)
    ]
    return {"table": table, "statuses": statuses, "totals": totals, "by_status": by_status}


@organizer_required
def organizer_home(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The organizer's start page: one edition at a glance, what needs doing, where to go."""
    cycles = list(AwardCycle.objects.order_by("-festival_year"))
    # The edition the public sees now (`AwardCycle.objects.current()`, from what is in hand).
    current = next((c for c in cycles if c.is_public()), None)
    if year is None:
        # Before any edition is public, the newest draft.
        cycle = current or (cycles[0] if cycles else None)
    else:
        cycle = next((c for c in cycles if c.festival_year == year), None)
        if cycle is None:
            raise Http404
    context = {
        "cycle": cycle,
        "cycles": cycles,
        "current_cycle": current,  # the menu's, without the context processor's query
        # Organizers decide who wins: their accounts should have a second factor.
        "two_factor_missing": needs_two_factor(request.user),
    }
    if cycle is not None:
        to_screen = Entry.objects.filter(
            cycle=cycle, status=Entry.Status.SUBMITTED, screening=Entry.Screening.PENDING
        )
        problems = selectors.problem_files().filter(entry__cycle=cycle)
        context |= {
            **_counts_table(
                list(cycle.categories.all()), selectors.counts_by_category_and_status(cycle)
            ),
            "to_screen_count": to_screen.count(),
            "to_screen": to_screen.select_related("category").order_by("submitted_at", "pk")[:5],
            "problem_count": problems.count(),
            "problems": problems.select_related("entry__category").order_by("-created_at")[:5],
        }
    return render(request, "submissions/organize/home.html", context)


@organizer_required
def entry_list(request: HttpRequest, year: int) -> HttpResponse:
    cycle, categories, entry_filter = _filtered(request, year)
    counts = selectors.counts_by_category_and_status(cycle)
    # With no filter but category and status, the table already holds the number of matches.
    known = entry_filter.only_counted_filters()
    matching = None
    if known is not None:
        matching = sum(
            n
            for (category, status), n in counts.items()
            if ("category" not in known or int(known["category"]) == category)
            and ("status" not in known or known["status"] == status)
        )
    page = selectors.organizer_page(entry_filter.qs, request.GET.get("page"), count=matching)
    _label_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    cycles = list(AwardCycle.objects.order_by("-festival_year"))  # newest first, as current()
    return render(
        request,
        "submissions/organize/list.html",
        {
            "cycle": cycle,
            "filter": entry_filter,
            "page": page,
            **_counts_table(categories, counts),
            "query": query.urlencode(),
            "cycles": cycles,
            # The menu's edition (`AwardCycle.objects.current()`, as the context processor
            # would ask in a query of its own), found among the editions already fetched.
            "current_cycle": next((c for c in cycles if c.is_public()), None),
        },
    )


def _label_rows(entries: list[Entry]) -> None:
    """What each row shows, prepared here rather than in the template: fifty rows of
    `get_FOO_display`, `{% url %}` and date filters cost more than the rest of the page."""
    # Each label translated once for the page, not once a row.
    statuses = {value: str(label) for value, label in Entry.Status.choices}
    screenings = {value: str(label) for value, label in Entry.Screening.choices}
    kinds = {value: str(label) for value, label in CreatorProfile.CreatorType.choices}
    # The format looked up once (formats.date_format would ask for it on every row).
    short = formats.get_format("SHORT_DATETIME_FORMAT")
    zone = timezone.get_current_timezone()
    # One reverse() for the page; each row's address differs only by its id.
    blank = str(uuid.UUID(int=0))
    url = reverse("submissions:organize_entry", kwargs={"entry_id": blank})
    for entry in entries:
        entry.organizer_url = url.replace(blank, str(entry.public_id))
        entry.status_label = statuses[entry.status]
        entry.screening_label = screenings[entry.screening]
        entry.creator_type_label = kinds.get(entry.creator_type, "")
        entry.submitted_label = (
            dateformat.format(timezone.localtime(entry.submitted_at, zone), short)
            if entry.submitted_at
            else ""
        )


EXPORT_COLUMNS = [
    "reference_code",
    "status",
    "screening",
    "category",
    "title_vi",
    "title_en",
    "creator",
    "email",
    "creator_type",
    "country",
    "city",
    "organization",
    "images",
    "pdf",
    "submitted_at",
    "created_at",
]


def _export_lines(rows):
    zone = timezone.get_current_timezone()  # once: each lookup goes through a context-local
    for (
        code,
        status,
        screening,
        category,
        title_vi,
        title_en,
        creator,
        email,
        creator_type,
        country,
        city,
        organization,
        submitted_at,
        created_at,
        images,
        pdfs,
    ) in rows:
        yield [
            code or "",
            status,
            screening,
            category,
            title_vi,
            title_en,
            creator or "",
            email,
            creator_type or "",
            country or "",
            city or "",
            organization or "",
            images,
            pdfs,
            submitted_at.astimezone(zone).isoformat() if submitted_at else "",
            created_at.astimezone(zone).isoformat(),
        ]


@organizer_required
def entry_export(request: HttpRequest, year: int) -> StreamingHttpResponse:
    """Every entry matching the filters, streamed from the database (memory stays flat)."""
    cycle, _categories, entry_filter = _filtered(request, year)
    rows = _export_lines(selectors.export_rows(entry_filter.qs))
    response = StreamingHttpResponse(
        csvsafe.lines(EXPORT_COLUMNS, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="hcda{cycle.festival_year}-entries.csv"'
    )
    return response


@organizer_required
def entry_detail(request: HttpRequest, entry_id) -> HttpResponse:
    try:
        entry = selectors.entry_for_page(
            Entry.objects.visible_to(request.user).select_related("owner__creator_profile"),
            entry_id,
        )
    except (Entry.DoesNotExist, ValidationError):
        raise Http404 from None
    screening_form = ScreeningForm(
        initial={"decision": entry.screening, "reason": entry.screening_reason}
    )
    extension_form = ExtensionForm(initial={"until": entry.extended_until})
    if request.method == "POST":
        try:
            if request.POST.get("form") == "screening":
                screening_form = ScreeningForm(request.POST)
                if screening_form.is_valid():
                    services.entry_screen(
                        entry=entry,
                        by=request.user,
                        decision=screening_form.cleaned_data["decision"],
                        reason=screening_form.cleaned_data["reason"],
                        site_url=emails.site_url_of(request),
                    )
                    messages.success(request, _("Screening saved; the creator is told by email."))
                    return redirect(entry.get_organizer_url())
            elif request.POST.get("form") == "extension":
                extension_form = ExtensionForm(request.POST)
                if extension_form.is_valid():
                    services.entry_extend_deadline(
                        entry=entry, by=request.user, until=extension_form.cleaned_data["until"]
                    )
                    messages.success(request, _("Deadline for this entry updated."))
                    return redirect(entry.get_organizer_url())
        except services.EntryError as error:
            messages.error(request, error.message)
    history = AuditEvent.objects.filter(
        object_type="submissions.entry", object_id=str(entry.pk)
    ).select_related("actor")[:100]
    return render(
        request,
        "submissions/organize/entry.html",
        {
            "entry": entry,
            "profile": getattr(entry.owner, "creator_profile", None),
            "assets": list(entry.assets.all()),
            "screening_form": screening_form,
            "extension_form": extension_form,
            "judging_started": timezone.now() >= entry.cycle.judging_starts_at,
            "history": history,
        },
    )

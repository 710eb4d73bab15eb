"""Organizers' side: the start page, the entry list with filters and search, export, screening."""

import csv

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import AuditEvent, AwardCycle
from awards.roles import organizer_required
from submissions import emails, selectors, services
from submissions.filters import EntryFilter
from submissions.forms import ExtensionForm, ScreeningForm
from submissions.models import Entry


def _filtered(request: HttpRequest, year: int):
    cycle = get_object_or_404(AwardCycle, festival_year=year)
    entry_filter = EntryFilter(
        request.GET or None, queryset=selectors.organizer_entries(cycle), cycle=cycle
    )
    return cycle, entry_filter


def _counts_table(cycle: AwardCycle) -> dict:
    """Entries by category (rows) and status (columns), with a total per status: two queries."""
    counts = selectors.counts_by_category_and_status(cycle)
    statuses = Entry.Status.choices
    table = [
        (category, [counts.get(category.code, {}).get(value, 0) for value, _label in statuses])
        for category in cycle.categories.all()
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
    if year is None:
        # The edition the public sees now; before any is public, the newest draft.
        cycle = AwardCycle.objects.current() or (cycles[0] if cycles else None)
    else:
        cycle = next((c for c in cycles if c.festival_year == year), None)
        if cycle is None:
            raise Http404
    context = {
        "cycle": cycle,
        "cycles": cycles,
        # Organizers decide who wins: their accounts should have a second factor.
        "two_factor_missing": not Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.TOTP
        ).exists(),
    }
    if cycle is not None:
        to_screen = Entry.objects.filter(
            cycle=cycle, status=Entry.Status.SUBMITTED, screening=Entry.Screening.PENDING
        )
        problems = selectors.problem_files().filter(entry__cycle=cycle)
        context |= {
            **_counts_table(cycle),
            "to_screen_count": to_screen.count(),
            "to_screen": to_screen.select_related("category").order_by("submitted_at", "pk")[:5],
            "problem_count": problems.count(),
            "problems": problems.select_related("entry__category").order_by("-created_at")[:5],
        }
    return render(request, "submissions/organize/home.html", context)


@organizer_required
def entry_list(request: HttpRequest, year: int) -> HttpResponse:
    cycle, entry_filter = _filtered(request, year)
    page = Paginator(entry_filter.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "submissions/organize/list.html",
        {
            "cycle": cycle,
            "filter": entry_filter,
            "page": page,
            **_counts_table(cycle),
            "query": query.urlencode(),
            "cycles": AwardCycle.objects.order_by("-festival_year"),
        },
    )


class _Echo:
    def write(self, value):
        return value


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


@organizer_required
def entry_export(request: HttpRequest, year: int) -> StreamingHttpResponse:
    """Every entry matching the filters, streamed row by row (memory stays flat at any size)."""
    cycle, entry_filter = _filtered(request, year)
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # so that spreadsheet programs read Vietnamese as UTF-8
        yield writer.writerow(EXPORT_COLUMNS)
        for entry in entry_filter.qs.iterator(chunk_size=2000):
            profile = getattr(entry.owner, "creator_profile", None)
            yield writer.writerow(
                [
                    entry.reference_code or "",
                    entry.status,
                    entry.screening,
                    entry.category.code,
                    entry.title_vi,
                    entry.title_en,
                    profile.display_name if profile else "",
                    entry.owner.email,
                    profile.creator_type if profile else "",
                    profile.country.code if profile else "",
                    profile.city if profile else "",
                    profile.organization if profile else "",
                    entry.ready_images,
                    entry.ready_pdfs,
                    timezone.localtime(entry.submitted_at).isoformat()
                    if entry.submitted_at
                    else "",
                    timezone.localtime(entry.created_at).isoformat(),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
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
            "history": history,
        },
    )

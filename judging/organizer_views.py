"""Organizers' side of the jury: invitations, conflicts, rounds, assignment, progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from awards.models import AwardCycle
from awards.roles import organizer_required
from judging import selectors, services
from judging.forms import AssignForm, BulkInviteForm, InviteForm, as_uuid
from judging.models import Assignment, Conflict, Juror, Round
from submissions.models import Entry


def _base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


@organizer_required
def jury(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_object_or_404(AwardCycle, festival_year=year)
    invite_form = InviteForm(prefix="one", cycle=cycle)
    bulk_form = BulkInviteForm(prefix="many", cycle=cycle)
    if request.method == "POST":
        people = []
        if "one-email" in request.POST:
            invite_form = InviteForm(request.POST, prefix="one", cycle=cycle)
            if invite_form.is_valid():
                data = invite_form.cleaned_data
                people = [
                    (
                        data["name"],
                        data["email"],
                        list(data["categories"]),
                        data["language"],
                        data["role"],
                    )
                ]
        else:
            bulk_form = BulkInviteForm(request.POST, prefix="many", cycle=cycle)
            if bulk_form.is_valid():
                people = [(*row, Juror.Role.JUROR) for row in bulk_form.cleaned_data["people"]]
        sent = 0
        for name, email, categories, language, role in people:
            try:
                services.juror_invite(
                    cycle=cycle,
                    email=email,
                    name=name,
                    categories=categories,
                    role=role,
                    language=language,
                    by=request.user,
                    base_url=_base_url(request),
                )
                sent += 1
            except services.JudgingError as error:
                messages.error(request, error.message)
        if sent:
            messages.success(
                request,
                ngettext("%(n)d invitation sent.", "%(n)d invitations sent.", sent) % {"n": sent},
            )
            return redirect("judging:organize_jury", year=year)
    jurors = (
        Juror.objects.filter(cycle=cycle)
        .select_related("user")  # the page shows the account's address beside the invited one
        .prefetch_related("categories")
        .annotate(
            assigned=Count("assignments", distinct=True),
            open_conflicts=Count(
                "conflicts", filter=Q(conflicts__status=Conflict.Status.SUGGESTED), distinct=True
            ),
        )
        .order_by("state", "name")
    )
    return render(
        request,
        "judging/organize/jury.html",
        {
            "cycle": cycle,
            "jurors": jurors,
            "invite_form": invite_form,
            "bulk_form": bulk_form,
            "suggested": Conflict.objects.filter(
                juror__cycle=cycle, status=Conflict.Status.SUGGESTED
            ).count(),
        },
    )


@organizer_required
@require_POST
def juror_action(request: HttpRequest, juror_id) -> HttpResponse:
    try:
        juror = Juror.objects.select_related("cycle").get(public_id=juror_id)
    except (Juror.DoesNotExist, ValidationError):
        raise Http404 from None
    action = request.POST.get("action")
    try:
        if action == "resend":
            services.juror_invite_resend(juror=juror, by=request.user, base_url=_base_url(request))
            messages.success(
                request, _("A new invitation is on its way to %(email)s.") % {"email": juror.email}
            )
        elif action == "revoke":
            services.juror_revoke(juror=juror, by=request.user)
            messages.success(
                request,
                _("%(name)s is off the jury; entries they had not scored go to other jurors.")
                % {"name": juror.name},
            )
    except services.JudgingError as error:
        messages.error(request, error.message)
    return redirect("judging:organize_jury", year=juror.cycle.festival_year)


@organizer_required
def conflicts(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_object_or_404(AwardCycle, festival_year=year)
    if request.method == "POST":
        count = services.conflicts_suggest(cycle=cycle, by=request.user)
        messages.success(
            request,
            ngettext("%(n)d new suggestion.", "%(n)d new suggestions.", count) % {"n": count},
        )
        return redirect("judging:organize_conflicts", year=year)
    rows = (
        Conflict.objects.filter(juror__cycle=cycle)
        .select_related("juror", "entry__owner__creator_profile", "creator__creator_profile")
        .order_by("status", "juror__name", "pk")
    )
    return render(
        request,
        "judging/organize/conflicts.html",
        {
            "cycle": cycle,
            "suggested": [c for c in rows if c.status == Conflict.Status.SUGGESTED],
            "confirmed": [c for c in rows if c.status == Conflict.Status.CONFIRMED],
            "dismissed": [c for c in rows if c.status == Conflict.Status.DISMISSED],
        },
    )


@organizer_required
@require_POST
def conflict_action(request: HttpRequest, conflict_id: int) -> HttpResponse:
    conflict = get_object_or_404(
        Conflict.objects.select_related("juror__cycle", "entry", "creator"), pk=conflict_id
    )
    action = request.POST.get("action")
    if action not in ("confirm", "dismiss"):
        return HttpResponseBadRequest(_("Choose whether to confirm or dismiss the suggestion."))
    try:
        if action == "confirm":
            services.conflict_set(
                juror=conflict.juror,
                by=request.user,
                source=conflict.source,
                entry=conflict.entry,
                creator=conflict.creator,
            )
            messages.success(request, _("Conflict confirmed; the juror will not see that work."))
        else:
            services.conflict_dismiss(conflict=conflict, by=request.user)
            messages.success(request, _("Suggestion dismissed."))
    except services.JudgingError as error:
        messages.error(request, error.message)
    return redirect("judging:organize_conflicts", year=conflict.juror.cycle.festival_year)


@organizer_required
def rounds(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_object_or_404(AwardCycle, festival_year=year)
    items = (
        Round.objects.filter(cycle=cycle)
        .prefetch_related("categories")
        .with_counts()
        .order_by("number")
    )
    return render(request, "judging/organize/rounds.html", {"cycle": cycle, "rounds": items})


def _round(round_id: int) -> Round:
    return get_object_or_404(Round.objects.select_related("cycle"), pk=round_id)


@organizer_required
def round_board(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round(round_id)
    progress = selectors.round_progress(round_)
    return render(
        request,
        "judging/organize/round.html",
        {
            "round": round_,
            "cycle": round_.cycle,
            "progress": progress,
            "totals": {
                name: sum(row[name] for row in progress["categories"])
                for name in ("entries", "complete", "short")
            },
            "scale": round_.scale_text(),
            "weights_problem": services.round_weights_problem(round_),
            "criteria": list(round_.criteria.all()),
            "jurors": Juror.objects.accepted().filter(cycle=round_.cycle).order_by("name"),
            "history": selectors.round_history(round_),
        },
    )


@organizer_required
def assign(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round(round_id)
    form = AssignForm(request.POST or request.GET or None)
    seed = form.cleaned_data["seed"] if form.is_valid() else 0
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.round_assign(round_=round_, by=request.user, seed=seed)
        except services.JudgingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext("%(n)d assignment saved.", "%(n)d assignments saved.", plan.new_count)
                % {"n": plan.new_count},
            )
            for problem in plan.problems[:20]:
                messages.warning(request, problem)
            return redirect(round_.get_organizer_url())
    plan = services.round_plan(round_=round_, seed=seed)
    rows = []
    for category in plan.categories:
        loads = sorted(
            ((plan.juror_names.get(j, "?"), n) for j, n in category.loads.items()),
            key=lambda item: item[0],
        )
        rows.append(
            {"plan": category, "loads": loads, "most": max((n for _j, n in loads), default=0)}
        )
    return render(
        request,
        "judging/organize/assign.html",
        {
            "round": round_,
            "cycle": round_.cycle,
            "plan": plan,
            "rows": rows,
            "form": form if form.is_bound else AssignForm(initial={"seed": 0}),
            "weights_problem": services.round_weights_problem(round_),
        },
    )


@organizer_required
@require_POST
def assignment_change(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round(round_id)
    try:
        if request.POST.get("action") == "remove":
            assignment = get_object_or_404(
                Assignment, round=round_, public_id=as_uuid(request.POST.get("assignment"))
            )
            services.assignment_remove(assignment=assignment, by=request.user)
            messages.success(request, _("Assignment removed."))
        else:
            code = request.POST.get("reference_code", "").strip().upper()
            entry = Entry.objects.filter(cycle=round_.cycle, reference_code=code).first()
            juror = Juror.objects.filter(
                cycle=round_.cycle, public_id=as_uuid(request.POST.get("juror"))
            ).first()
            if juror is not None and code and entry is None:
                # A typo in the code is the likely mistake: name the code that was not found.
                raise services.JudgingError(
                    _("No entry of this edition has the reference code %(code)s.") % {"code": code}
                )
            if entry is None or juror is None:
                raise services.JudgingError(
                    _("Choose a juror and give an entry's reference code, such as %(code)s.")
                    % {"code": f"{round_.cycle.code}-ARC-0001"}
                )
            services.assignment_add(round_=round_, juror=juror, entry=entry, by=request.user)
            messages.success(
                request, _("%(name)s now judges %(code)s.") % {"name": juror.name, "code": code}
            )
    except (services.JudgingError, ValidationError) as error:
        messages.error(request, getattr(error, "message", str(error)))
    return redirect(round_.get_organizer_url())


@organizer_required
@require_POST
def close(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round(round_id)
    services.round_close(round_=round_, by=request.user)
    messages.success(request, _("The round is closed; scores can no longer change."))
    return redirect(round_.get_organizer_url())

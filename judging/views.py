"""The jury's pages. Every entry, file and count a juror sees comes through
`selectors.visible_assignments` and the blind projection; anything else is a 404."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from awards.languages import other_language, reading_language
from awards.models import Prize
from awards.roles import needs_two_factor
from judging import results, selectors, services
from judging.forms import as_uuid, decision_choice
from judging.models import (
    Assignment,
    Conflict,
    Decision,
    Juror,
    ResultsSnapshot,
    Round,
    Scorecard,
)
from judging.standings import round_standings
from submissions import storage
from submissions.decorators import creator_required
from submissions.models import Entry, EntryAsset


def _memberships(request: HttpRequest):
    return Juror.objects.live().of_user(request.user).select_related("cycle")


def juror_required(view):
    """Accepted jurors of a live edition; for everyone else these pages do not exist."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not _memberships(request).exists():
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@juror_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    memberships = list(_memberships(request).prefetch_related("categories"))
    rounds = selectors.juror_rounds(request.user, now)
    # "Before your first round opens" only while that is still ahead: once a round is open,
    # the prompt stops naming a date that has passed.
    states = {r["state"] for r in rounds}
    first_open = (
        None
        if Round.State.OPEN in states
        else min(
            (r["round"].opens_at for r in rounds if r["state"] == Round.State.UPCOMING),
            default=None,
        )
    )
    return render(
        request,
        "judging/home.html",
        {
            "memberships": memberships,
            "rounds": rounds,
            "two_factor_missing": needs_two_factor(request.user),
            "first_open": first_open,
            "now": now,
        },
    )


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Open to anyone holding the link: sign in (or up) with any address, then accept."""
    juror = services.invitation_for_token(token)
    if (
        juror
        and request.user.is_authenticated
        and juror.user_id == request.user.pk
        and juror.state == Juror.State.ACCEPTED
    ):
        return redirect("judging:home")
    problem = services.invitation_problem(juror)
    # A dead link is gone (410); an account that may not accept is a conflict (409), and the
    # invitation stays open for another account.
    status = 410 if problem and juror else (404 if problem else 200)
    if request.method == "POST" and not problem:
        action = request.POST.get("action")
        if action == "decline":
            services.invitation_decline(
                token=token, user=request.user if request.user.is_authenticated else None
            )
            messages.success(
                request, _("You have declined the invitation. Thank you for letting us know.")
            )
            return redirect("awards:home")
        if action == "accept":
            if not request.user.is_authenticated:
                return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
            try:
                services.invitation_accept(token=token, user=request.user)
            except services.JudgingError as error:
                problem, status = error.message, error.status
            else:
                messages.success(
                    request,
                    _("Welcome to the jury of the %(year)s edition.")
                    % {"year": juror.cycle.festival_year},
                )
                return redirect("judging:home")
    return render(
        request,
        "judging/invitation.html",
        {"juror": juror, "problem": problem, "next": request.path},
        status=status,
    )


@juror_required
def ties(request: HttpRequest, year: int) -> HttpResponse:
    juror = get_object_or_404(_memberships(request), cycle__festival_year=year)
    if request.method == "POST":
        services.juror_declare_ties(juror=juror, by=request.user, ties=request.POST.get("ties", ""))
        messages.success(
            request,
            _(
                "Saved. Entries by the people and organizations you listed will not be given to you."
            ),
        )
        return redirect("judging:home")
    return render(request, "judging/ties.html", {"juror": juror})


@juror_required
@require_GET
def queue(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = get_object_or_404(
        Round.objects.filter(cycle__jurors__in=_memberships(request)).distinct(), pk=round_id
    )
    rows = selectors.juror_queue(request.user, round_)
    # One reverse() for the whole queue: the links differ only in the assignment's id.
    placeholder = uuid.UUID(int=0)
    link = reverse("judging:score", args=[placeholder])
    for row in rows:
        row["url"] = link.replace(str(placeholder), str(row["public_id"]))
    show = request.GET.get("show", "todo")
    done = [r for r in rows if r["card"] == Scorecard.Status.SUBMITTED]
    shown = {
        "todo": [r for r in rows if r["card"] != Scorecard.Status.SUBMITTED],
        "done": done,
    }.get(show, rows)
    return render(
        request,
        "judging/queue.html",
        {
            "round": round_,
            "state": round_.current_state,
            "rows": shown,
            "total": len(rows),
            "scored": len(done),
            "todo": len(rows) - len(done),
            "resume": next((r for r in rows if r["card"] != Scorecard.Status.SUBMITTED), None),
            "show": show if show in ("todo", "done") else "all",
            "lang": reading_language(),
        },
    )


def _visible(request: HttpRequest, assignment_id):
    try:
        return (
            selectors.visible_assignments(request.user)
            .select_related("round", "juror")
            .get(public_id=assignment_id)
        )
    except (ValidationError, Assignment.DoesNotExist):
        raise Http404 from None


def _score_context(request, assignment, errors=None, posted=None) -> dict:
    round_ = assignment.round
    queue_rows = selectors.juror_queue(request.user, round_)
    ids = [str(r["public_id"]) for r in queue_rows]
    here = ids.index(str(assignment.public_id))
    card = (
        Scorecard.objects.filter(round=round_, juror=assignment.juror, entry_id=assignment.entry_id)
        .prefetch_related("scores")
        .first()
    )
    # "7.5", not "7.50": the value goes back into a text field the juror edits.
    stored = {s.criterion_id: f"{s.value.normalize():f}" for s in card.scores.all()} if card else {}
    criteria = list(round_.criteria.all())
    for criterion in criteria:
        key = str(criterion.pk)
        criterion.value = (posted or {}).get(key, stored.get(criterion.pk, ""))
        criterion.error = (errors or {}).get(key)
    lang = reading_language()
    entry = selectors.blind_entry(assignment.entry_id)
    other = other_language(lang)
    files = selectors.blind_files(assignment.entry_id)
    return {
        "assignment": assignment,
        "round": round_,
        "number": assignment.number,
        "position": here + 1,
        "total": len(ids),
        "previous": queue_rows[here - 1]["public_id"] if here > 0 else None,
        "next": queue_rows[here + 1]["public_id"] if here + 1 < len(ids) else None,
        "entry": entry,
        "texts": _texts(entry, lang),
        "other_texts": _texts(entry, other),
        "other_lang": other,
        "images": [f for f in files if f["prepared"] and f["kind"] == EntryAsset.Kind.IMAGE],
        "pdfs": [f for f in files if f["prepared"] and f["kind"] == EntryAsset.Kind.PDF],
        "preparing": sum(not f["prepared"] for f in files),
        "criteria": criteria,
        "card": card,
        "comment": (posted or {}).get("comment", card.comment if card else ""),
        "form_error": (errors or {}).get("__all__"),
        "scale_values": _scale_values(round_),
        # For the keyboard's arrows (data attributes, a decimal point) and for reading.
        "scale": {
            name: f"{getattr(round_, f'scale_{name}').normalize():f}"
            for name in ("min", "max", "step")
        },
        "scale_text": round_.scale_text(),
    }


def _texts(entry: dict, lang: str) -> dict:
    """The entry's texts in one language (None when the creator did not write that one)."""
    texts = {
        name: entry[f"{name}_{lang}"] for name in ("title", "summary", "statement", "heritage")
    }
    return texts if any(texts.values()) else None


def _scale_values(round_: Round) -> list[str]:
    values, value = [], round_.scale_min
    while value <= round_.scale_max and len(values) < 201:
        values.append(f"{value.normalize():f}")
        value += round_.scale_step
    return values


def _posted_values(request: HttpRequest, round_: Round) -> dict[str, str]:
    return {
        str(criterion_id): request.POST[f"score-{criterion_id}"]
        for criterion_id in round_.criteria.values_list("pk", flat=True)
        if f"score-{criterion_id}" in request.POST
    }


@juror_required
def score(request: HttpRequest, assignment_id) -> HttpResponse:
    assignment = _visible(request, assignment_id)
    if request.method == "POST":  # without JavaScript: the form posts here
        values = _posted_values(request, assignment.round)
        submit = "submit" in request.POST
        try:
            result = services.scorecard_save(
                assignment=assignment,
                user=request.user,
                values=values,
                comment=request.POST.get("comment"),
                submit=submit,
            )
        except services.JudgingError as error:
            messages.error(request, error.message)
            return redirect("judging:round", round_id=assignment.round_id)
        if not result.errors:
            messages.success(request, _("Scores submitted.") if submit else _("Saved."))
            following = as_uuid(request.POST.get("next"))
            if submit and following:
                return redirect("judging:score", assignment_id=following)
            return redirect("judging:score", assignment_id=assignment.public_id)
        context = _score_context(
            request,
            assignment,
            errors=result.errors,
            posted={**values, "comment": request.POST.get("comment", "")},
        )
        return render(request, "judging/score.html", context, status=422)
    return render(request, "judging/score.html", _score_context(request, assignment))


@juror_required
@require_POST
def autosave(request: HttpRequest, assignment_id) -> JsonResponse:
    try:
        assignment = _visible(request, assignment_id)
    except Http404:
        # In JSON, so that the open page says why instead of retrying as if offline: the
        # round closed, a conflict was confirmed or the entry left while the page was open.
        return JsonResponse(
            {
                "error": _(
                    "This entry can no longer be scored: the round is closed or the entry left it."
                )
            },
            status=404,
        )
    try:
        result = services.scorecard_save(
            assignment=assignment,
            user=request.user,
            values=_posted_values(request, assignment.round),
            comment=request.POST.get("comment"),
            submit=request.POST.get("submit") == "1",
        )
    except services.JudgingError as error:
        return JsonResponse({"error": error.message}, status=error.status)
    return JsonResponse(
        {
            "saved_at": timezone.localtime().strftime("%H:%M:%S"),
            "status": result.scorecard.status,
            "status_label": result.scorecard.get_status_display(),
            "errors": result.errors,
        },
        status=422 if result.errors else 200,
    )


@juror_required
@require_POST
def recuse(request: HttpRequest, assignment_id) -> HttpResponse:
    assignment = _visible(request, assignment_id)
    rows = selectors.juror_queue(request.user, assignment.round)
    ids = [r["public_id"] for r in rows]
    here = ids.index(assignment.public_id)
    following = ids[here + 1] if here + 1 < len(ids) else None
    try:
        services.assignment_recuse(
            assignment=assignment, user=request.user, reason=request.POST.get("reason", "")
        )
    except services.JudgingError as error:
        messages.error(request, error.message)
        return redirect("judging:round", round_id=assignment.round_id)
    messages.success(
        request,
        _(
            "You have stepped aside from this entry; another juror will score it. Thank you for saying so."
        ),
    )
    if following:
        return redirect("judging:score", assignment_id=following)
    return redirect("judging:round", round_id=assignment.round_id)


JURY_VARIANTS = {"jury": "jury_key", "web": "web_key"}


@juror_required
@require_GET
def jury_file(request: HttpRequest, assignment_id, asset_id, variant: str) -> HttpResponse:
    """Only ever the metadata-stripped copies, signed under a neutral name, for a juror the
    one visibility function allows; never the original upload."""
    assignment = _visible(request, assignment_id)
    if variant not in JURY_VARIANTS:
        raise Http404
    try:
        asset = EntryAsset.objects.ready().get(entry_id=assignment.entry_id, public_id=asset_id)
    except (EntryAsset.DoesNotExist, ValidationError):
        raise Http404 from None
    key = getattr(asset, JURY_VARIANTS[variant]) if asset.kind == "image" else asset.jury_key
    if not key:
        response = render(request, "judging/file_pending.html", status=503)
        response["Retry-After"] = "30"
        return response
    pdf = asset.kind == EntryAsset.Kind.PDF
    try:
        name = f"entry-{assignment.number}-{asset.position}"
        url = storage.signed_url(
            key=key,
            filename=f"{name}.{'pdf' if pdf else 'jpg'}",
            content_type="application/pdf" if pdf else "image/jpeg",
            attachment=pdf or request.GET.get("download") == "1",
            local_ref=f"{asset.public_id}/{'jury' if pdf else variant}/{name}",
        )
    except storage.StorageUnavailable:
        return HttpResponse(
            _("The file store is not answering right now; try again in a minute."), status=503
        )
    response = redirect(url)
    response["Cache-Control"] = "private, no-store"
    return response


@creator_required
def creator_conflicts(request: HttpRequest, entry_id) -> HttpResponse:
    """A creator names jurors of the announced jury they are connected to."""
    try:
        entry = Entry.objects.owned_by(request.user).select_related("cycle").get(public_id=entry_id)
    except (Entry.DoesNotExist, ValidationError):
        raise Http404 from None
    jury = list(Juror.objects.listed().filter(cycle=entry.cycle).order_by("name"))
    declared = set(
        Conflict.objects.filter(
            juror__cycle=entry.cycle, creator=request.user, source=Conflict.Source.CREATOR
        ).values_list("juror_id", flat=True)
    )
    if request.method == "POST":
        chosen = [j for j in jury if str(j.public_id) in request.POST.getlist("jurors")]
        services.creator_declare_conflicts(
            owner=request.user, cycle=entry.cycle, jurors=chosen, by=request.user
        )
        messages.success(
            request,
            _(
                "Thank you. The jurors you ticked will not judge any of your entries in this edition."
            ),
        )
        return redirect(entry)
    for juror in jury:
        juror.declared = juror.pk in declared
    return render(request, "judging/creator_conflicts.html", {"entry": entry, "jury": jury})


# The chair of the jury ---------------------------------------------------------------------


def _chair_of(request: HttpRequest, cycle_id: int) -> Juror:
    """The person's chair membership of that edition, or 404: the chair leads the jury's
    deliberation, blind like every juror."""
    juror = _memberships(request).filter(cycle_id=cycle_id, role=Juror.Role.CHAIR).first()
    if juror is None:
        raise Http404
    return juror


def _blind_rows(table) -> list[dict]:
    """The standings as the chair sees them: numbers, titles and figures, never a reference
    code or a creator (the standings carry the code for organizers; it is dropped here)."""
    numbers = {pk: n for n, pk in enumerate(sorted(s.entry_id for s in table.entries), start=1)}
    return [
        {
            "number": numbers[s.entry_id],
            "entry_id": s.entry_id,
            "title": s.title,
            "category": s.category_code,
            "rank": s.rank,
            "mean": s.mean,
            "normalised": s.normalised,
            "median": s.median,
            "sd": s.sd,
            "low": s.low,
            "high": s.high,
            "count": s.count,
            "missing": s.missing,
            "tied": s.tied,
            "disagreement": s.disagreement,
        }
        for s in table.entries
    ]


@juror_required
@require_GET
def chair_standings(request: HttpRequest, round_id: int) -> HttpResponse:

    round_ = get_object_or_404(Round.objects.select_related("cycle"), pk=round_id)
    _chair_of(request, round_.cycle_id)
    table = round_standings(round_)
    return render(
        request,
        "judging/chair_standings.html",
        {
            "round": round_,
            "rows": _blind_rows(table),
            "table": table,
            "computed_at": timezone.now(),
        },
    )


@juror_required
def chair_decisions(request: HttpRequest, year: int) -> HttpResponse:
    """The chair records the jury's decisions on the final round (organizers can too)."""
    membership = _memberships(request).filter(cycle__festival_year=year).first()
    if membership is None:
        raise Http404
    _chair_of(request, membership.cycle_id)
    cycle = membership.cycle
    last = results.final_round(cycle)
    if request.method == "POST" and last is not None:
        try:
            if request.POST.get("action") == "remove":
                decision = Decision.objects.select_related("cycle", "entry").get(
                    cycle=cycle, pk=request.POST.get("decision") or 0
                )
                results.decision_remove(decision=decision, by=request.user)
                messages.success(request, _("Decision removed."))
            else:
                entry, prize = decision_choice(
                    request.POST,
                    cycle=cycle,
                    entries=Entry.objects.filter(round_entries__round=last),
                )
                results.decision_add(
                    cycle=cycle,
                    entry=entry,
                    prize=prize,
                    by=request.user,
                    citation_vi=request.POST.get("citation_vi", ""),
                    citation_en=request.POST.get("citation_en", ""),
                )
                messages.success(request, _("Decision recorded."))
        except (Entry.DoesNotExist, Prize.DoesNotExist, Decision.DoesNotExist, ValueError):
            messages.error(
                request, _("Choose an entry of the final round and a prize of this edition.")
            )
        except services.JudgingError as error:
            messages.error(request, error.message)
        return redirect("judging:chair_decisions", year=year)
    rows = _blind_rows(round_standings(last)) if last else []
    numbers = {row["entry_id"]: row["number"] for row in rows}
    lang = reading_language()
    other = other_language(lang)
    decisions = [
        {
            "pk": d["pk"],
            "number": numbers.get(d["entry_id"]),
            "title": d[f"entry__title_{lang}"] or d[f"entry__title_{other}"],
            "award": d[f"prize__name_{lang}"] or d[f"prize__name_{other}"],
            "citation": d[f"citation_{lang}"] or d[f"citation_{other}"],
        }
        # The same projection as everywhere a juror looks: titles, never who made the work.
        for d in Decision.objects.filter(cycle=cycle).values(
            "pk",
            "entry_id",
            "entry__title_vi",
            "entry__title_en",
            "prize__name_vi",
            "prize__name_en",
            "citation_vi",
            "citation_en",
        )
    ]
    return render(
        request,
        "judging/chair_decisions.html",
        {
            "cycle": cycle,
            "final_round": last,
            "rows": sorted(rows, key=lambda r: r["number"]),
            "decisions": decisions,
            "prizes": Prize.objects.filter(cycle=cycle).order_by("position"),
            "frozen": ResultsSnapshot.objects.live().filter(cycle=cycle).exists(),
        },
    )

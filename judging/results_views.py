"""Organizers' side of the results: standings, advancement, decisions, freeze and publish."""

from __future__ import annotations

import math

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awards.actions import Action
from awards.models import AwardCycle, Prize
from awards.roles import organizer_required
from awards.services import audit_record
from judging import results
from judging.forms import decision_choice
from judging.models import Decision, ResultsSnapshot, Round, RoundEntry, scale_number
from judging.services import JudgingError
from judging.standings import juror_distributions, round_standings
from submissions.models import Entry

CHART_WIDTH = 320
MAX_DOTS = 400


def _x(value: float, low: float, high: float) -> float:
    return round((value - low) / (high - low) * CHART_WIDTH, 1) if high > low else 0.0


def calibration(standings) -> list[dict]:
    """Per juror: their mean and spread against the panel's, drawn on the round's scale."""
    low, high = float(standings.round.scale_min), float(standings.round.scale_max)
    distributions = juror_distributions(standings.round)
    rows = []
    for stats in sorted(standings.jurors.values(), key=lambda s: s.name):
        # One dot per place on the chart; past MAX_DOTS, an even sample across the range.
        dots = sorted({_x(t, low, high) for t in distributions.get(stats.juror_id, [])})
        dots = dots[:: math.ceil(len(dots) / MAX_DOTS)] if len(dots) > MAX_DOTS else dots
        mean, sd = stats.mean or 0.0, stats.sd or 0.0
        lean = None
        if standings.panel_mean is not None and standings.panel_sd:
            difference = (mean - standings.panel_mean) / standings.panel_sd
            lean = "lenient" if difference > 0.5 else "severe" if difference < -0.5 else None
        rows.append(
            {
                "stats": stats,
                "lean": lean,
                "mean_x": _x(mean, low, high),
                "from_x": _x(max(low, mean - sd), low, high),
                "band": round(
                    _x(min(high, mean + sd), low, high) - _x(max(low, mean - sd), low, high), 1
                ),
                "dots": dots,
            }
        )
    return rows


@organizer_required
def standings(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = get_object_or_404(Round.objects.select_related("cycle"), pk=round_id)
    if request.method == "POST" and request.POST.get("rank_by") in ("raw", "normalised"):
        round_.rank_by = request.POST["rank_by"]
        round_.save(update_fields=["rank_by"])
        audit_record(
            actor=request.user, action=Action.ROUND_RANKING, obj=round_, rank_by=round_.rank_by
        )
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    categories = list(round_.categories.order_by("position", "code"))
    code = request.GET.get("category")
    category = next((c for c in categories if c.code == code), None)
    table = round_standings(round_, category_id=category.pk if category else None)
    following = Round.objects.filter(cycle=round_.cycle, number=round_.number + 1).first()
    low, high = float(round_.scale_min), float(round_.scale_max)
    return render(
        request,
        "judging/results/standings.html",
        {
            "round": round_,
            "cycle": round_.cycle,
            "categories": categories,
            "category": category,
            "table": table,
            "calibration": calibration(table),
            "panel_x": _x(table.panel_mean, low, high) if table.panel_mean is not None else None,
            "chart_width": CHART_WIDTH,
            # The chart's ends, named in its column's header.
            "scale_min": scale_number(round_.scale_min),
            "scale_max": scale_number(round_.scale_max),
            "following": following,
            "computed_at": timezone.now(),
        },
    )


@organizer_required
def advance(request: HttpRequest, round_id: int) -> HttpResponse:
    """Choose by a rule (top N per category, above a cut) or by hand; confirm; one act."""
    round_ = get_object_or_404(Round.objects.select_related("cycle"), pk=round_id)
    if request.method != "POST":
        return redirect("judging:standings", round_id=round_id)
    table = round_standings(round_)
    mode = request.POST.get("mode", "top")
    try:
        top = int(request.POST.get("top") or 0)
        cut = float(request.POST["cut"].replace(",", ".")) if request.POST.get("cut") else None
    except ValueError:
        messages.error(request, _("Give a whole number of entries, or a number for the cut."))
        return redirect("judging:standings", round_id=round_id)
    picked = {int(pk) for pk in request.POST.getlist("entry") if pk.isdigit()}
    if "confirm" in request.POST or mode == "hand":
        # Confirming saves exactly the list the organizer reviewed.
        chosen = [s for s in table.entries if s.entry_id in picked]
    else:
        chosen = results.select_for_advance(table, mode=mode, top=top, cut=cut)
    if mode == "top":
        rule = _("top %(n)d per category") % {"n": top}
    elif mode == "cut":
        rule = _("ranking value of at least %(cut)s") % {"cut": cut}
    else:
        rule = _("picked by hand")
    if "confirm" in request.POST:
        try:
            following = results.round_advance(
                round_=round_,
                entry_ids=[s.entry_id for s in chosen],
                by=request.user,
                rule=rule,
            )
        except JudgingError as error:
            messages.error(request, error.message)
            return redirect("judging:standings", round_id=round_id)
        messages.success(
            request,
            ngettext(
                "%(n)d entry advances to %(round)s; its list is frozen.",
                "%(n)d entries advance to %(round)s; its list is frozen.",
                len(chosen),
            )
            % {"n": len(chosen), "round": following.name},
        )
        return redirect(following.get_organizer_url())
    tied_at_boundary = [s for s in chosen if s.tied]
    return render(
        request,
        "judging/results/advance_confirm.html",
        {
            "round": round_,
            "cycle": round_.cycle,
            "chosen": chosen,
            "rule": rule,
            "mode": mode,
            "top": top,
            "cut": request.POST.get("cut", ""),
            "tied": tied_at_boundary,
            "following": Round.objects.filter(cycle=round_.cycle, number=round_.number + 1).first(),
        },
    )


@organizer_required
def decisions(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_object_or_404(AwardCycle, festival_year=year)
    last = results.final_round(cycle)
    if request.method == "POST":
        _decisions_post(request, cycle)
        return redirect("judging:decisions", year=year)
    finalists = list(
        Entry.objects.filter(round_entries__round=last)
        .select_related("category", "owner__creator_profile")
        .order_by("category__position", "reference_code")
        if last
        else []
    )
    table = round_standings(last) if last else None
    by_entry = {s.entry_id: s for s in table.entries} if table else {}
    for entry in finalists:
        entry.standing = by_entry.get(entry.pk)
    live = ResultsSnapshot.objects.live().filter(cycle=cycle).first()
    return render(
        request,
        "judging/results/decisions.html",
        {
            "cycle": cycle,
            "final_round": last,
            "finalists": finalists,
            "decisions": Decision.objects.filter(cycle=cycle).select_related(
                "entry__category", "prize"
            ),
            "prizes": Prize.objects.filter(cycle=cycle).order_by("position"),
            "snapshot": live,
            "warnings": results.unawarded_places(cycle),
            "can_publish": live is not None
            and live.published_at is None
            and timezone.now() >= cycle.results_publish_at,
            "shortlist_size": RoundEntry.objects.filter(round=last).count() if last else 0,
        },
    )


def _decisions_post(request: HttpRequest, cycle: AwardCycle) -> None:
    action = request.POST.get("action")
    try:
        if action == "add":
            entry, prize = decision_choice(request.POST, cycle=cycle, entries=Entry.objects)
            results.decision_add(
                cycle=cycle,
                entry=entry,
                prize=prize,
                by=request.user,
                citation_vi=request.POST.get("citation_vi", ""),
                citation_en=request.POST.get("citation_en", ""),
            )
            messages.success(request, _("Decision recorded."))
        elif action in ("update", "remove"):
            decision = Decision.objects.select_related("cycle", "entry").get(
                cycle=cycle, pk=request.POST.get("decision") or 0
            )
            if action == "remove":
                results.decision_remove(decision=decision, by=request.user)
                messages.success(request, _("Decision removed."))
            else:
                results.decision_update(
                    decision=decision,
                    by=request.user,
                    citation_vi=request.POST.get("citation_vi", ""),
                    citation_en=request.POST.get("citation_en", ""),
                )
                messages.success(request, _("Citation saved."))
        elif action == "freeze":
            snapshot, warnings = results.results_freeze(cycle=cycle, by=request.user)
            messages.success(
                request,
                _(
                    "Results frozen (version %(v)d, checksum %(sum)s…). They will be published on %(when)s, Hanoi time."
                )
                % {
                    "v": snapshot.version,
                    "sum": snapshot.checksum[:12],
                    "when": timezone.localtime(cycle.results_publish_at).strftime("%Y-%m-%d %H:%M"),
                },
            )
            for warning in warnings:
                messages.warning(request, warning)
        elif action == "unfreeze":
            results.results_unfreeze(
                cycle=cycle, by=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Results unfrozen: decisions can change again."))
        elif action == "publish":
            if request.POST.get("confirm_year") != str(cycle.festival_year):
                raise JudgingError(
                    _("Type the edition's year (%(year)s) to confirm the publication.")
                    % {"year": cycle.festival_year}
                )
            results.results_publish(cycle=cycle, by=request.user)
            messages.success(request, _("The results are published."))
    except (
        Entry.DoesNotExist,
        Prize.DoesNotExist,
        Decision.DoesNotExist,
        ValidationError,
        ValueError,  # an id that is not a number
    ):
        messages.error(
            request, _("Choose an entry of the final round and a prize of this edition.")
        )
    except JudgingError as error:
        messages.error(request, error.message)

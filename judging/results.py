"""From standings to published winners: advancement, decisions, the frozen snapshot, and its
publication at the festival — once, at its time, never before.

Until a snapshot is published nothing here is readable by the public: every public surface asks
`published_snapshot(cycle)`, which is None before `results_publish_at` whatever else exists.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Case, Q, When
from django.tasks import default_task_backend
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awards.actions import Action
from awards.models import AwardCycle, Prize
from awards.services import audit_record
from judging.models import (
    Certificate,
    Decision,
    Juror,
    ResultNotice,
    ResultsSnapshot,
    Round,
    RoundEntry,
)
from judging.selectors import round_eligible_entries
from judging.services import JudgingError
from submissions.models import CreatorProfile, Entry, EntryAsset

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1


def _eligible(entry: Entry) -> bool:
    return (
        entry.status == Entry.Status.SUBMITTED and entry.screening != Entry.Screening.DISQUALIFIED
    )


# Advancement ------------------------------------------------------------------------------


@transaction.atomic
def round_advance(
    *, round_: Round, entry_ids: list[int], by, rule: str, now: datetime | None = None
) -> Round:
    """Write the next round's entry list, once: one audited act, and the list is frozen."""
    now = now or timezone.now()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    following = (
        Round.objects.select_for_update()
        .filter(cycle=round_.cycle, number=round_.number + 1)
        .first()
    )
    if following is None:
        raise JudgingError(
            _("Set up round %(n)d first (in the admin); then advance entries into it.")
            % {"n": round_.number + 1},
            status=409,
        )
    if following.entries_frozen_at:
        raise JudgingError(
            _("The entries of %(round)s were chosen on %(when)s and are frozen.")
            % {
                "round": following.name,
                "when": timezone.localtime(following.entries_frozen_at).strftime("%Y-%m-%d %H:%M"),
            },
            status=409,
        )
    if round_.state(now) != Round.State.CLOSED:
        raise JudgingError(
            _("Close %(round)s before advancing entries: its scores can still change.")
            % {"round": round_.name},
            status=409,
        )
    if not entry_ids:
        raise JudgingError(_("Choose at least one entry to advance."))
    judged = set(RoundEntry.objects.filter(round=round_).values_list("entry_id", flat=True))
    entries = list(Entry.objects.filter(pk__in=entry_ids).select_related("category"))
    outside = [e for e in entries if e.pk not in judged]
    ineligible = [e for e in entries if not _eligible(e)]
    if outside or ineligible or len(entries) != len(set(entry_ids)):
        raise JudgingError(
            _("Only entries judged in this round, and still eligible, can advance: %(codes)s.")
            % {"codes": ", ".join(e.reference_code or "?" for e in outside + ineligible) or "?"}
        )
    RoundEntry.objects.bulk_create(
        [
            RoundEntry(round=following, entry=e, source=RoundEntry.Source.ADVANCED, added_at=now)
            for e in entries
        ]
    )
    following.entries_frozen_at = now
    following.save(update_fields=["entries_frozen_at"])
    audit_record(
        actor=by,
        action=Action.ROUND_ADVANCE,
        obj=following,
        source_round=round_.pk,
        rule=rule,
        entries=sorted(e.reference_code for e in entries),
    )
    return following


def select_for_advance(standings, *, mode: str, top: int = 0, cut: float | None = None) -> list:
    """The entries a rule picks from ranked standings. Top N per category keeps every entry
    tied with the Nth: a tie is the organizers' call, never broken by the sort order."""
    ranked = [s for s in standings.entries if s.rank is not None]
    if mode == "cut" and cut is not None:

        def value(s):
            return s.normalised if standings.rank_by == "normalised" else s.mean

        return [s for s in ranked if value(s) is not None and value(s) >= cut]
    if mode == "top" and top > 0:
        chosen = []
        by_category: dict[str, list] = {}
        for standing in ranked:
            by_category.setdefault(standing.category_code, []).append(standing)
        for rows in by_category.values():
            # Ranks were given over the whole list; rank again within the category.
            rows.sort(key=lambda s: s.rank)
            if len(rows) <= top:
                chosen += rows
                continue
            boundary = rows[top - 1].rank
            chosen += [s for s in rows if s.rank <= boundary]
        return chosen
    return []


# Decisions --------------------------------------------------------------------------------


def final_round(cycle: AwardCycle) -> Round | None:
    return Round.objects.filter(cycle=cycle).order_by("-number").first()


def _ensure_open_for_decisions(cycle: AwardCycle) -> None:
    live = ResultsSnapshot.objects.live().filter(cycle=cycle).first()
    if live and live.published_at:
        raise JudgingError(
            _("The results are published: decisions can no longer change."), status=409
        )
    if live:
        raise JudgingError(
            _("The results are frozen. Unfreeze them (this is recorded) to change a decision."),
            status=409,
        )


@transaction.atomic
def decision_add(
    *,
    cycle: AwardCycle,
    entry: Entry,
    by,
    prize: Prize | None = None,
    citation_vi: str = "",
    citation_en: str = "",
) -> Decision:
    """Give a prize (in its next free place) or, without a prize, an honourable mention."""
    AwardCycle.objects.select_for_update().get(pk=cycle.pk)  # freeze and decide: one at a time
    _ensure_open_for_decisions(cycle)
    entry = Entry.objects.select_related("category").get(pk=entry.pk)
    if entry.cycle_id != cycle.pk:
        raise JudgingError(_("This entry belongs to another edition."))
    if not _eligible(entry):
        raise JudgingError(
            _("%(code)s is withdrawn or disqualified: it cannot receive an award.")
            % {"code": entry.reference_code},
            status=409,
        )
    last = final_round(cycle)
    if last is None or not RoundEntry.objects.filter(round=last, entry=entry).exists():
        raise JudgingError(
            _("Only entries of the final round can receive an award; %(code)s is not in it.")
            % {"code": entry.reference_code},
            status=409,
        )
    decision = Decision(
        cycle=cycle,
        entry=entry,
        citation_vi=citation_vi.strip(),
        citation_en=citation_en.strip(),
        decided_by=by,
    )
    if prize is None:
        decision.kind = Decision.Kind.MENTION
    else:
        # The prize's row lock makes a second organizer wait, then see the place taken.
        prize = Prize.objects.select_for_update().get(pk=prize.pk, cycle=cycle)
        taken = set(Decision.objects.filter(prize=prize).values_list("place", flat=True))
        free = [p for p in range(1, prize.quantity + 1) if p not in taken]
        if not free:
            raise JudgingError(
                ngettext(
                    "“%(prize)s” has already been given. Remove that decision to give it to another entry.",
                    "All %(n)d places of “%(prize)s” are given. Remove one to give it to another entry.",
                    prize.quantity,
                )
                % {"n": prize.quantity, "prize": prize.name},
                status=409,
            )
        decision.kind, decision.prize, decision.place = Decision.Kind.PRIZE, prize, free[0]
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError:
        raise JudgingError(
            _("%(code)s already has this award.") % {"code": entry.reference_code}, status=409
        ) from None
    audit_record(
        actor=by,
        action=Action.DECISION_ADD,
        obj=cycle,
        entry=entry.reference_code,
        prize=prize.pk if prize else None,
        place=decision.place,
    )
    return decision


@transaction.atomic
def decision_update(*, decision: Decision, by, citation_vi: str, citation_en: str) -> Decision:
    AwardCycle.objects.select_for_update().get(pk=decision.cycle_id)
    _ensure_open_for_decisions(decision.cycle)
    decision.citation_vi, decision.citation_en = citation_vi.strip(), citation_en.strip()
    decision.updated_at = timezone.now()
    decision.save(update_fields=["citation_vi", "citation_en", "updated_at"])
    audit_record(actor=by, action=Action.DECISION_UPDATE, obj=decision.cycle, decision=decision.pk)
    return decision


@transaction.atomic
def decision_remove(*, decision: Decision, by) -> None:
    AwardCycle.objects.select_for_update().get(pk=decision.cycle_id)
    _ensure_open_for_decisions(decision.cycle)
    audit_record(
        actor=by,
        action=Action.DECISION_REMOVE,
        obj=decision.cycle,
        entry=decision.entry.reference_code,
        prize=decision.prize_id,
        place=decision.place,
    )
    decision.delete()


# The snapshot -----------------------------------------------------------------------------


def _both(obj, name: str) -> dict:
    return {"vi": getattr(obj, f"{name}_vi"), "en": getattr(obj, f"{name}_en")}


def _entry_data(entry: Entry, profile: CreatorProfile | None, *, credits: bool) -> dict:
    images = [
        str(pk)
        for pk in EntryAsset.objects.filter(entry=entry)
        .ready_images()
        .exclude(web_key="")
        .order_by("position", "pk")
        .values_list("public_id", flat=True)
    ]
    return {
        "id": str(entry.public_id),
        "reference_code": entry.reference_code,
        "slug": entry.reference_code.lower(),
        "category": {"code": entry.category.code, "name": _both(entry.category, "name")},
        "title": _both(entry, "title"),
        "summary": _both(entry, "summary"),
        "creator": profile.display_name if profile else "",
        "credits": list(entry.credits) if credits else [],
        "images": images,
        "video_url": entry.video_url if credits else "",
    }


def snapshot_data(cycle: AwardCycle, decisions: list[Decision], codes: dict) -> dict:
    """What the public will read, built once at freezing from the decisions and the entries.
    Winners get their credits; the shortlist gets titles and public names only."""
    profiles = {
        p.user_id: p
        for p in CreatorProfile.objects.filter(
            user__in={d.entry.owner_id for d in decisions}
            | set(_shortlist(cycle).values_list("owner_id", flat=True))
        )
    }
    awards = []
    for decision in decisions:
        entry = decision.entry
        key = f"prize-{decision.prize_id}" if decision.prize_id else "mention"
        awards.append(
            {
                "key": key,
                "kind": decision.kind,
                "prize": {
                    "id": decision.prize_id,
                    "name": _both(decision.prize, "name"),
                    "position": decision.prize.position,
                }
                if decision.prize
                else None,
                "place": decision.place,
                "entry": _entry_data(entry, profiles.get(entry.owner_id), credits=True),
                "citation": _both(decision, "citation"),
                "certificate": codes[(entry.pk, key)],
            }
        )
    awarded = {d.entry_id for d in decisions}
    shortlist = [
        {"entry": _entry_data(e, profiles.get(e.owner_id), credits=False)}
        for e in _shortlist(cycle)
        .select_related("category")
        .order_by("category__position", "reference_code")
        if e.pk not in awarded
    ]
    jury = [
        {
            "name": juror.name,
            "role": juror.role,
            "title": _both(juror, "title"),
            "bio": _both(juror, "bio"),
        }
        for juror in Juror.objects.listed()
        .filter(cycle=cycle)
        .order_by(Case(When(role=Juror.Role.CHAIR, then=0), default=1), "name", "pk")
    ]  # the chair first ("-role" would sort "juror" before "chair")
    return {
        "schema": SCHEMA_VERSION,
        "edition": {
            "year": cycle.festival_year,
            "code": cycle.code,
            "theme": _both(cycle, "theme"),
            "festival_starts_at": cycle.festival_starts_at.isoformat(),
            "results_publish_at": cycle.results_publish_at.isoformat(),
        },
        "awards": awards,
        "shortlist": shortlist,
        "jury": jury,
    }


def _shortlist(cycle: AwardCycle):
    """Entries that reached a later round than the first, still eligible."""
    return Entry.objects.filter(
        pk__in=RoundEntry.objects.filter(round__cycle=cycle, round__number__gt=1).values("entry"),
        status=Entry.Status.SUBMITTED,
    ).exclude(screening=Entry.Screening.DISQUALIFIED)


def checksum(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _new_code() -> str:
    # Unambiguous letters and digits, grouped for reading aloud: "K7QM-2XWD-9PHT".
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@transaction.atomic
def results_freeze(*, cycle: AwardCycle, by, now: datetime | None = None):
    """Decisions become the snapshot the public will read at the publish time.

    A prize with places left unawarded is allowed (a jury may withhold a prize): the
    returned warnings name them, and the organizer confirmed them on the page before.
    """
    now = now or timezone.now()
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    _ensure_open_for_decisions(cycle)
    decisions = list(
        Decision.objects.filter(cycle=cycle)
        .select_related("entry__category", "prize")
        .order_by("kind", "prize__position", "place", "entry__reference_code")
    )
    if not decisions:
        raise JudgingError(_("There is no decision to freeze yet."), status=409)
    bad = [d.entry.reference_code for d in decisions if not _eligible(d.entry)]
    if bad:
        raise JudgingError(
            _("Withdrawn or disqualified entries cannot win: %(codes)s. Remove their awards first.")
            % {"codes": ", ".join(bad)},
            status=409,
        )
    codes = {
        (d.entry_id, f"prize-{d.prize_id}" if d.prize_id else "mention"): _new_code()
        for d in decisions
    }
    data = snapshot_data(cycle, decisions, codes)
    version = (
        ResultsSnapshot.objects.filter(cycle=cycle)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    ) + 1
    snapshot = ResultsSnapshot.objects.create(
        cycle=cycle,
        version=version,
        data=data,
        checksum=checksum(data),
        frozen_at=now,
        frozen_by=by,
    )
    Certificate.objects.bulk_create(
        [
            Certificate(snapshot=snapshot, entry_id=entry_id, code=code, award_key=key)
            for (entry_id, key), code in codes.items()
        ]
    )
    audit_record(
        actor=by,
        action=Action.RESULTS_FREEZE,
        obj=cycle,
        version=version,
        checksum=snapshot.checksum,
        awards=len(decisions),
    )
    transaction.on_commit(lambda: schedule_publication(cycle))
    return snapshot, unawarded_places(cycle)


def unawarded_places(cycle: AwardCycle) -> list[str]:
    warnings = []
    for prize in Prize.objects.filter(cycle=cycle).order_by("position"):
        given = Decision.objects.filter(prize=prize).count()
        if given < prize.quantity:
            warnings.append(
                _("“%(prize)s”: %(given)d of %(n)d places awarded.")
                % {"prize": prize.name, "given": given, "n": prize.quantity}
            )
    return warnings


@transaction.atomic
def results_unfreeze(*, cycle: AwardCycle, by, reason: str) -> ResultsSnapshot:
    """Back to deciding. Recorded with its reason; a published snapshot can never be undone."""
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    snapshot = ResultsSnapshot.objects.live().filter(cycle=cycle).first()
    if snapshot is None:
        raise JudgingError(_("The results are not frozen."), status=409)
    if snapshot.published_at:
        raise JudgingError(_("Published results cannot be unfrozen."), status=409)
    if not reason.strip():
        raise JudgingError(_("Say why the results are unfrozen: it is recorded."))
    snapshot.superseded_at = timezone.now()
    snapshot.save(update_fields=["superseded_at"])
    audit_record(
        actor=by,
        action=Action.RESULTS_UNFREEZE,
        obj=cycle,
        version=snapshot.version,
        reason=reason.strip(),
    )
    return snapshot


class NotYet(JudgingError):
    pass


def results_publish(*, cycle: AwardCycle, by=None, now: datetime | None = None) -> ResultsSnapshot:
    """Publish the frozen snapshot, exactly once, never before `results_publish_at`.

    The scheduled task and an organizer's click both come here; whoever is second finds it
    published and changes nothing (no second set of emails).
    """
    now = now or timezone.now()
    with transaction.atomic():
        cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
        snapshot = ResultsSnapshot.objects.live().select_for_update().filter(cycle=cycle).first()
        if snapshot is None:
            raise JudgingError(_("Freeze the results before publishing them."), status=409)
        if snapshot.published_at:
            return snapshot
        if now < cycle.results_publish_at:
            raise NotYet(
                _("The results are under embargo until %(when)s (Hanoi time).")
                % {"when": timezone.localtime(cycle.results_publish_at).strftime("%Y-%m-%d %H:%M")},
                status=409,
            )
        snapshot.published_at = now
        snapshot.save(update_fields=["published_at"])
        cycle.results_published_at = now
        cycle.save(update_fields=["results_published_at", "updated_at"])
        _write_notices(cycle, snapshot, now)
        audit_record(
            actor=by,
            action=Action.RESULTS_PUBLISH,
            obj=cycle,
            version=snapshot.version,
            checksum=snapshot.checksum,
        )
        from judging.tasks import send_result_notices

        transaction.on_commit(lambda: send_result_notices.enqueue(cycle_id=cycle.pk))
    return snapshot


def _write_notices(cycle: AwardCycle, snapshot: ResultsSnapshot, now: datetime) -> None:
    """One notice per entry judged in round 1 and still eligible: winner, mention,
    shortlisted or not selected. Written with the publication, so they can never go early."""
    outcome: dict[int, str] = {}
    for entry_id in _shortlist(cycle).values_list("pk", flat=True):
        outcome[entry_id] = ResultNotice.Outcome.SHORTLISTED
    for entry_id, kind in Decision.objects.filter(cycle=cycle).values_list("entry_id", "kind"):
        if kind == Decision.Kind.PRIZE:
            outcome[entry_id] = ResultNotice.Outcome.WINNER
        elif outcome.get(entry_id) != ResultNotice.Outcome.WINNER:
            outcome[entry_id] = ResultNotice.Outcome.MENTION
    first = Round.objects.filter(cycle=cycle, number=1).first()
    judged = round_eligible_entries(first).values_list("pk", flat=True) if first else []
    ResultNotice.objects.bulk_create(
        [
            ResultNotice(
                cycle=cycle,
                entry_id=entry_id,
                outcome=outcome.get(entry_id, ResultNotice.Outcome.NOT_SELECTED),
                created_at=now,
            )
            for entry_id in judged
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )


def schedule_publication(cycle: AwardCycle) -> None:
    """Queue the publication for its time (django-tasks-db runs it then). Backends that
    cannot defer (the inline one used locally) rely on `manage.py publish_due_results`."""
    from judging.tasks import publish_results

    if not default_task_backend.supports_defer:
        return
    publish_results.using(run_after=cycle.results_publish_at).enqueue(cycle_id=cycle.pk)


def publish_due(now: datetime | None = None) -> list[AwardCycle]:
    """Publish every frozen snapshot whose time has come (the scheduled task's safety net)."""
    now = now or timezone.now()
    due = AwardCycle.objects.filter(
        Q(results_publish_at__lte=now),
        snapshots__superseded_at__isnull=True,
        snapshots__published_at__isnull=True,
    ).distinct()
    published = []
    for cycle in due:
        results_publish(cycle=cycle, now=now)
        published.append(cycle)
    return published


# Reads for public pages -------------------------------------------------------------------


def published_snapshot(cycle: AwardCycle, now: datetime | None = None) -> ResultsSnapshot | None:
    """The one question every public surface asks. None until the publish time has come and
    the snapshot has been published (both: a date alone never reveals anything)."""
    if not cycle.results_are_public(now):
        return None
    return ResultsSnapshot.objects.published(now).filter(cycle=cycle).first()

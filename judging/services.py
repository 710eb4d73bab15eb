"""Every change to the jury goes through here: atomic, audited, one door per state."""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from itertools import batched, groupby

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.actions import Action
from awards.models import AwardCycle, Category
from awards.roles import edition_roles, is_organizer
from awards.services import audit_record
from judging import assignment as planner
from judging import conflicts as suggestions
from judging.models import (
    Assignment,
    Conflict,
    Criterion,
    Juror,
    Round,
    RoundEntry,
    Score,
    Scorecard,
    token_digest,
)
from judging.selectors import round_eligible_entries, visible_assignments, work_left
from submissions.models import Entry

log = logging.getLogger(__name__)

INVITATION_VALID = timedelta(days=14)


class JudgingError(Exception):
    """A rule said no. The message says what happened and what to do."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


# Invitations ------------------------------------------------------------------------------


def _new_token(juror: Juror, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    juror.token_hash = token_digest(token)
    juror.token_expires_at = now + INVITATION_VALID
    return token


@transaction.atomic
def juror_invite(
    *,
    cycle: AwardCycle,
    email: str,
    name: str,
    categories: list[Category],
    by,
    role: str = Juror.Role.JUROR,
    language: str = Juror.Language.VI,
    base_url: str | None = None,
    now: datetime | None = None,
) -> tuple[Juror, str]:
    """Invite one person (again, if they declined or were revoked). Returns the juror and the
    one-time token, which exists only in the email: the database keeps its hash."""
    now = now or timezone.now()
    email = email.strip()
    name = name.strip()
    if not email or not name:
        raise JudgingError(_("Give the person's name and email address."))
    if not categories:
        raise JudgingError(_("Choose at least one category for %(name)s.") % {"name": name})
    if any(c.cycle_id != cycle.pk for c in categories):
        raise JudgingError(_("Choose categories of this edition."))
    juror = Juror.objects.select_for_update().filter(cycle=cycle, email__iexact=email).first()
    if juror and juror.state == Juror.State.ACCEPTED:
        raise JudgingError(
            _("%(email)s has already accepted and is on the jury.") % {"email": email}, status=409
        )
    juror = juror or Juror(cycle=cycle, email=email)
    juror.name, juror.role, juror.language = name, role, language
    juror.state = Juror.State.INVITED
    juror.invited_at, juror.invited_by = now, by
    juror.responded_at = juror.revoked_at = None
    token = _new_token(juror, now)
    juror.save()
    juror.categories.set(categories)
    audit_record(
        actor=by,
        action=Action.JUROR_INVITE,
        obj=juror,
        email=email,
        categories=sorted(c.code for c in categories),
        role=role,
    )
    _send_invitation_on_commit(juror, token, base_url)
    return juror, token


def _send_invitation_on_commit(juror: Juror, token: str, base_url: str | None) -> None:
    # Sent from this process rather than queued: a queued task would keep the token in the
    # task table, and the token must exist only in the email. A failure is logged and the
    # organizers' page offers "send again".
    from judging import emails

    def send():
        try:
            emails.invitation(juror, token, base_url=base_url)
        except Exception:
            log.exception("Invitation email to juror %s failed", juror.pk)

    transaction.on_commit(send)


@transaction.atomic
def juror_invite_resend(
    *, juror: Juror, by, base_url: str | None = None, now: datetime | None = None
) -> str:
    """A new link (the old one stops working), valid another 14 days."""
    now = now or timezone.now()
    juror = Juror.objects.select_for_update().get(pk=juror.pk)
    if juror.state == Juror.State.ACCEPTED:
        raise JudgingError(_("This invitation has already been accepted."), status=409)
    juror.state = Juror.State.INVITED
    juror.revoked_at = juror.responded_at = None
    juror.invited_at = now
    token = _new_token(juror, now)
    juror.save()
    audit_record(actor=by, action=Action.JUROR_INVITE, obj=juror, email=juror.email, resend=True)
    _send_invitation_on_commit(juror, token, base_url)
    return token


def invitation_for_token(token: str) -> Juror | None:
    return (
        Juror.objects.select_related("cycle")
        .prefetch_related("categories")
        .filter(token_hash=token_digest(token))
        .first()
    )


def invitation_problem(juror: Juror | None, now: datetime | None = None) -> str | None:
    """Why this invitation cannot be accepted now, in words the invitee can act on."""
    now = now or timezone.now()
    if juror is None:
        return _(
            "This invitation link is not valid. Check that you opened the whole link from the email, "
            "or ask the organizers to send it again."
        )
    if juror.state == Juror.State.ACCEPTED:
        return _(
            "This invitation has already been accepted. Sign in with the account that accepted it to reach your jury page."
        )
    if juror.state == Juror.State.REVOKED:
        return _(
            "The organizers have withdrawn this invitation. If you think this is a mistake, reply to their email."
        )
    if juror.token_expires_at and now >= juror.token_expires_at:
        return _(
            "This invitation expired on %(when)s (Hanoi time). Ask the organizers to send it again."
        ) % {"when": timezone.localtime(juror.token_expires_at).strftime("%Y-%m-%d %H:%M")}
    return None


@transaction.atomic
def invitation_accept(*, token: str, user, now: datetime | None = None) -> Juror:
    """Bind the membership to the account that follows the link, with any email, once."""
    now = now or timezone.now()
    juror = (
        Juror.objects.select_for_update()
        .select_related("cycle")
        .filter(token_hash=token_digest(token))
        .first()
    )
    if juror and juror.state == Juror.State.ACCEPTED and juror.user_id == user.pk:
        return juror  # a second click on the same link by the same person
    problem = invitation_problem(juror, now)
    if problem:
        raise JudgingError(problem, status=410)
    # The person's row is the lock both roles take: a creator starting an entry in this
    # edition and the same person accepting a jury seat cannot both succeed.
    get_user_model().objects.select_for_update().get(pk=user.pk)
    if is_organizer(user):
        raise JudgingError(
            _(
                "Organizers see who made every entry, so an organizer's account cannot judge blind. "
                "Sign in with another account to accept."
            ),
            status=403,
        )
    roles = edition_roles(user, juror.cycle)
    if "creator" in roles:
        raise JudgingError(
            _(
                "This account has an entry in the %(year)s edition: a creator cannot also be on its jury. "
                "Accept with another account only if you withdraw from the competition, and tell the organizers."
            )
            % {"year": juror.cycle.festival_year},
            status=409,
        )
    if "juror" in roles:
        raise JudgingError(
            _("This account is already on the %(year)s jury.")
            % {"year": juror.cycle.festival_year},
            status=409,
        )
    juror.user = user
    juror.state = Juror.State.ACCEPTED
    juror.responded_at = now
    juror.save(update_fields=["user", "state", "responded_at"])
    audit_record(actor=user, action=Action.JUROR_ACCEPT, obj=juror, account=user.email)
    return juror


@transaction.atomic
def invitation_decline(*, token: str, user=None, now: datetime | None = None) -> Juror:
    now = now or timezone.now()
    juror = Juror.objects.select_for_update().filter(token_hash=token_digest(token)).first()
    problem = invitation_problem(juror, now)
    if problem:
        raise JudgingError(problem, status=410)
    juror.state = Juror.State.DECLINED
    juror.responded_at = now
    juror.save(update_fields=["state", "responded_at"])
    audit_record(actor=user, action=Action.JUROR_DECLINE, obj=juror)
    return juror


@transaction.atomic
def juror_revoke(*, juror: Juror, by, now: datetime | None = None) -> Juror:
    """Off the jury: the link stops working, and assignments not yet scored go back to fill."""
    now = now or timezone.now()
    juror = Juror.objects.select_for_update().get(pk=juror.pk)
    if juror.state == Juror.State.REVOKED:
        return juror
    juror.state = Juror.State.REVOKED
    juror.revoked_at = now
    juror.save(update_fields=["state", "revoked_at"])
    released = _release(
        Assignment.objects.filter(
            juror=juror, round__closed_at__isnull=True, round__closes_at__gt=now
        ),
        by=by,
        reason="revoked",
        keep_submitted=True,
    )
    audit_record(actor=by, action=Action.JUROR_REVOKE, obj=juror, released=released)
    return juror


@transaction.atomic
def juror_update(
    *, juror: Juror, by, data: dict, categories: list[Category] | None = None
) -> Juror:
    juror = Juror.objects.select_for_update().get(pk=juror.pk)
    fields = ["name", "role", "language", "title_vi", "title_en", "bio_vi", "bio_en"]
    fields += ["organizations", "listed"]
    changed = [f for f in fields if f in data and getattr(juror, f) != data[f]]
    for name in changed:
        setattr(juror, name, data[name])
    juror.full_clean(exclude=["categories"])
    juror.save()
    if categories is not None:
        before = set(juror.categories.values_list("pk", flat=True))
        juror.categories.set(categories)
        removed = before - {c.pk for c in categories}
        if removed:
            # Assignments in categories the juror no longer judges go back to be filled.
            _release(
                Assignment.objects.filter(juror=juror, entry__category__in=removed),
                by=by,
                reason="category removed",
                keep_submitted=True,
            )
        changed.append("categories")
    audit_record(actor=by, action=Action.JUROR_UPDATE, obj=juror, fields=changed)
    return juror


# Conflicts --------------------------------------------------------------------------------


def _conflict_key(*, juror: Juror, entry: Entry | None, creator) -> dict:
    if (entry is None) == (creator is None):
        raise ValueError("A conflict is with one entry or one creator.")
    return {"juror": juror, "entry": entry} if entry else {"juror": juror, "creator": creator}


@transaction.atomic
def conflict_set(
    *,
    juror: Juror,
    by,
    source: str,
    entry: Entry | None = None,
    creator=None,
    reason: str = "",
    now: datetime | None = None,
) -> Conflict:
    """Record a conflict (a suggestion already there becomes confirmed) and take the juror off
    every assignment it touches; a submitted scorecard for it is discarded, with its values
    kept in the audit trail."""
    now = now or timezone.now()
    key = _conflict_key(juror=juror, entry=entry, creator=creator)
    conflict = Conflict.objects.select_for_update().filter(**key).first()
    if conflict is None:
        conflict = Conflict(**key, source=source, created_by=by, created_at=now)
    elif conflict.status == Conflict.Status.CONFIRMED:
        return conflict
    conflict.status = Conflict.Status.CONFIRMED
    conflict.decided_at, conflict.decided_by = now, by
    conflict.reason = (reason or conflict.reason)[:300]
    conflict.save()
    audit_record(
        actor=by,
        action=Action.CONFLICT_CONFIRM if conflict.source == "system" else Action.CONFLICT_DECLARE,
        obj=juror,
        source=conflict.source,
        entry=entry.pk if entry else None,
        creator=creator.pk if creator else None,
        reason=conflict.reason,
    )
    affected = Assignment.objects.filter(juror=juror)
    affected = affected.filter(entry=entry) if entry else affected.filter(entry__owner=creator)
    _release(affected, by=by, reason="conflict", keep_submitted=False)
    return conflict


@transaction.atomic
def conflict_dismiss(*, conflict: Conflict, by, now: datetime | None = None) -> Conflict:
    """Organizers (or the juror) decide a suggestion is not a conflict."""
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.status != Conflict.Status.SUGGESTED:
        raise JudgingError(_("Only suggestions can be dismissed."), status=409)
    conflict.status = Conflict.Status.DISMISSED
    conflict.decided_at, conflict.decided_by = now or timezone.now(), by
    conflict.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(actor=by, action=Action.CONFLICT_DISMISS, obj=conflict.juror, conflict=conflict.pk)
    return conflict


@transaction.atomic
def conflicts_suggest(*, cycle: AwardCycle, by=None, now: datetime | None = None) -> int:
    """Turn what the data says (same organization, same domain, named in credits) into
    suggestions for the pairs that have no conflict record yet. Returns how many are new."""
    now = now or timezone.now()
    found = suggestions.find(cycle)
    existing = set(
        Conflict.objects.filter(juror__cycle=cycle, creator__isnull=False).values_list(
            "juror_id", "creator_id"
        )
    )
    new = [
        Conflict(
            juror_id=juror_id,
            creator_id=creator_id,
            source=Conflict.Source.SYSTEM,
            status=Conflict.Status.SUGGESTED,
            reason=reason[:300],
            created_at=now,
        )
        for (juror_id, creator_id), reason in found.items()
        if (juror_id, creator_id) not in existing
    ]
    Conflict.objects.bulk_create(new, batch_size=1000)
    if new:
        audit_record(actor=by, action=Action.CONFLICT_SUGGEST, obj=cycle, count=len(new))
    return len(new)


@transaction.atomic
def juror_declare_ties(*, juror: Juror, by, ties: str, now: datetime | None = None) -> int:
    """The juror lists who they are connected to; every creator of the edition that matches
    becomes a confirmed conflict. The juror is not told who matched: judging stays blind."""
    juror = Juror.objects.select_for_update().get(pk=juror.pk)
    juror.declared_ties = "\n".join(line.strip() for line in ties.splitlines() if line.strip())[
        :5000
    ]
    juror.save(update_fields=["declared_ties"])
    matches = suggestions.match_ties(juror.cycle, juror.declared_ties)
    for creator in get_user_model().objects.filter(pk__in=matches):
        conflict_set(
            juror=juror,
            by=by,
            source=Conflict.Source.JUROR,
            creator=creator,
            reason=f"tie:{matches[creator.pk]}",
            now=now,
        )
    audit_record(actor=by, action=Action.JUROR_DECLARE_TIES, obj=juror, matched=len(matches))
    return len(matches)


@transaction.atomic
def creator_declare_conflicts(*, owner, cycle: AwardCycle, jurors: list[Juror], by) -> None:
    """A creator names jurors of the announced jury they are connected to (for all their
    entries in the edition). Declarations they made before and now untick are withdrawn,
    unless an organizer or the juror has confirmed the conflict themselves."""
    chosen = {j.pk for j in jurors if j.cycle_id == cycle.pk}
    mine = Conflict.objects.filter(
        juror__cycle=cycle, creator=owner, source=Conflict.Source.CREATOR
    )
    for conflict in mine.exclude(juror__in=chosen):
        audit_record(actor=by, action=Action.CONFLICT_DISMISS, obj=conflict.juror, creator=owner.pk)
        conflict.delete()
    for juror in Juror.objects.filter(pk__in=chosen):
        conflict_set(
            juror=juror,
            by=by,
            source=Conflict.Source.CREATOR,
            creator=owner,
            reason="",
        )


# Rounds and assignment --------------------------------------------------------------------


def round_weights_problem(round_: Round) -> str | None:
    weights = list(round_.criteria.values_list("weight", flat=True))
    if not weights:
        return _("Add the round's criteria before assigning entries.")
    total = sum(weights)
    if total != 100:
        return _("The criteria's weights add up to %(total)d; they must add up to 100.") % {
            "total": total
        }
    return None


def _screened_in(round_: Round):
    """Round 1's entries: every submitted entry of its categories not disqualified."""
    return Entry.objects.filter(
        cycle=round_.cycle, category__in=round_.categories.all(), status=Entry.Status.SUBMITTED
    ).exclude(screening=Entry.Screening.DISQUALIFIED)


def round_candidate_entries(round_: Round):
    """The entries a round judges: its stored list, and for round 1 also the entries that
    `round_sync_entries` would add (so that a preview shows what saving will do)."""
    stored = round_eligible_entries(round_)
    return (stored | _screened_in(round_)).distinct() if round_.number == 1 else stored


def _bulk_insert(model, *, same: dict, each: list[str], rows: Iterable[tuple]) -> int:
    """Write many rows without building a model instance per row; returns how many.

    `bulk_create` costs about 0.3 ms a row in Python on a modest machine (an instance, then
    every field of every row through the SQL compiler): some 35 s for the 100,000
    assignments and 20,000 round entries of a 20,000-entry round, against the 10 s the whole
    assignment may take (`make bench-jury`). Here the columns every row shares (`same`,
    by attname) are converted once, the others (`each`) row by row, and the rows go in one
    COPY on PostgreSQL, elsewhere in multi-row INSERTs (the statement `bulk_create` sends),
    with the same values. Model defaults are not applied: the caller gives every column.
    """
    # The connection itself, not the `django.db.connection` proxy: a value's conversion asks
    # it for its features, and the proxy's lookup would cost more than the conversion.
    connection = connections[router.db_for_write(model)]
    fields = {f.attname: f for f in model._meta.concrete_fields}
    names = [*same, *each]
    fixed = [fields[name].get_db_prep_save(value, connection) for name, value in same.items()]
    # Ids (keys and foreign keys) go to the driver as they are, which is what their fields'
    # conversion would return; anything else goes through its field.
    convert = [None if fields[name].is_relation else fields[name].get_db_prep_save for name in each]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(fields[name].column) for name in names)

    def values(row):
        return [
            *fixed,
            *(
                value if prepare is None else prepare(value, connection)
                for prepare, value in zip(convert, row, strict=True)
            ),
        ]

    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql" and hasattr(raw, "copy"):
            # COPY, not INSERT: psycopg sends the rows as a stream, which costs a seventh of
            # the CPU of binding 700,000 parameters, and the server parses no statements.
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
                    count += 1
            return count
        one = "(" + ", ".join(["%s"] * len(names)) + ")"
        size = connection.ops.bulk_batch_size([fields[n] for n in names], [0] * 1000)
        for batch in batched(rows, max(1, min(1000, size))):
            params = [value for row in batch for value in values(row)]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one] * len(batch)), params
            )
            count += len(batch)
    return count


@transaction.atomic
def round_sync_entries(*, round_: Round, by=None) -> int:
    """Round 1 takes every submitted entry that screening did not disqualify, in its
    categories; later rounds take only what advancement wrote. Returns how many were added."""
    if round_.number != 1:
        return 0
    wanted = set(_screened_in(round_).values_list("pk", flat=True))
    have = set(RoundEntry.objects.filter(round=round_).values_list("entry_id", flat=True))
    new = wanted - have
    _bulk_insert(
        RoundEntry,
        same={
            "round_id": round_.pk,
            "source": RoundEntry.Source.SCREENING,
            "added_at": timezone.now(),
        },
        each=["entry_id"],
        rows=((pk,) for pk in sorted(new)),
    )
    if new:
        audit_record(actor=by, action=Action.ROUND_ENTRIES, obj=round_, added=len(new))
    return len(new)


@dataclass
class AssignmentPlan:
    round: Round
    categories: list[planner.CategoryPlan] = field(default_factory=list)
    juror_names: dict[int, str] = field(default_factory=dict)

    @property
    def new_count(self) -> int:
        return sum(len(c.new) for c in self.categories)

    @property
    def problems(self) -> list[str]:
        return [p for c in self.categories for p in c.problems]


def _plan_categories(
    round_: Round,
    entries: list[tuple],
    *,
    categories,
    jurors: Iterable[tuple[int, int | None]],
    assignments,
    conflicts,
    base_loads: dict[int, dict[int, int]] | None = None,
    seed: int = 0,
) -> list[planner.CategoryPlan]:
    """Plan the missing assignments of `entries` ((pk, category, owner, reference code)),
    category by category: `jurors` as (juror, category judged); `assignments` and `conflicts`
    the querysets holding those of the entries (the whole round's, or only theirs);
    `base_loads` category → juror → assignments on the category's other entries."""
    jurors_by_category: dict[int, list[int]] = {}
    for pk, category in jurors:
        if category is not None:
            jurors_by_category.setdefault(category, []).append(pk)
    existing: dict[int, set[int]] = {}
    for entry_id, juror_id in assignments.values_list("entry_id", "juror_id"):
        existing.setdefault(entry_id, set()).add(juror_id)
    by_owner: dict[int, list[int]] = {}
    in_category: dict[int, list[int]] = {}
    for pk, category_id, owner, _r in entries:
        by_owner.setdefault(owner, []).append(pk)
        in_category.setdefault(category_id, []).append(pk)
    blocked: dict[int, set[int]] = {}
    rows = conflicts.filter(juror__cycle=round_.cycle, status=Conflict.Status.CONFIRMED)
    for juror_id, entry_id, creator_id in rows.values_list(
        "juror_id", "entry_id", "creator_id"
    ).iterator(chunk_size=5000):
        for target in [entry_id] if entry_id else by_owner.get(creator_id, []):
            blocked.setdefault(target, set()).add(juror_id)
    labels = {pk: code or str(pk) for pk, _c, _o, code in entries}
    return [
        planner.plan_category(
            code=category.code,
            entries=in_category.get(category.pk, []),
            jurors=sorted(jurors_by_category.get(category.pk, [])),
            k=round_.jurors_per_entry,
            existing=existing,
            blocked=blocked,
            labels=labels,
            seed=seed,
            base_loads=(base_loads or {}).get(category.pk),
        )
        for category in categories.order_by("position", "code")
    ]


def round_plan(*, round_: Round, seed: int = 0) -> AssignmentPlan:
    """What `round_assign` would add, without saving anything (the organizers' preview)."""
    entries = list(
        round_candidate_entries(round_).values_list(
            "pk", "category_id", "owner_id", "reference_code"
        )
    )
    jurors = list(
        Juror.objects.accepted().filter(cycle=round_.cycle).values_list("pk", "name", "categories")
    )
    plan = AssignmentPlan(round=round_, juror_names={pk: name for pk, name, _c in jurors})
    plan.categories = _plan_categories(
        round_,
        entries,
        categories=round_.categories.all(),
        jurors=[(pk, category) for pk, _name, category in jurors],
        assignments=Assignment.objects.filter(round=round_),
        conflicts=Conflict.objects.all(),
        seed=seed,
    )
    return plan


@transaction.atomic
def round_assign(*, round_: Round, by, seed: int = 0) -> AssignmentPlan:
    """Fill every gap: entries get k jurors of their category, never a conflicted one, loads
    balanced. Assignments already made (and their scores) stay as they are."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state() == Round.State.CLOSED:
        raise JudgingError(_("This round is closed."), status=409)
    problem = round_weights_problem(round_)
    if problem:
        raise JudgingError(problem, status=409)
    round_sync_entries(round_=round_, by=by)
    plan = round_plan(round_=round_, seed=seed)
    pairs = [(entry, juror) for category in plan.categories for entry, juror in category.new]
    numbers = Assignment.objects.next_numbers(round_.pk, {juror for _e, juror in pairs})

    def numbered(juror):
        numbers[juror] += 1
        return numbers[juror] - 1

    _bulk_insert(
        Assignment,
        same={
            "round_id": round_.pk,
            "source": Assignment.Source.AUTO,
            "created_at": timezone.now(),
            "created_by_id": by.pk if by is not None else None,
        },
        each=["public_id", "juror_id", "entry_id", "number"],
        rows=((uuid.uuid4(), juror, entry, numbered(juror)) for entry, juror in pairs),
    )
    audit_record(
        actor=by,
        action=Action.ROUND_ASSIGN,
        obj=round_,
        seed=seed,
        added=plan.new_count,
        problems=plan.problems,
    )
    return plan


def _fill_gaps(round_: Round, entry_ids: set[int], by) -> None:
    """After a recusal or a conflict mid-round: give those entries new jurors right away.

    Plans only those entries (their assignments and conflicts, and each juror's load in the
    category from one grouped count), not the whole round: a juror's "I know this work" must
    not wait for a 20,000-entry plan.
    """
    if not entry_ids or round_.state() != Round.State.OPEN:
        return
    entries = list(
        round_candidate_entries(round_)
        .filter(pk__in=entry_ids)
        .values_list("pk", "category_id", "owner_id", "reference_code")
    )
    if not entries:
        return
    ids = [pk for pk, _c, _o, _r in entries]
    categories = {category for _p, category, _o, _r in entries}
    base_loads: dict[int, dict[int, int]] = {}
    for category, juror, n in (
        Assignment.objects.filter(round=round_, entry__category_id__in=categories)
        .exclude(entry_id__in=ids)
        .values_list("entry__category_id", "juror_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        base_loads.setdefault(category, {})[juror] = n
    plans = _plan_categories(
        round_,
        entries,
        categories=round_.categories.filter(pk__in=categories),
        jurors=Juror.objects.accepted()
        .filter(cycle=round_.cycle, categories__in=categories)
        .values_list("pk", "categories"),
        assignments=Assignment.objects.filter(round=round_, entry_id__in=ids),
        conflicts=Conflict.objects.filter(
            Q(entry_id__in=ids) | Q(creator_id__in={owner for _p, _c, owner, _r in entries})
        ),
        base_loads=base_loads,
    )
    new = [
        Assignment(round=round_, juror_id=juror, entry_id=entry, created_by=by)
        for plan in plans
        for entry, juror in plan.new
    ]
    # Numbers in the jurors' queues come next after theirs; the round's row is the lock that
    # keeps two refills (or a refill and a hand assignment) from taking the same number.
    Round.objects.select_for_update().filter(pk=round_.pk).first()
    numbers = Assignment.objects.next_numbers(round_.pk, {a.juror_id for a in new})
    for assignment in new:
        assignment.number = numbers[assignment.juror_id]
        numbers[assignment.juror_id] += 1
    Assignment.objects.bulk_create(new)
    if new:
        audit_record(
            actor=by,
            action=Action.ROUND_ASSIGN,
            obj=round_,
            added=len(new),
            entries=sorted(entry_ids),
        )


def _release(assignments, *, by, reason: str, keep_submitted: bool) -> int:
    """Remove assignments (and their scorecards, values kept in the audit), then refill the
    entries' places in open rounds."""
    released = 0
    refill: dict[int, set[int]] = {}
    for assignment in assignments.select_related("round", "juror"):
        card = (
            Scorecard.objects.filter(
                round=assignment.round, juror=assignment.juror, entry_id=assignment.entry_id
            )
            .prefetch_related("scores")
            .first()
        )
        if card and keep_submitted and card.status == Scorecard.Status.SUBMITTED:
            continue
        if card:
            audit_record(
                actor=by,
                action=Action.SCORECARD_DISCARD,
                obj=assignment.round,
                juror=assignment.juror_id,
                entry=assignment.entry_id,
                status=card.status,
                values={str(s.criterion_id): str(s.value) for s in card.scores.all()},
                reason=reason,
            )
            card.delete()
        audit_record(
            actor=by,
            action=Action.ASSIGNMENT_REMOVE,
            obj=assignment.round,
            juror=assignment.juror_id,
            entry=assignment.entry_id,
            reason=reason,
        )
        refill.setdefault(assignment.round_id, set()).add(assignment.entry_id)
        assignment.delete()
        released += 1
    for round_ in Round.objects.filter(pk__in=refill):
        _fill_gaps(round_, refill[round_.pk], by)
    return released


@transaction.atomic
def assignment_add(*, round_: Round, juror: Juror, entry: Entry, by) -> Assignment:
    """One assignment by hand (an organizer's exception to the automatic plan)."""
    if round_.state() == Round.State.CLOSED:
        raise JudgingError(_("This round is closed."), status=409)
    if juror.cycle_id != round_.cycle_id or juror.state != Juror.State.ACCEPTED:
        raise JudgingError(_("Only jurors of this edition who accepted can be assigned."))
    if not juror.categories.filter(pk=entry.category_id).exists():
        raise JudgingError(
            _("%(name)s does not judge %(code)s.")
            % {"name": juror.name, "code": entry.category.code}
        )
    if not round_eligible_entries(round_).filter(pk=entry.pk).exists():
        raise JudgingError(_("This entry is not judged in this round."))
    if (
        Conflict.objects.filter(juror=juror, status=Conflict.Status.CONFIRMED)
        .filter(entry=entry)
        .exists()
        or Conflict.objects.filter(juror=juror, status=Conflict.Status.CONFIRMED)
        .filter(creator_id=entry.owner_id)
        .exists()
    ):
        raise JudgingError(
            _("%(name)s has a conflict of interest with this entry.") % {"name": juror.name},
            status=409,
        )
    Round.objects.select_for_update().filter(pk=round_.pk).first()  # numbers, see _fill_gaps
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                round=round_,
                juror=juror,
                entry=entry,
                source=Assignment.Source.MANUAL,
                created_by=by,
            )
    except IntegrityError:
        raise JudgingError(
            _("%(name)s already judges this entry.") % {"name": juror.name}, status=409
        ) from None
    audit_record(actor=by, action=Action.ASSIGNMENT_ADD, obj=round_, juror=juror.pk, entry=entry.pk)
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, by) -> None:
    """By hand; a scorecard the juror wrote for it is discarded (its values stay audited)."""
    if assignment.round.state() == Round.State.CLOSED:
        raise JudgingError(_("This round is closed."), status=409)
    assignments = Assignment.objects.filter(pk=assignment.pk)
    # No refill: an organizer removing an assignment by hand decides who judges instead.
    for item in assignments:
        card = Scorecard.objects.filter(
            round_id=item.round_id, juror_id=item.juror_id, entry_id=item.entry_id
        ).first()
        if card:
            audit_record(
                actor=by,
                action=Action.SCORECARD_DISCARD,
                obj=item.round,
                juror=item.juror_id,
                entry=item.entry_id,
                status=card.status,
                values={str(s.criterion_id): str(s.value) for s in card.scores.all()},
                reason="removed by an organizer",
            )
            card.delete()
        audit_record(
            actor=by,
            action=Action.ASSIGNMENT_REMOVE,
            obj=item.round,
            juror=item.juror_id,
            entry=item.entry_id,
            reason="removed by an organizer",
        )
        item.delete()


@transaction.atomic
def round_close(*, round_: Round, by, now: datetime | None = None) -> Round:
    """Close before the planned time (scores freeze); audited. A closed round stays closed."""
    now = now or timezone.now()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.closed_at:
        return round_
    round_.closed_at, round_.closed_by = now, by
    round_.save(update_fields=["closed_at", "closed_by"])
    audit_record(actor=by, action=Action.ROUND_CLOSE, obj=round_)
    return round_


# Scoring ----------------------------------------------------------------------------------


@dataclass
class SaveResult:
    scorecard: Scorecard
    errors: dict[str, str]
    submitted: bool


def parse_score(raw: str) -> Decimal | None:
    """ "7.5", "7,5" and " 8 " are scores; "" is none; anything else raises ValueError."""
    text = raw.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not value.is_finite() or abs(value) >= 10_000:
        raise ValueError(raw)
    # Stored with two decimals: "7.5" and "7.50" are the same score, in the audit trail too.
    return value.quantize(Decimal("0.01"))


def scorecard_save(
    *,
    assignment: Assignment,
    user,
    values: dict[str, str],
    comment: str | None = None,
    submit: bool = False,
    now: datetime | None = None,
) -> SaveResult:
    """Save what the juror typed: every valid value is kept even when another is wrong.

    Values are keyed by criterion id; a criterion left out is not touched, an empty one is
    cleared. Submitting needs every criterion on the round's scale. Every save is audited
    with its values (two tabs: the last write wins, both are in the trail).
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Asked again under the lock, through the one function: a round closing, a conflict
        # or a disqualification between page load and save turns the save away.
        assignment = (
            visible_assignments(user, now)
            .select_for_update(of=("self",))
            .select_related("round", "juror")
            .filter(pk=assignment.pk)
            .first()
        )
        if assignment is None:
            raise JudgingError(
                _("This entry can no longer be scored: the round is closed or the entry left it."),
                status=403,
            )
        round_ = assignment.round
        card, _created = Scorecard.objects.get_or_create(
            round=round_,
            juror=assignment.juror,
            entry_id=assignment.entry_id,
            defaults={"created_at": now, "updated_at": now},
        )
        criteria = list(Criterion.objects.filter(round=round_))
        stored = {s.criterion_id: s for s in Score.objects.filter(scorecard=card)}
        errors: dict[str, str] = {}
        for criterion in criteria:
            key = str(criterion.pk)
            if key not in values:
                continue
            try:
                value = parse_score(values[key])
            except ValueError:
                errors[key] = _("Type a number, such as 7 or 7.5.")
                continue
            if value is None:
                if criterion.pk in stored:
                    stored.pop(criterion.pk).delete()
                continue
            problem = round_.score_problem(value)
            if problem:
                errors[key] = problem
                continue
            score = stored.get(criterion.pk)
            if score is None:
                stored[criterion.pk] = Score.objects.create(
                    scorecard=card, criterion=criterion, value=value
                )
            elif score.value != value:
                score.value = value
                score.save(update_fields=["value"])
        if comment is not None:
            card.comment = comment.strip()[:3000]
        complete = not errors and all(c.pk in stored for c in criteria)
        if submit and not complete:
            # Each missing score named at its field: the page moves the cursor to the first.
            for criterion in criteria:
                if criterion.pk not in stored:
                    errors.setdefault(str(criterion.pk), _("Give this criterion a score."))
            errors.setdefault(
                "__all__",
                _("Give every criterion a valid score before submitting; what you typed is saved."),
            )
        if submit and complete:
            card.status = Scorecard.Status.SUBMITTED
            card.submitted_at = now
        elif card.status == Scorecard.Status.SUBMITTED and not all(
            c.pk in stored for c in criteria
        ):
            # A score was cleared: the card is no longer a complete verdict.
            card.status = Scorecard.Status.DRAFT
            card.submitted_at = None
        weights = {c.pk: c.weight for c in criteria}
        card.total = Scorecard.weighted_total(
            (score.value, weights[pk]) for pk, score in stored.items()
        )
        card.updated_at = now
        card.save()
        audit_record(
            actor=user,
            action=Action.SCORECARD_SAVE,
            obj=round_,
            juror=assignment.juror_id,
            entry=assignment.entry_id,
            status=card.status,
            values={str(k): str(v.value) for k, v in sorted(stored.items())},
            refused=sorted(errors),
        )
    return SaveResult(scorecard=card, errors=errors, submitted=card.status == "submitted")


@transaction.atomic
def assignment_recuse(
    *, assignment: Assignment, user, reason: str = "", now: datetime | None = None
) -> Conflict:
    """ "I know this work": a conflict for this entry, the draft discarded (audited), and the
    entry handed to another juror."""
    now = now or timezone.now()
    assignment = (
        visible_assignments(user, now)
        .select_related("juror", "entry")
        .filter(pk=assignment.pk)
        .first()
    )
    if assignment is None:
        raise JudgingError(_("This entry is no longer assigned to you."), status=403)
    audit_record(
        actor=user,
        action=Action.ASSIGNMENT_RECUSE,
        obj=assignment.round,
        juror=assignment.juror_id,
        entry=assignment.entry_id,
    )
    return conflict_set(
        juror=assignment.juror,
        by=user,
        source=Conflict.Source.RECUSAL,
        entry=assignment.entry,
        reason=reason,
        now=now,
    )


# Reminders --------------------------------------------------------------------------------


@dataclass
class Reminder:
    juror: Juror  # the membership whose name and language the email uses
    memberships: list[Juror]
    rounds: list[dict]


def jury_reminders_due(*, now: datetime | None = None, min_hours: int = 20) -> list[Reminder]:
    """Who would get a reminder now: accepted jurors of live editions with something left to
    score in an open round, and not reminded in the last `min_hours`. One per person, even
    if they sit on two juries at once."""
    now = now or timezone.now()
    due = (
        Juror.objects.live(now)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - timedelta(hours=min_hours)))
        .select_related("user", "cycle")
        .order_by("user_id", "-cycle__festival_year", "pk")
    )
    reminders = []
    for _user_id, group in groupby(due, key=lambda juror: juror.user_id):
        memberships = list(group)
        rounds = work_left(memberships[0].user, now, jurors=memberships)
        if rounds:
            reminders.append(Reminder(juror=memberships[0], memberships=memberships, rounds=rounds))
    return reminders


def jury_reminders_send(
    *,
    now: datetime | None = None,
    min_hours: int = 20,
    dry_run: bool = False,
    base_url: str | None = None,
) -> int:
    """One digest email per juror with what is left in each open round and until when, in
    their language; never one email per assignment, never twice within `min_hours`. Each
    is audited. Returns how many were sent (or, in a dry run, would be)."""
    now = now or timezone.now()
    reminders = jury_reminders_due(now=now, min_hours=min_hours)
    if dry_run:
        return len(reminders)
    sent = 0
    for reminder in reminders:
        with transaction.atomic():
            # Two runs at once (two cron hosts) must not both send: the second finds the
            # memberships already reminded once it gets the lock.
            locked = list(
                Juror.objects.select_for_update()
                .filter(pk__in=[m.pk for m in reminder.memberships])
                .filter(
                    Q(reminded_at__isnull=True)
                    | Q(reminded_at__lte=now - timedelta(hours=min_hours))
                )
            )
            if not locked:
                continue
            Juror.objects.filter(pk__in=[m.pk for m in locked]).update(reminded_at=now)
            left = {str(item["round"].pk): item["left"] for item in reminder.rounds}
            for juror in locked:
                audit_record(actor=None, action=Action.JUROR_REMIND, obj=juror, left=left)
            _send_reminder_on_commit(reminder, base_url)
            sent += 1
    return sent


def _send_reminder_on_commit(reminder: Reminder, base_url: str | None) -> None:
    from judging import emails

    def send():
        try:
            emails.reminder(reminder.juror, reminder.rounds, base_url=base_url)
        except Exception:
            # Logged, not retried at once: the next run after `min_hours` tries again.
            log.exception("Reminder email to juror %s failed", reminder.juror.pk)

    transaction.on_commit(send)

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone, translation

from awards.models import AuditEvent
from judging import services
from judging.models import Assignment, Conflict, Juror, Score, Scorecard
from judging.selectors import visible_assignments
from submissions.services import EntryError, entry_create
from tests.factories import (
    AwardCycleFactory,
    CategoryFactory,
    CreatorFactory,
    EntryFactory,
    JudgingCycleFactory,
    JurorFactory,
    OrganizerFactory,
    RoundFactory,
    UserFactory,
    submitted_entry,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def invite(cycle, category, email="ana@studio.example", **kwargs):
    organizer = OrganizerFactory()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.juror_invite(
            cycle=cycle, email=email, name="Ana Lima", categories=[category], by=organizer, **kwargs
        )


# Invitations -------------------------------------------------------------------------------


def test_invitation_is_emailed_and_the_token_is_stored_only_as_its_hash():
    cycle = JudgingCycleFactory()
    arc = CategoryFactory(cycle=cycle, code="ARC")

    juror, token = invite(cycle, arc, language="vi")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@studio.example"]
    assert f"/vi/jury/invitations/{token}/" in mail.outbox[0].body
    assert "Ban giám khảo" in mail.outbox[0].subject  # in the invitee's language
    assert token not in str(Juror.objects.filter(pk=juror.pk).values().get())


def test_accepting_with_another_email_binds_that_account_once():
    cycle = JudgingCycleFactory()
    arc = CategoryFactory(cycle=cycle)
    juror, token = invite(cycle, arc)
    person = UserFactory(email="ana.personal@gmail.com")
    someone_else = UserFactory()

    services.invitation_accept(token=token, user=person)
    services.invitation_accept(token=token, user=person)  # the same click twice: fine
    with pytest.raises(services.JudgingError) as refused:
        services.invitation_accept(token=token, user=someone_else)

    juror.refresh_from_db()
    assert (juror.state, juror.user) == ("accepted", person)
    assert "already been accepted" in refused.value.message


def test_expired_and_revoked_and_unknown_tokens_say_what_to_do():
    cycle = JudgingCycleFactory()
    arc = CategoryFactory(cycle=cycle)
    juror, token = invite(cycle, arc)
    person = UserFactory()

    with pytest.raises(services.JudgingError) as expired:
        services.invitation_accept(
            token=token, user=person, now=timezone.now() + timedelta(days=15)
        )
    services.juror_revoke(juror=juror, by=None)
    with pytest.raises(services.JudgingError) as revoked:
        services.invitation_accept(token=token, user=person)
    with pytest.raises(services.JudgingError) as unknown:
        services.invitation_accept(token="not-a-token", user=person)

    assert "expired" in expired.value.message and "send it again" in expired.value.message
    assert "withdrawn" in revoked.value.message
    assert "not valid" in unknown.value.message
    assert not Juror.objects.filter(user=person).exists()


def test_resending_replaces_the_link():
    cycle = JudgingCycleFactory()
    arc = CategoryFactory(cycle=cycle)
    juror, old = invite(cycle, arc)

    with TestCase.captureOnCommitCallbacks(execute=True):
        new = services.juror_invite_resend(juror=juror, by=None)

    with pytest.raises(services.JudgingError):
        services.invitation_accept(token=old, user=UserFactory())
    assert services.invitation_accept(token=new, user=UserFactory()).state == "accepted"


def test_a_creator_of_the_edition_cannot_accept_and_a_juror_cannot_enter():
    cycle = AwardCycleFactory()  # open for entries
    arc = CategoryFactory(cycle=cycle)
    creator = CreatorFactory()
    EntryFactory(category=arc, owner=creator)
    _juror, token = invite(cycle, arc)

    with pytest.raises(services.JudgingError) as refused:
        services.invitation_accept(token=token, user=creator)

    assert "has an entry in the" in refused.value.message
    other_creator = CreatorFactory()
    _juror2, token2 = invite(cycle, arc, email="b@example.vn")
    services.invitation_accept(token=token2, user=other_creator)
    with pytest.raises(EntryError) as no_entry:
        entry_create(owner=other_creator, category=arc)
    assert "jury" in no_entry.value.message


def test_an_organizer_account_cannot_judge_blind():
    cycle = JudgingCycleFactory()
    arc = CategoryFactory(cycle=cycle)
    _juror, token = invite(cycle, arc)

    with pytest.raises(services.JudgingError):
        services.invitation_accept(token=token, user=OrganizerFactory())


# Visibility, conflicts, recusal --------------------------------------------------------------


def test_each_entry_has_k_jurors_and_each_juror_sees_only_their_own(jury):
    for entry in jury.entries:
        assert Assignment.objects.filter(entry=entry).count() == 2
    seen = {
        juror.pk: set(visible_assignments(juror.user).values_list("entry_id", flat=True))
        for juror in jury.jurors
    }
    assert sum(len(s) for s in seen.values()) == 8
    for juror in jury.jurors:
        own = set(Assignment.objects.filter(juror=juror).values_list("entry_id", flat=True))
        assert seen[juror.pk] == own


def test_conflict_with_a_creator_hides_and_reassigns_their_entries(jury):
    juror = jury.jurors[0]
    entry = Assignment.objects.filter(juror=juror).first().entry

    services.conflict_set(
        juror=juror, by=None, source=Conflict.Source.ORGANIZER, creator=entry.owner
    )

    assert not visible_assignments(juror.user).filter(entry=entry).exists()
    assert Assignment.objects.filter(entry=entry).count() == 2
    assert not Assignment.objects.filter(entry=entry, juror=juror).exists()


def test_a_suggestion_does_nothing_until_confirmed(jury):
    juror = jury.jurors[0]
    entry = Assignment.objects.filter(juror=juror).first().entry
    suggestion = Conflict.objects.create(
        juror=juror, creator=entry.owner, source="system", status="suggested"
    )

    assert visible_assignments(juror.user).filter(entry=entry).exists()
    services.conflict_set(juror=juror, by=None, source="organizer", creator=entry.owner)

    suggestion.refresh_from_db()
    assert suggestion.status == "confirmed"
    assert not visible_assignments(juror.user).filter(entry=entry).exists()


def test_recusal_discards_the_draft_audits_it_and_hands_the_entry_on(jury):
    juror = jury.jurors[0]
    assignment = Assignment.objects.filter(juror=juror).first()
    criterion = jury.round.criteria.first()
    services.scorecard_save(assignment=assignment, user=juror.user, values={str(criterion.pk): "7"})

    services.assignment_recuse(assignment=assignment, user=juror.user)

    assert not Scorecard.objects.filter(juror=juror, entry=assignment.entry).exists()
    assert Conflict.objects.get(juror=juror, entry=assignment.entry).source == "recusal"
    assert Assignment.objects.filter(entry=assignment.entry).exclude(juror=juror).count() == 2
    discarded = AuditEvent.objects.get(action="scorecard.discard")
    assert discarded.data["values"] == {str(criterion.pk): "7.00"}


def test_disqualified_or_withdrawn_entries_leave_the_jurors_view(jury):
    first, second = jury.entries[:2]
    first.screening, first.screening_reason = "disqualified", "Signed image"
    first.save()
    second.status = "withdrawn"
    second.save()

    visible = set(visible_assignments(jury.jurors[0].user).values_list("entry_id", flat=True)) | {
        e
        for j in jury.jurors
        for e in visible_assignments(j.user).values_list("entry_id", flat=True)
    }

    assert first.pk not in visible and second.pk not in visible


def test_a_closed_round_shows_nothing_and_refuses_scores(jury):
    juror = jury.jurors[0]
    assignment = Assignment.objects.filter(juror=juror).first()
    services.round_close(round_=jury.round, by=None)

    assert not visible_assignments(juror.user).exists()
    with pytest.raises(services.JudgingError):
        services.scorecard_save(assignment=assignment, user=juror.user, values={})


# Scoring ----------------------------------------------------------------------------------


def test_wrong_values_get_messages_and_the_rest_is_kept(jury):
    juror = jury.jurors[0]
    assignment = Assignment.objects.filter(juror=juror).first()
    a, b, c = jury.round.criteria.order_by("position")

    result = services.scorecard_save(
        assignment=assignment,
        user=juror.user,
        values={str(a.pk): "7,5", str(b.pk): "11", str(c.pk): "6.3"},
        submit=True,
    )

    assert result.submitted is False
    assert result.errors[str(b.pk)] == "Give a score from 1 to 10."
    assert result.errors[str(c.pk)].startswith("Scores go in steps of 0.5")
    assert "__all__" in result.errors
    stored = dict(Score.objects.values_list("criterion_id", "value"))
    assert stored == {a.pk: Decimal("7.5")}


def test_submitting_needs_every_criterion_and_later_changes_are_audited(jury):
    juror = jury.jurors[0]
    assignment = Assignment.objects.filter(juror=juror).first()
    ids = [str(c.pk) for c in jury.round.criteria.order_by("position")]

    missing = services.scorecard_save(
        assignment=assignment, user=juror.user, values={ids[0]: "8", ids[1]: "7"}, submit=True
    )
    done = services.scorecard_save(
        assignment=assignment, user=juror.user, values={ids[2]: "9"}, submit=True
    )
    changed = services.scorecard_save(assignment=assignment, user=juror.user, values={ids[0]: "6"})

    assert (missing.submitted, done.submitted, changed.submitted) == (False, True, True)
    trail = AuditEvent.objects.filter(action="scorecard.save").order_by("pk")
    assert [e.data["values"] for e in trail] == [
        {ids[0]: "8.00", ids[1]: "7.00"},
        {ids[0]: "8.00", ids[1]: "7.00", ids[2]: "9.00"},
        {ids[0]: "6.00", ids[1]: "7.00", ids[2]: "9.00"},
    ]


def test_another_jurors_assignment_cannot_be_scored(jury):
    mine = jury.jurors[0]
    theirs = Assignment.objects.exclude(juror=mine).first()

    with pytest.raises(services.JudgingError):
        services.scorecard_save(assignment=theirs, user=mine.user, values={})

    assert not Scorecard.objects.exists()


# Assignment service ------------------------------------------------------------------------


def test_assigning_again_fills_gaps_for_a_juror_who_left(jury):
    leaving = jury.jurors[0]
    services.juror_revoke(juror=leaving, by=None)

    assert not Assignment.objects.filter(juror=leaving).exists()
    for entry in jury.entries:
        assert Assignment.objects.filter(entry=entry).count() == 2


def test_round_refuses_to_assign_when_weights_do_not_add_up(jury):
    criterion = jury.round.criteria.first()
    criterion.weight = 10
    criterion.save()

    with pytest.raises(services.JudgingError) as refused:
        services.round_assign(round_=jury.round, by=None)

    assert refused.value.message == "The criteria's weights add up to 70; they must add up to 100."


def test_a_recusal_goes_to_the_least_loaded_free_juror_and_touches_no_other_entry(db):
    cycle = JudgingCycleFactory()
    arc = CategoryFactory(cycle=cycle, code="ARC")
    prd = CategoryFactory(cycle=cycle, code="PRD")
    entries = [submitted_entry(arc, number=n) for n in range(1, 7)]
    other = submitted_entry(prd, number=1)
    first = [JurorFactory(cycle=cycle, categories=[arc, prd]) for _ in range(3)]
    round_ = RoundFactory(cycle=cycle, categories=[arc, prd])
    services.round_assign(round_=round_, by=None)
    # Two jurors join after the plan: one has a conflict with the creator of the entry that
    # will lose its juror, so the entry must go to the other one. A gap an organizer left by
    # hand elsewhere stays theirs to fill.
    free = JurorFactory(cycle=cycle, categories=[arc], name="Free")
    conflicted = JurorFactory(cycle=cycle, categories=[arc], name="Conflicted")
    target = Assignment.objects.filter(juror=first[0], entry__in=entries).first()
    Conflict.objects.create(
        juror=conflicted, creator=target.entry.owner, source="organizer", status="confirmed"
    )
    services.assignment_remove(assignment=Assignment.objects.filter(entry=other).first(), by=None)
    before = set(Assignment.objects.exclude(entry=target.entry).values_list("entry", "juror"))

    services.assignment_recuse(assignment=target, user=first[0].user)

    jurors = set(Assignment.objects.filter(entry=target.entry).values_list("juror", flat=True))
    assert free.pk in jurors and conflicted.pk not in jurors and first[0].pk not in jurors
    assert len(jurors) == round_.jurors_per_entry
    assert (
        set(Assignment.objects.exclude(entry=target.entry).values_list("entry", "juror")) == before
    )

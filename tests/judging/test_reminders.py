"""Reminders: one digest per juror with what is left, in their language, never twice a day."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from awards.models import AuditEvent
from judging import services
from judging.models import Assignment, Conflict, Juror, RoundEntry
from tests.factories import (
    CategoryFactory,
    JudgingCycleFactory,
    JurorFactory,
    RoundFactory,
    UserFactory,
    submitted_entry,
)

pytestmark = pytest.mark.django_db


def send(**kwargs) -> int:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.jury_reminders_send(**kwargs)


def mails_to(juror) -> list:
    return [m for m in mail.outbox if m.to == [juror.user.email]]


def submit_all(juror, round_) -> None:
    for assignment in Assignment.objects.filter(juror=juror, round=round_):
        services.scorecard_save(
            assignment=assignment,
            user=juror.user,
            values={str(c.pk): "7" for c in round_.criteria.all()},
            submit=True,
        )


def test_the_digest_says_what_is_left_and_until_when_in_the_jurors_language(jury):
    vi, en, _c = jury.jurors
    Juror.objects.filter(pk=en.pk).update(language="en")
    first = Assignment.objects.filter(juror=vi).order_by("pk").first()
    services.scorecard_save(
        assignment=first,
        user=vi.user,
        values={str(c.pk): "8" for c in jury.round.criteria.all()},
        submit=True,
    )
    assigned = {j.pk: Assignment.objects.filter(juror=j).count() for j in (vi, en)}
    year = jury.cycle.festival_year

    sent = send()

    assert sent == 3
    (vi_mail,) = mails_to(vi)
    assert vi_mail.subject == (
        "Giải thưởng Thiết kế sáng tạo Hà Nội: các tác phẩm đang chờ bạn chấm"
    )
    assert "Kính gửi Juror A," in vi_mail.body
    left = assigned[vi.pk] - 1
    assert (
        f"- {year} · Vòng 1: còn {left} tác phẩm (trên tổng số {assigned[vi.pk]})" in vi_mail.body
    )
    assert "đóng lúc" in vi_mail.body and "(Giờ Hà Nội, GMT+7)" in vi_mail.body
    assert "/vi/jury/" in vi_mail.body
    (en_mail,) = mails_to(en)
    assert en_mail.subject == "Hanoi Creative Design Award: entries waiting for your scores"
    total = assigned[en.pk]
    assert f"- {year} · Round 1: {total} entries left (of {total}), closes on " in en_mail.body
    assert "(Hanoi time, GMT+7)" in en_mail.body and "/en/jury/" in en_mail.body
    html, kind = en_mail.alternatives[0]
    assert kind == "text/html" and f"<strong>{year} · Round 1</strong>" in html


def test_one_email_per_juror_whatever_the_number_of_assignments_and_rounds(jury):
    second = RoundFactory(cycle=jury.cycle, categories=[jury.arc], number=2, name_en="Final")
    for entry in jury.entries:
        RoundEntry.objects.create(round=second, entry=entry, source="advanced")
    services.round_assign(round_=second, by=None)
    juror = jury.jurors[0]
    assert Assignment.objects.filter(juror=juror).count() >= 4

    send()

    assert len(mail.outbox) == len(jury.jurors)
    (message,) = mails_to(juror)
    assert message.body.count(f"{jury.cycle.festival_year} · ") == 2  # both rounds, one email


def test_nobody_with_nothing_left_is_reminded(jury):
    done, conflicted, withdrawn_only = jury.jurors
    submit_all(done, jury.round)
    # Conflicts and withdrawals take entries out of the count, as they do out of the pages.
    for assignment in Assignment.objects.filter(juror=conflicted):
        Conflict.objects.create(
            juror=conflicted, entry=assignment.entry, source="juror", status="confirmed"
        )
    for assignment in Assignment.objects.filter(juror=withdrawn_only):
        type(assignment.entry).objects.filter(pk=assignment.entry_id).update(status="withdrawn")
    JurorFactory(cycle=jury.cycle, categories=[jury.arc])  # accepted, nothing assigned
    invited = JurorFactory(cycle=jury.cycle, categories=[jury.arc], state="invited", user=None)

    sent = send()

    assert sent == 0
    assert mail.outbox == []
    assert not Juror.objects.filter(reminded_at__isnull=False).exists()
    assert invited.user is None


def test_conflicted_and_withdrawn_entries_do_not_count(jury):
    juror = jury.jurors[0]
    mine = list(Assignment.objects.filter(juror=juror).order_by("pk"))
    assert len(mine) >= 3
    Conflict.objects.create(juror=juror, entry=mine[0].entry, source="juror", status="confirmed")
    type(mine[1].entry).objects.filter(pk=mine[1].entry_id).update(status="withdrawn")
    Juror.objects.filter(pk=juror.pk).update(language="en")
    left = len(mine) - 2

    send()

    (message,) = mails_to(juror)
    noun = "entry" if left == 1 else "entries"
    assert f"Round 1: {left} {noun} left (of {left})" in message.body


@pytest.mark.parametrize("state", ["closed", "upcoming", "revoked"])
def test_jurors_of_rounds_not_open_or_off_the_jury_are_not_reminded(jury, state):
    if state == "closed":
        services.round_close(round_=jury.round, by=None)
    elif state == "upcoming":
        type(jury.round).objects.filter(pk=jury.round.pk).update(
            opens_at=timezone.now() + timedelta(days=1)
        )
    else:
        Juror.objects.filter(pk__in=[j.pk for j in jury.jurors]).update(state="revoked")

    assert send() == 0
    assert mail.outbox == []


def test_nobody_is_reminded_twice_within_the_window(jury):
    now = timezone.now()

    first = send(now=now)
    too_soon = send(now=now + timedelta(hours=19))
    next_day = send(now=now + timedelta(hours=21))
    sooner_allowed = send(now=now + timedelta(hours=22), min_hours=1)

    assert (first, too_soon, next_day, sooner_allowed) == (3, 0, 3, 3)
    assert len(mail.outbox) == 9
    reminded = set(Juror.objects.values_list("reminded_at", flat=True))
    assert reminded == {now + timedelta(hours=22)}


def test_each_reminder_is_audited(jury):
    juror = jury.jurors[0]
    left = Assignment.objects.filter(juror=juror).count()

    send()

    events = AuditEvent.objects.filter(action="juror.remind").order_by("pk")
    assert [e.object_id for e in events] == [str(j.pk) for j in jury.jurors]
    assert events[0].data == {"left": {str(jury.round.pk): left}}
    assert events[0].actor is None


def test_a_person_on_two_juries_gets_one_email(jury):
    person = jury.jurors[0].user
    other_cycle = JudgingCycleFactory(festival_year=jury.cycle.festival_year + 2)
    prd = CategoryFactory(cycle=other_cycle, code="PRD")
    submitted_entry(prd, number=1)
    JurorFactory(cycle=other_cycle, categories=[prd], user=person, email=person.email)
    round_ = RoundFactory(cycle=other_cycle, categories=[prd], jurors_per_entry=1)
    services.round_assign(round_=round_, by=None)

    send()

    (message,) = [m for m in mail.outbox if m.to == [person.email]]
    assert f"{jury.cycle.festival_year} · " in message.body
    assert f"{other_cycle.festival_year} · " in message.body
    assert Juror.objects.filter(user=person, reminded_at__isnull=False).count() == 2


def test_the_command_sends_reminders_and_can_only_count_them(jury, capsys):
    call_command("send_jury_reminders", "--dry-run")

    assert capsys.readouterr().out == "Would remind 3 jurors.\n"
    assert mail.outbox == [] and not Juror.objects.filter(reminded_at__isnull=False).exists()

    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_jury_reminders", "--min-hours", "20")
        call_command("send_jury_reminders")

    assert capsys.readouterr().out == "Reminded 3 jurors.\nReminded 0 jurors.\n"
    assert len(mail.outbox) == 3


def test_a_juror_with_another_account_email_is_reminded_at_the_account(jury):
    juror = jury.jurors[0]
    account = UserFactory(email="ana.personal@gmail.com")
    Juror.objects.filter(pk=juror.pk).update(user=account, email="ana@museum.example")

    send()

    assert any(m.to == ["ana.personal@gmail.com"] for m in mail.outbox)
    assert not any(m.to == ["ana@museum.example"] for m in mail.outbox)

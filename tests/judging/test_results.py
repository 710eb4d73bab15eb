"""Advancement, decisions, the frozen snapshot and its publication: what organizers may do,
what they are refused (and told), and what happens exactly once."""

import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from awards.actions import Action
from awards.models import AuditEvent, AwardCycle
from judging import results, services
from judging.models import Decision, ResultNotice, ResultsSnapshot, RoundEntry
from judging.services import JudgingError
from judging.standings import round_standings
from judging.tasks import publish_results, send_result_notices
from submissions.models import Entry
from tests.factories import (
    CategoryFactory,
    JurorFactory,
    OrganizerFactory,
    PrizeFactory,
    RoundFactory,
    submitted_entry,
)
from tests.judging.scoring import card, panel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def en(name, **kwargs):
    return reverse(name, kwargs=kwargs)  # under the English override: /en/…


def said(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def finals(entries: int = 6, advanced: int = 4) -> SimpleNamespace:
    """Round 1 judged and closed; its first `advanced` entries in the final round; a grand
    prize (one place) and a special prize (two places)."""
    jury = panel(entries=entries, jurors="ABC")
    organizer = OrganizerFactory()
    services.round_close(round_=jury.round, by=organizer)
    final = RoundFactory(
        cycle=jury.cycle, number=2, name_vi="Chung khảo", name_en="Final", categories=[jury.arc]
    )
    results.round_advance(
        round_=jury.round,
        entry_ids=[e.pk for e in jury.entries[:advanced]],
        by=organizer,
        rule="top 4",
    )
    grand = PrizeFactory(
        cycle=jury.cycle, name_vi="Giải Nhất", name_en="Grand Prize", quantity=1, position=1
    )
    special = PrizeFactory(
        cycle=jury.cycle, name_vi="Giải Đặc biệt", name_en="Special Prize", quantity=2, position=2
    )
    return SimpleNamespace(
        **vars(jury), organizer=organizer, final=final, grand=grand, special=special
    )


def give(f, entry, prize=None, **kwargs):
    return results.decision_add(cycle=f.cycle, entry=entry, prize=prize, by=f.organizer, **kwargs)


def publish_time_passed(f, ago=timedelta(minutes=1)):
    """Move the festival and the publish time just behind the clock (emails check the real
    time, not a `now` given to the services)."""
    now = timezone.now()
    AwardCycle.objects.filter(pk=f.cycle.pk).update(
        festival_starts_at=now - timedelta(hours=1), results_publish_at=now - ago
    )
    f.cycle.refresh_from_db()


def set_status(entry, **fields):
    if fields.get("screening") == "disqualified":
        fields["screening_reason"] = "Shown publicly before the deadline."
    Entry.objects.filter(pk=entry.pk).update(**fields)
    entry.refresh_from_db()


# Decisions ----------------------------------------------------------------------------------


def test_a_prize_is_never_given_beyond_its_quantity():
    f = finals()
    e1, e2, e3, _e4 = f.entries[:4]

    first, second = give(f, e1, f.special), give(f, e2, f.special)
    with pytest.raises(JudgingError) as refused:
        give(f, e3, f.special)

    assert (first.place, second.place) == (1, 2)
    assert refused.value.message == (
        "All 2 places of “Special Prize” are given. Remove one to give it to another entry."
    )
    assert Decision.objects.filter(prize=f.special).count() == 2


def test_a_prize_of_one_place_says_so_when_it_is_taken():
    f = finals()
    give(f, f.entries[0], f.grand)

    with pytest.raises(JudgingError) as refused:
        give(f, f.entries[1], f.grand)

    assert refused.value.message == (
        "“Grand Prize” has already been given. Remove that decision to give it to another entry."
    )


def test_a_removed_place_can_be_given_again():
    f = finals()
    decision = give(f, f.entries[0], f.grand)

    results.decision_remove(decision=decision, by=f.organizer)
    again = give(f, f.entries[1], f.grand)

    assert (again.entry, again.place) == (f.entries[1], 1)


def test_the_database_refuses_a_second_decision_for_the_same_place():
    f = finals()
    give(f, f.entries[0], f.grand)

    # PostgreSQL names the constraint; SQLite names its columns.
    taken = r"judging_decision_unique_place|judging_decision\.prize_id, judging_decision\.place"
    with pytest.raises(IntegrityError, match=taken), transaction.atomic():
        Decision.objects.create(
            cycle=f.cycle, entry=f.entries[1], kind="prize", prize=f.grand, place=1
        )


@pytest.mark.django_db(transaction=True)
def test_two_organizers_giving_the_last_place_at_once_one_wins_the_other_is_told_why():
    """Two real connections: A holds its transaction open after giving the place; B, started
    meanwhile, must wait for it (row lock on PostgreSQL, the write lock on SQLite), then be
    refused with the reason — never a second winner, never a database error."""
    f = finals()
    second_organizer = OrganizerFactory()
    a_gave, b_done = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def organizer_a():
        try:
            with transaction.atomic():
                give(f, f.entries[0], f.grand)
                a_gave.set()
                b_done.wait(timeout=1)  # B has started and must still be waiting
                outcome["b finished before A committed"] = b_done.is_set()
            outcome["A"] = "given"
        finally:
            connection.close()

    def organizer_b():
        translation.activate("en")  # a thread starts in no language of the test's
        try:
            a_gave.wait(timeout=10)
            results.decision_add(
                cycle=f.cycle, entry=f.entries[1], prize=f.grand, by=second_organizer
            )
            outcome["B"] = "given"
        except JudgingError as error:
            outcome["B"] = error.message
        finally:
            b_done.set()
            connection.close()

    threads = [threading.Thread(target=organizer_a), threading.Thread(target=organizer_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcome == {
        "b finished before A committed": False,
        "A": "given",
        "B": "“Grand Prize” has already been given. Remove that decision to give it to another entry.",
    }
    assert list(Decision.objects.filter(prize=f.grand).values_list("entry", "place")) == [
        (f.entries[0].pk, 1)
    ]


@pytest.mark.parametrize(
    "change",
    [{"status": "withdrawn"}, {"screening": "disqualified"}],
    ids=["withdrawn", "disqualified"],
)
def test_a_withdrawn_or_disqualified_entry_can_never_win(change):
    f = finals()
    entry = f.entries[0]
    set_status(entry, **change)

    with pytest.raises(JudgingError) as refused:
        give(f, entry, f.grand)
    with pytest.raises(JudgingError):
        give(f, entry)  # nor an honourable mention

    assert refused.value.message == (
        f"{entry.reference_code} is withdrawn or disqualified: it cannot receive an award."
    )
    assert not Decision.objects.exists()


def test_an_entry_disqualified_after_its_award_stops_the_freeze():
    f = finals()
    entry = f.entries[0]
    give(f, entry, f.grand)
    set_status(entry, screening="disqualified")

    with pytest.raises(JudgingError) as refused:
        results.results_freeze(cycle=f.cycle, by=f.organizer)

    assert entry.reference_code in refused.value.message
    assert not ResultsSnapshot.objects.exists()


def test_only_entries_of_the_final_round_can_win():
    f = finals()
    not_advanced = f.entries[4]
    other_edition = submitted_entry(
        CategoryFactory(cycle=panel(entries=0, year=f.cycle.festival_year + 2).cycle)
    )

    with pytest.raises(JudgingError) as outside:
        give(f, not_advanced, f.grand)
    with pytest.raises(JudgingError) as elsewhere:
        give(f, other_edition, f.grand)

    assert outside.value.message == (
        f"Only entries of the final round can receive an award; "
        f"{not_advanced.reference_code} is not in it."
    )
    assert elsewhere.value.message == "This entry belongs to another edition."


def test_decisions_page_records_a_decision_and_refuses_a_full_prize(client):
    f = finals()
    client.force_login(f.organizer)
    url = en("judging:decisions", year=f.cycle.festival_year)

    first = client.post(
        url,
        {"action": "add", "entry": f.entries[0].pk, "prize": f.grand.pk, "citation_en": "Light."},
        follow=True,
    )
    second = client.post(
        url, {"action": "add", "entry": f.entries[1].pk, "prize": f.grand.pk}, follow=True
    )

    assert said(first) == ["Decision recorded."]
    assert said(second) == [
        "“Grand Prize” has already been given. Remove that decision to give it to another entry."
    ]
    assert list(Decision.objects.values_list("entry", "citation_en")) == [
        (f.entries[0].pk, "Light.")
    ]


@pytest.mark.parametrize(
    "form",
    [
        {"action": "add", "entry": "abc", "prize": "mention"},
        {"action": "add", "entry": "1", "prize": "abc"},
        {"action": "remove", "decision": "abc"},
    ],
)
def test_decisions_page_answers_a_malformed_form_with_a_message(client, form):
    f = finals()
    client.force_login(f.organizer)

    response = client.post(en("judging:decisions", year=f.cycle.festival_year), form, follow=True)

    assert response.status_code == 200
    assert said(response) == ["Choose an entry of the final round and a prize of this edition."]
    assert not Decision.objects.exists()


# Freezing -----------------------------------------------------------------------------------


def test_freezing_with_an_undecided_prize_is_allowed_with_a_warning_naming_it():
    f = finals()
    give(f, f.entries[0], f.grand)
    give(f, f.entries[1], f.special)  # 1 of its 2 places

    snapshot, warnings = results.results_freeze(cycle=f.cycle, by=f.organizer)

    assert snapshot.version == 1
    assert warnings == ["“Special Prize”: 1 of 2 places awarded."]


def test_freezing_on_the_page_warns_about_the_undecided_prize(client):
    f = finals()
    give(f, f.entries[0], f.grand)  # the special prize: none of its 2 places
    client.force_login(f.organizer)
    url = en("judging:decisions", year=f.cycle.festival_year)

    before = client.get(url)
    frozen = client.post(url, {"action": "freeze"}, follow=True)

    assert "“Special Prize”: 0 of 2 places awarded." in before.content.decode()
    messages = said(frozen)
    assert messages[0].startswith("Results frozen (version 1, checksum ")
    assert messages[1:] == ["“Special Prize”: 0 of 2 places awarded."]
    assert ResultsSnapshot.objects.live().get().version == 1


def test_nothing_to_freeze_without_a_decision():
    f = finals()

    with pytest.raises(JudgingError) as refused:
        results.results_freeze(cycle=f.cycle, by=f.organizer)

    assert refused.value.message == "There is no decision to freeze yet."


def test_the_snapshot_holds_the_decisions_and_its_checksum():
    f = finals()
    give(f, f.entries[0], f.grand, citation_vi="Tinh tế.", citation_en="Subtle.")
    give(f, f.entries[1])  # honourable mention

    snapshot, _warnings = results.results_freeze(cycle=f.cycle, by=f.organizer)

    awards = snapshot.data["awards"]
    assert [(a["kind"], a["entry"]["reference_code"], a["place"]) for a in awards] == [
        ("mention", f.entries[1].reference_code, None),
        ("prize", f.entries[0].reference_code, 1),
    ]
    assert awards[1]["citation"] == {"vi": "Tinh tế.", "en": "Subtle."}
    # The shortlist: the other entries of the final round, without their credits.
    assert [s["entry"]["reference_code"] for s in snapshot.data["shortlist"]] == [
        f.entries[2].reference_code,
        f.entries[3].reference_code,
    ]
    assert snapshot.checksum == results.checksum(snapshot.data)
    assert snapshot.certificates.count() == 2


def test_decisions_cannot_change_after_freezing():
    f = finals()
    decision = give(f, f.entries[0], f.grand)
    results.results_freeze(cycle=f.cycle, by=f.organizer)
    frozen = "The results are frozen. Unfreeze them (this is recorded) to change a decision."

    with pytest.raises(JudgingError) as add:
        give(f, f.entries[1], f.special)
    with pytest.raises(JudgingError) as update:
        results.decision_update(
            decision=decision, by=f.organizer, citation_vi="", citation_en="Changed."
        )
    with pytest.raises(JudgingError) as remove:
        results.decision_remove(decision=decision, by=f.organizer)
    with pytest.raises(JudgingError) as freeze_again:
        results.results_freeze(cycle=f.cycle, by=f.organizer)

    assert [e.value.message for e in (add, update, remove, freeze_again)] == [frozen] * 4
    decision.refresh_from_db()
    assert (Decision.objects.count(), decision.citation_en) == (1, "")


def test_decisions_page_refuses_changes_after_freezing(client):
    f = finals()
    decision = give(f, f.entries[0], f.grand)
    results.results_freeze(cycle=f.cycle, by=f.organizer)
    client.force_login(f.organizer)
    url = en("judging:decisions", year=f.cycle.festival_year)

    page = client.get(url)
    add = client.post(url, {"action": "add", "entry": f.entries[1].pk, "prize": ""}, follow=True)
    remove = client.post(url, {"action": "remove", "decision": decision.pk}, follow=True)

    html = page.content.decode()
    assert "Record the decision" not in html and "Unfreeze the results" in html
    frozen = "The results are frozen. Unfreeze them (this is recorded) to change a decision."
    assert (said(add), said(remove)) == ([frozen], [frozen])
    assert Decision.objects.count() == 1


# Unfreezing ---------------------------------------------------------------------------------


def test_unfreezing_needs_a_reason_and_is_audited():
    f = finals()
    give(f, f.entries[0], f.grand)
    results.results_freeze(cycle=f.cycle, by=f.organizer)

    with pytest.raises(JudgingError) as refused:
        results.results_unfreeze(cycle=f.cycle, by=f.organizer, reason="   ")
    still_frozen = ResultsSnapshot.objects.live().exists()
    results.results_unfreeze(cycle=f.cycle, by=f.organizer, reason="Wrong citation")

    assert refused.value.message == "Say why the results are unfrozen: it is recorded."
    assert still_frozen
    assert not ResultsSnapshot.objects.live().exists()
    event = AuditEvent.objects.get(action=Action.RESULTS_UNFREEZE)
    assert (event.actor, event.data) == (f.organizer, {"version": 1, "reason": "Wrong citation"})


def test_unfreezing_on_the_page_without_a_reason_is_refused(client):
    f = finals()
    give(f, f.entries[0], f.grand)
    results.results_freeze(cycle=f.cycle, by=f.organizer)
    client.force_login(f.organizer)
    url = en("judging:decisions", year=f.cycle.festival_year)

    refused = client.post(url, {"action": "unfreeze", "reason": ""}, follow=True)
    done = client.post(url, {"action": "unfreeze", "reason": "A typo"}, follow=True)

    assert said(refused) == ["Say why the results are unfrozen: it is recorded."]
    assert said(done) == ["Results unfrozen: decisions can change again."]


def test_a_new_freeze_after_unfreezing_is_a_new_version_and_old_certificates_stop_verifying(
    client,
):
    f = finals()
    decision = give(f, f.entries[0], f.grand)
    first, _w = results.results_freeze(cycle=f.cycle, by=f.organizer)
    old_code = first.certificates.get().code
    results.results_unfreeze(cycle=f.cycle, by=f.organizer, reason="Citation")
    results.decision_update(
        decision=decision, by=f.organizer, citation_vi="Mới.", citation_en="New."
    )

    second, _w = results.results_freeze(cycle=f.cycle, by=f.organizer)
    publish_time_passed(f)
    results.results_publish(cycle=f.cycle)
    new_code = second.certificates.get().code

    assert (first.version, second.version) == (1, 2)
    assert second.data["awards"][0]["citation"] == {"vi": "Mới.", "en": "New."}
    assert first.checksum != second.checksum
    assert client.get(en("judging:verify", code=old_code)).status_code == 404
    assert client.get(en("judging:verify", code=new_code)).status_code == 200
    assert [e.data["version"] for e in AuditEvent.objects.filter(action="results.freeze")] == [
        2,
        1,
    ]  # newest first


def test_published_results_cannot_be_unfrozen_nor_changed():
    f = finals()
    decision = give(f, f.entries[0], f.grand)
    results.results_freeze(cycle=f.cycle, by=f.organizer)
    results.results_publish(cycle=f.cycle, now=f.cycle.results_publish_at)

    with pytest.raises(JudgingError) as unfreeze:
        results.results_unfreeze(cycle=f.cycle, by=f.organizer, reason="Oops")
    with pytest.raises(JudgingError) as remove:
        results.decision_remove(decision=decision, by=f.organizer)

    assert unfreeze.value.message == "Published results cannot be unfrozen."
    assert remove.value.message == "The results are published: decisions can no longer change."


# Publication --------------------------------------------------------------------------------


def frozen(f):
    give(f, f.entries[0], f.grand)
    give(f, f.entries[1])
    snapshot, _warnings = results.results_freeze(cycle=f.cycle, by=f.organizer)
    return snapshot


def test_publishing_before_the_publish_time_is_refused():
    f = finals()
    frozen(f)
    when = f.cycle.results_publish_at

    with pytest.raises(results.NotYet) as refused:
        results.results_publish(cycle=f.cycle, now=when - timedelta(seconds=1))

    local = timezone.localtime(when).strftime("%Y-%m-%d %H:%M")
    assert refused.value.message == f"The results are under embargo until {local} (Hanoi time)."
    assert ResultsSnapshot.objects.get().published_at is None
    assert not ResultNotice.objects.exists()
    assert results.published_snapshot(f.cycle, now=when + timedelta(days=1)) is None


def test_publishing_needs_a_frozen_snapshot():
    f = finals()
    give(f, f.entries[0], f.grand)

    with pytest.raises(JudgingError) as refused:
        results.results_publish(cycle=f.cycle, now=f.cycle.results_publish_at)

    assert refused.value.message == "Freeze the results before publishing them."


def test_publish_due_publishes_at_the_first_run_after_the_time_not_before():
    f = finals()
    snapshot = frozen(f)
    when = f.cycle.results_publish_at
    late = when + timedelta(hours=3)  # the worker was down at the time

    early = results.publish_due(now=when - timedelta(seconds=1))
    on_time = results.publish_due(now=late)
    after = results.publish_due(now=late + timedelta(minutes=1))

    snapshot.refresh_from_db()
    f.cycle.refresh_from_db()
    assert (early, on_time, after) == ([], [f.cycle], [])
    assert snapshot.published_at == late == f.cycle.results_published_at
    assert AuditEvent.objects.filter(action=Action.RESULTS_PUBLISH).count() == 1


def test_publishing_twice_publishes_one_snapshot_and_one_set_of_notices():
    f = finals()
    snapshot = frozen(f)
    publish_time_passed(f)

    with TestCase.captureOnCommitCallbacks(execute=True):
        first = results.results_publish(cycle=f.cycle)
    with TestCase.captureOnCommitCallbacks(execute=True):
        second = results.results_publish(cycle=f.cycle, by=f.organizer)
    resent = send_result_notices.call(cycle_id=f.cycle.pk)

    assert first.pk == second.pk == snapshot.pk
    assert ResultsSnapshot.objects.published().count() == 1
    assert AuditEvent.objects.filter(action=Action.RESULTS_PUBLISH).count() == 1
    assert ResultNotice.objects.count() == 6  # every entry of round 1
    assert (len(mail.outbox), resent) == (6, 0)


def test_the_scheduled_task_and_a_manual_publish_publish_once(client):
    f = finals()
    frozen(f)
    publish_time_passed(f)
    client.force_login(f.organizer)
    url = en("judging:decisions", year=f.cycle.festival_year)
    before = client.get(url)

    with TestCase.captureOnCommitCallbacks(execute=True):
        publish_results.call(cycle_id=f.cycle.pk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        manual = client.post(
            url, {"action": "publish", "confirm_year": str(f.cycle.festival_year)}, follow=True
        )

    assert "Publish the results" in before.content.decode()
    assert said(manual) == ["The results are published."]
    assert AuditEvent.objects.filter(action=Action.RESULTS_PUBLISH).count() == 1
    assert len(mail.outbox) == ResultNotice.objects.count() == 6


def test_manual_publish_asks_for_the_year_and_waits_for_the_time(client):
    f = finals()
    frozen(f)
    client.force_login(f.organizer)
    url = en("judging:decisions", year=f.cycle.festival_year)

    page = client.get(url)
    wrong_year = client.post(url, {"action": "publish", "confirm_year": "1999"}, follow=True)
    too_early = client.post(
        url, {"action": "publish", "confirm_year": str(f.cycle.festival_year)}, follow=True
    )

    assert "Publish the results" not in page.content.decode()  # not before the time
    assert said(wrong_year) == [
        f"Type the edition's year ({f.cycle.festival_year}) to confirm the publication."
    ]
    assert said(too_early)[0].startswith("The results are under embargo until ")
    assert ResultsSnapshot.objects.published(now=f.cycle.results_publish_at).count() == 0


def test_the_task_finding_the_publish_time_moved_later_waits_for_the_new_time():
    f = finals()
    frozen(f)
    later = f.cycle.results_publish_at + timedelta(days=1)
    AwardCycle.objects.filter(pk=f.cycle.pk).update(results_publish_at=later)

    publish_results.call(cycle_id=f.cycle.pk)  # queued for the old time, runs now

    assert ResultsSnapshot.objects.get().published_at is None
    # The immediate backend cannot defer: the per-minute command is the safety net.
    with TestCase.captureOnCommitCallbacks(execute=True):
        results.schedule_publication(f.cycle)
    assert ResultsSnapshot.objects.get().published_at is None


def test_the_task_is_queued_again_for_the_new_time_on_a_deferring_backend(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    f = finals()
    with TestCase.captureOnCommitCallbacks(execute=True):
        frozen(f)
    queued_at_freeze = list(DBTaskResult.objects.values_list("run_after", flat=True))
    later = f.cycle.results_publish_at + timedelta(days=1)
    AwardCycle.objects.filter(pk=f.cycle.pk).update(results_publish_at=later)

    publish_results.call(cycle_id=f.cycle.pk)

    assert queued_at_freeze == [f.cycle.results_publish_at]
    assert sorted(DBTaskResult.objects.values_list("run_after", flat=True)) == [
        f.cycle.results_publish_at,
        later,
    ]
    assert ResultsSnapshot.objects.get().published_at is None


def test_the_task_queued_at_a_freeze_that_was_undone_does_nothing():
    f = finals()
    frozen(f)  # queued for the publish time…
    results.results_unfreeze(cycle=f.cycle, by=f.organizer, reason="A citation")
    publish_time_passed(f)

    publish_results.call(cycle_id=f.cycle.pk)  # …and it comes: nothing frozen, nothing to do

    assert not ResultsSnapshot.objects.published().exists()
    assert not AuditEvent.objects.filter(action=Action.RESULTS_PUBLISH).exists()


def test_publish_due_results_command_says_what_it_did():
    f = finals()
    frozen(f)

    from io import StringIO

    nothing, published = StringIO(), StringIO()
    call_command("publish_due_results", stdout=nothing)
    publish_time_passed(f)
    call_command("publish_due_results", stdout=published)

    assert nothing.getvalue() == "nothing due\n"
    assert published.getvalue() == f"published the results of {f.cycle.festival_year}\n"


# Result notices -----------------------------------------------------------------------------


def test_each_creator_gets_one_notice_with_their_outcome_and_none_for_excluded_entries():
    f = finals(entries=6, advanced=4)
    winner, mention, shortlisted, withdrawn, not_selected, disqualified = f.entries
    give(f, winner, f.grand)
    give(f, mention)
    results.results_freeze(cycle=f.cycle, by=f.organizer)
    set_status(withdrawn, status="withdrawn")
    set_status(disqualified, screening="disqualified")
    publish_time_passed(f)

    with TestCase.captureOnCommitCallbacks(execute=True):
        results.results_publish(cycle=f.cycle)
    send_result_notices.call(cycle_id=f.cycle.pk)  # a second worker: sends nothing more

    assert dict(ResultNotice.objects.values_list("entry", "outcome")) == {
        winner.pk: "winner",
        mention.pk: "mention",
        shortlisted.pk: "shortlisted",
        not_selected.pk: "not_selected",
    }
    assert ResultNotice.objects.filter(sent_at__isnull=True).count() == 0
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_recipient) == sorted(
        e.owner.email for e in (winner, mention, shortlisted, not_selected)
    )
    assert len(mail.outbox) == 4


@pytest.mark.parametrize(
    ("outcome", "vietnamese", "english"),
    [
        (
            "winner",
            "Xin chúc mừng: tác phẩm của bạn đã đoạt “Giải Nhất”.",
            "Congratulations: your entry has won “Grand Prize”.",
        ),
        (
            "mention",
            "Ban giám khảo đã trao cho tác phẩm của bạn giải khuyến khích.",
            "the jury has given your entry an honourable mention.",
        ),
        (
            "shortlisted",
            "Tác phẩm của bạn đã được Ban giám khảo chọn vào vòng chung khảo.",
            "Your entry was shortlisted by the jury for the final round.",
        ),
        (
            "not_selected",
            "Lần này tác phẩm của bạn chưa được chọn trao giải.",
            "Your entry was not selected for an award this time.",
        ),
    ],
)
def test_a_notice_says_its_outcome_in_vietnamese_and_english(outcome, vietnamese, english):
    f = finals(entries=6, advanced=4)
    entries = {"winner": 0, "mention": 1, "shortlisted": 2, "not_selected": 4}
    give(f, f.entries[0], f.grand)
    give(f, f.entries[1])
    results.results_freeze(cycle=f.cycle, by=f.organizer)
    publish_time_passed(f)
    entry = f.entries[entries[outcome]]

    with TestCase.captureOnCommitCallbacks(execute=True):
        results.results_publish(cycle=f.cycle)

    [message] = [m for m in mail.outbox if m.to == [entry.owner.email]]
    year, code = f.cycle.festival_year, entry.reference_code
    assert message.subject == (
        f"Giải thưởng Thiết kế sáng tạo Hà Nội {year}: kết quả của {code} / "
        f"Hanoi Creative Design Award {year}: the result for {code}"
    )
    assert vietnamese in message.body and english in message.body
    html = message.alternatives[0][0]
    assert vietnamese in html and english in html
    assert ("Grand Prize" in message.body) is (outcome == "winner")


def test_no_notice_is_sent_before_publication_whatever_queues_it():
    f = finals()
    frozen(f)

    sent = send_result_notices.call(cycle_id=f.cycle.pk)

    assert (sent, len(mail.outbox), ResultNotice.objects.count()) == (0, 0, 0)


# Advancement --------------------------------------------------------------------------------


def scored_round(totals: dict[str, list[float]], codes=("ARC",)):
    """Round 1 with entries per category scored by one juror per category (3+ scores each),
    then closed; round 2 set up and empty."""
    jury = panel(entries=0, jurors="")
    categories = {"ARC": jury.arc}
    for code in codes:
        if code not in categories:
            categories[code] = CategoryFactory(cycle=jury.cycle, code=code)
    jury.round.categories.set(categories.values())
    entries = {}
    for code, values in totals.items():
        juror = JurorFactory(cycle=jury.cycle, categories=[categories[code]], name=f"Juror {code}")
        for n, total in enumerate(values, start=1):
            entry = submitted_entry(categories[code], number=n)
            jury.round.round_entries.create(entry=entry)
            card(jury.round, juror, entry, total)
            entries[f"{code}-{n}"] = entry
    organizer = OrganizerFactory()
    services.round_close(round_=jury.round, by=organizer)
    final = RoundFactory(cycle=jury.cycle, number=2, name_en="Final", categories=[jury.arc])
    return SimpleNamespace(
        cycle=jury.cycle, round=jury.round, final=final, entries=entries, organizer=organizer
    )


def codes(rows) -> list[str]:
    return [s.reference_code.split("-", 1)[1] for s in rows]


def test_top_n_per_category_keeps_every_entry_tied_at_the_boundary():
    r = scored_round({"ARC": [9, 8, 7, 7, 5], "GRA": [9, 6, 4]}, codes=("ARC", "GRA"))

    chosen = results.select_for_advance(round_standings(r.round), mode="top", top=3)

    # ARC: 9, 8, then 7 and 7 tied for third: both go. GRA: its own top 3.
    assert sorted(codes(chosen)) == [
        "ARC-0001",
        "ARC-0002",
        "ARC-0003",
        "ARC-0004",
        "GRA-0001",
        "GRA-0002",
        "GRA-0003",
    ]


def test_top_n_per_category_ranks_within_the_category():
    r = scored_round({"ARC": [9, 8.5, 8], "GRA": [5, 4, 3, 2]}, codes=("ARC", "GRA"))

    chosen = results.select_for_advance(round_standings(r.round), mode="top", top=2)

    # GRA's best is 8th-ranked over the whole round, but 1st in its category.
    assert sorted(codes(chosen)) == ["ARC-0001", "ARC-0002", "GRA-0001", "GRA-0002"]


def test_a_cut_takes_every_entry_at_or_above_it():
    r = scored_round({"ARC": [9, 7.5, 7, 6.5]})

    chosen = results.select_for_advance(round_standings(r.round), mode="cut", cut=7.0)

    assert codes(chosen) == ["ARC-0001", "ARC-0002", "ARC-0003"]


def test_a_disqualified_entry_is_not_in_the_standings_nor_picked_for_advancement():
    r = scored_round({"ARC": [9, 8, 7, 6]})
    set_status(r.entries["ARC-1"], screening="disqualified")

    table = round_standings(r.round)
    chosen = results.select_for_advance(table, mode="top", top=2)
    results.round_advance(
        round_=r.round, entry_ids=[s.entry_id for s in chosen], by=r.organizer, rule="top 2"
    )

    assert codes(table.entries) == ["ARC-0002", "ARC-0003", "ARC-0004"]
    assert codes(chosen) == ["ARC-0002", "ARC-0003"]


def test_advancing_writes_the_next_rounds_list_once_and_audits_it():
    r = scored_round({"ARC": [9, 8, 7]})
    picked = [r.entries["ARC-1"], r.entries["ARC-3"]]  # by hand

    following = results.round_advance(
        round_=r.round, entry_ids=[e.pk for e in picked], by=r.organizer, rule="picked by hand"
    )
    with pytest.raises(JudgingError) as twice:
        results.round_advance(
            round_=r.round, entry_ids=[r.entries["ARC-2"].pk], by=r.organizer, rule="again"
        )

    assert following == r.final
    assert set(RoundEntry.objects.filter(round=r.final).values_list("entry", "source")) == {
        (picked[0].pk, "advanced"),
        (picked[1].pk, "advanced"),
    }
    r.final.refresh_from_db()
    when = timezone.localtime(r.final.entries_frozen_at).strftime("%Y-%m-%d %H:%M")
    assert twice.value.message == f"The entries of Final were chosen on {when} and are frozen."
    event = AuditEvent.objects.get(action=Action.ROUND_ADVANCE)
    assert event.data == {
        "source_round": r.round.pk,
        "rule": "picked by hand",
        "entries": sorted(e.reference_code for e in picked),
    }


def test_advancing_is_refused_while_the_round_is_open():
    jury = panel(entries=3, jurors="A")
    RoundFactory(cycle=jury.cycle, number=2, name_en="Final")

    with pytest.raises(JudgingError) as refused:
        results.round_advance(
            round_=jury.round, entry_ids=[jury.entries[0].pk], by=None, rule="top 1"
        )

    assert refused.value.message == (
        "Close Round 1 before advancing entries: its scores can still change."
    )
    assert not RoundEntry.objects.filter(round__number=2).exists()


def test_advancing_needs_a_next_round():
    jury = panel(entries=1, jurors="A")
    services.round_close(round_=jury.round, by=None)

    with pytest.raises(JudgingError) as refused:
        results.round_advance(
            round_=jury.round, entry_ids=[jury.entries[0].pk], by=None, rule="top 1"
        )

    assert (
        refused.value.message
        == "Set up round 2 first (in the admin); then advance entries into it."
    )


@pytest.mark.parametrize("problem", ["not in the round", "withdrawn", "disqualified"])
def test_only_entries_of_the_round_still_eligible_can_advance(problem):
    r = scored_round({"ARC": [9, 8, 7]})
    entry = r.entries["ARC-2"]
    if problem == "not in the round":
        entry = submitted_entry(entry.category, number=9)
    else:
        set_status(
            entry, **({"status": problem} if problem == "withdrawn" else {"screening": problem})
        )

    with pytest.raises(JudgingError) as refused:
        results.round_advance(
            round_=r.round,
            entry_ids=[r.entries["ARC-1"].pk, entry.pk],
            by=r.organizer,
            rule="by hand",
        )

    assert refused.value.message == (
        "Only entries judged in this round, and still eligible, can advance: "
        f"{entry.reference_code}."
    )
    assert not RoundEntry.objects.filter(round=r.final).exists()
    r.final.refresh_from_db()
    assert r.final.entries_frozen_at is None


def test_advancing_through_the_pages_reviews_then_confirms(client):
    r = scored_round({"ARC": [9, 8, 8, 5]})
    client.force_login(r.organizer)
    url = en("judging:advance", round_id=r.round.pk)

    review = client.post(url, {"mode": "top", "top": "2"})
    nothing_yet = RoundEntry.objects.filter(round=r.final).count()
    chosen_ids = [s.entry_id for s in review.context["chosen"]]
    confirm = client.post(
        url, {"mode": "top", "top": "2", "entry": chosen_ids, "confirm": "1"}, follow=True
    )

    html = review.content.decode()
    assert review.status_code == 200
    assert codes(review.context["chosen"]) == ["ARC-0001", "ARC-0002", "ARC-0003"]  # tie kept
    assert "Some of these entries are tied with others" in html
    assert nothing_yet == 0
    assert confirm.redirect_chain[-1][0] == r.final.get_organizer_url()
    assert said(confirm) == ["3 entries advance to Final; its list is frozen."]
    assert set(RoundEntry.objects.filter(round=r.final).values_list("entry", flat=True)) == set(
        chosen_ids
    )
    assert AuditEvent.objects.get(action=Action.ROUND_ADVANCE).data["rule"] == "top 2 per category"


def test_advancing_by_hand_through_the_pages_takes_exactly_the_ticked_entries(client):
    r = scored_round({"ARC": [9, 8, 7, 5]})
    client.force_login(r.organizer)
    url = en("judging:advance", round_id=r.round.pk)
    ticked = [r.entries["ARC-1"].pk, r.entries["ARC-4"].pk]

    review = client.post(url, {"mode": "hand", "entry": ticked})
    client.post(url, {"mode": "hand", "entry": ticked, "confirm": "1"})

    assert codes(review.context["chosen"]) == ["ARC-0001", "ARC-0004"]
    assert set(RoundEntry.objects.filter(round=r.final).values_list("entry", flat=True)) == set(
        ticked
    )


def test_the_standings_page_offers_advancement_only_once_the_round_is_closed(client):
    jury = panel(entries=1, jurors="A")
    RoundFactory(cycle=jury.cycle, number=2, name_en="Final")
    client.force_login(OrganizerFactory())
    url = en("judging:standings", round_id=jury.round.pk)

    open_round = client.get(url).content.decode()
    services.round_close(round_=jury.round, by=None)
    closed_round = client.get(url).content.decode()

    assert "Close this round first: its scores can still change." in open_round
    assert "Review the selection" not in open_round
    assert "Review the selection" in closed_round


def test_a_failing_email_leaves_the_notices_already_sent_marked_so_none_goes_twice():
    from unittest import mock

    from django.core.mail import EmailMultiAlternatives

    f = finals(entries=6, advanced=4)
    give(f, f.entries[0], f.grand)
    results.results_freeze(cycle=f.cycle, by=f.organizer)
    publish_time_passed(f)
    results.results_publish(cycle=f.cycle)  # the notices exist; their task has not run
    notices = ResultNotice.objects.filter(cycle=f.cycle).count()
    real_send = EmailMultiAlternatives.send
    calls = []

    def send_failing_third(message, *args, **kwargs):  # the mail server, outside the process
        calls.append(message)
        if len(calls) == 3:
            raise ConnectionRefusedError("SMTP server went away")
        return real_send(message, *args, **kwargs)

    with (
        mock.patch.object(EmailMultiAlternatives, "send", send_failing_third),
        pytest.raises(ConnectionRefusedError),
    ):
        send_result_notices.call(cycle_id=f.cycle.pk)
    assert ResultNotice.objects.filter(sent_at__isnull=False).count() == 2

    send_result_notices.call(cycle_id=f.cycle.pk)  # the next run sends the rest, once

    assert len(mail.outbox) == notices
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ResultNotice.objects.values_list("entry__owner__email", flat=True)
    )

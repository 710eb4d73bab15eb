"""The audit trail is append-only and hash-chained: real service calls leave an intact chain,
`verify_audit` finds the first broken link after any edit, deletion or insertion, and
organizers can read the history but nobody can change it."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils import translation

from awards.actions import Action
from awards.models import AuditEvent, audit_hash
from awards.services import audit_record, audit_verify
from judging import results, services
from judging.models import Assignment
from submissions.services import entry_screen
from tests.factories import OrganizerFactory, PrizeFactory, RoundFactory
from tests.judging.scoring import panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def jury(db):
    """Round 1 open with four entries of ARC, three jurors, two per entry, assigned."""
    jury = panel(entries=4, jurors="ABC")
    services.round_assign(round_=jury.round, by=None)
    return jury


def en(name, **kwargs):
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def broken() -> CommandError:
    with pytest.raises(CommandError) as failed:
        verify()
    return failed.value


def a_whole_edition(jury) -> SimpleNamespace:
    """Scores, advancement, decisions, freeze, unfreeze, a new freeze and publication, each
    through its service, as the pages and tasks call them."""
    organizer = OrganizerFactory()
    entry_screen(entry=jury.entries[0], by=organizer, decision="eligible")
    for assignment in Assignment.objects.filter(round=jury.round).select_related("juror__user"):
        criteria = {str(c.pk): "7.5" for c in jury.round.criteria.all()}
        services.scorecard_save(
            assignment=assignment, user=assignment.juror.user, values=criteria, submit=True
        )
    services.round_close(round_=jury.round, by=organizer)
    RoundFactory(cycle=jury.cycle, number=2, name_en="Final", categories=[jury.arc])
    results.round_advance(
        round_=jury.round, entry_ids=[e.pk for e in jury.entries[:2]], by=organizer, rule="top 2"
    )
    prize = PrizeFactory(cycle=jury.cycle, name_en="Grand Prize")
    decision = results.decision_add(
        cycle=jury.cycle, entry=jury.entries[0], prize=prize, by=organizer
    )
    results.decision_update(
        decision=decision, by=organizer, citation_vi="Hay.", citation_en="Fine."
    )
    results.decision_add(cycle=jury.cycle, entry=jury.entries[1], by=organizer)
    results.results_freeze(cycle=jury.cycle, by=organizer)
    results.results_unfreeze(cycle=jury.cycle, by=organizer, reason="A citation")
    results.results_freeze(cycle=jury.cycle, by=organizer)
    results.results_publish(cycle=jury.cycle, now=jury.cycle.results_publish_at)
    return SimpleNamespace(organizer=organizer, prize=prize)


def test_the_chain_is_intact_after_a_whole_edition_of_real_service_calls(jury):
    a_whole_edition(jury)

    count, first_broken = audit_verify()

    assert (count, first_broken) == (AuditEvent.objects.count(), None)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        Action.ENTRY_SCREEN,
        Action.ROUND_ASSIGN,
        Action.SCORECARD_SAVE,
        Action.ROUND_CLOSE,
        Action.ROUND_ADVANCE,
        Action.DECISION_ADD,
        Action.DECISION_UPDATE,
        Action.RESULTS_FREEZE,
        Action.RESULTS_UNFREEZE,
        Action.RESULTS_PUBLISH,
    } <= actions
    # Every score is in it with its values: 4 entries × 2 jurors.
    saves = AuditEvent.objects.filter(action=Action.SCORECARD_SAVE)
    assert saves.count() == 8
    assert {e.data["status"] for e in saves} == {"submitted"}
    head = AuditEvent.objects.order_by("-pk").first()
    assert verify() == f"intact: {AuditEvent.objects.count()} events; head {head.pk}:{head.hash}\n"


def test_each_event_seals_the_one_before_it(jury):
    events = list(AuditEvent.objects.order_by("pk"))
    audit_record(actor=None, action=Action.ROUND_CLOSE, obj=jury.round)

    last = AuditEvent.objects.order_by("pk").last()

    assert last.prev_hash == events[-1].hash
    assert last.hash == audit_hash(
        last.prev_hash,
        None,
        "round.close",
        "judging.round",
        str(jury.round.pk),
        {},
        last.created_at,
    )


def test_an_empty_trail_is_intact():
    assert verify() == "intact: 0 events\n"


def chain_of(count: int, jury) -> list[AuditEvent]:
    AuditEvent.objects.all().delete()  # the fixture's own events: start from a known chain
    for n in range(count):
        audit_record(actor=None, action=Action.ROUND_RANKING, obj=jury.round, n=n)
    return list(AuditEvent.objects.order_by("pk"))


def test_an_edited_event_is_the_first_broken_link(jury):
    events = chain_of(5, jury)
    # Somebody with database access changes what event 3 says, as a raw UPDATE would.
    AuditEvent.objects.filter(pk=events[2].pk).update(data={"n": 99})

    error = broken()

    assert str(error).startswith(f"broken at event #{events[2].pk} (")
    assert "after 2 intact events" in str(error)
    assert error.returncode == 1  # manage.py exits with it


def test_an_event_edited_by_raw_sql_is_found(jury):
    events = chain_of(5, jury)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE awards_auditevent SET action = %s WHERE id = %s",
            ["results.publish", events[3].pk],
        )

    error = broken()

    assert str(error).startswith(f"broken at event #{events[3].pk} (")


def test_an_event_whose_hash_was_recomputed_breaks_the_next_link(jury):
    events = chain_of(5, jury)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.data = {"n": 99}
    forged.hash = forged.content_hash()  # a careful forger seals the edit again
    AuditEvent.objects.filter(pk=forged.pk).update(data=forged.data, hash=forged.hash)

    error = broken()

    assert str(error).startswith(f"broken at event #{events[2].pk} (")


def test_a_deleted_event_breaks_the_link_after_it(jury):
    events = chain_of(5, jury)
    AuditEvent.objects.filter(pk=events[2].pk).delete()

    error = broken()

    assert str(error).startswith(f"broken at event #{events[3].pk} (")
    assert "after 2 intact events" in str(error)


def test_an_event_inserted_in_the_middle_breaks_the_link_after_it(jury):
    events = chain_of(5, jury)
    # Make room after event 2 (ids are not part of the hash), then insert an event that is
    # itself correctly sealed onto event 2: the forgery shows at the next real event.
    AuditEvent.objects.filter(pk__gt=events[1].pk).update(id=F("id") + 1000)
    inserted = AuditEvent(
        id=events[1].pk + 1,
        actor=None,
        action=Action.DECISION_ADD,
        object_type="awards.awardcycle",
        object_id=str(jury.cycle.pk),
        data={"entry": "HCDA-FORGED"},
        prev_hash=events[1].hash,
    )
    inserted.hash = inserted.content_hash()
    inserted.save(force_insert=True)

    error = broken()

    assert str(error).startswith(f"broken at event #{events[2].pk + 1000} (")
    assert "after 3 intact events" in str(error)


# Reading, never editing ---------------------------------------------------------------------


def test_nobody_can_add_change_or_delete_an_event_in_the_admin(client, people):
    event = audit_record(actor=None, action=Action.CYCLE_ANNOUNCE, obj=people.organizer)
    superuser = OrganizerFactory(is_superuser=True)

    for who in (people.organizer, superuser):
        client.force_login(who)
        listed = client.get(en("admin:awards_auditevent_changelist"))
        add = client.get(en("admin:awards_auditevent_add"))
        change = client.post(
            en("admin:awards_auditevent_change", object_id=event.pk), {"action": "forged"}
        )
        delete = client.post(
            en("admin:awards_auditevent_delete", object_id=event.pk), {"post": "yes"}
        )
        bulk_delete = client.post(
            en("admin:awards_auditevent_changelist"),
            {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
        )

        assert listed.status_code == 200
        assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
        assert bulk_delete.status_code in (200, 302)  # the action is not offered at all
    event.refresh_from_db()
    assert event.action == "cycle.announce"
    assert AuditEvent.objects.count() == 1


def test_the_organizer_entry_page_shows_the_entrys_history(client, jury):
    organizer = OrganizerFactory()
    entry = jury.entries[0]
    entry_screen(entry=entry, by=organizer, decision="eligible")
    client.force_login(organizer)

    with translation.override("en"):
        response = client.get(entry.get_organizer_url())

    history = [e.action for e in response.context["history"]]
    assert history == ["entry.screen"]
    # In the reader's words and language, never the code.
    assert f"Entry screened · {organizer.email}" in response.content.decode()
    with translation.override("vi"):
        vietnamese = client.get(entry.get_organizer_url()).content.decode()
    assert f"Thẩm định hồ sơ · {organizer.email}" in vietnamese
    assert "entry.screen" not in vietnamese


def test_the_round_board_shows_the_rounds_history(client, jury):
    organizer = OrganizerFactory()
    assignment = Assignment.objects.filter(round=jury.round).select_related("juror", "entry")[0]
    services.scorecard_save(
        assignment=assignment,
        user=assignment.juror.user,
        values={str(c.pk): "8" for c in jury.round.criteria.all()},
        submit=True,
    )
    services.round_close(round_=jury.round, by=organizer)
    client.force_login(organizer)

    response = client.get(en("judging:organize_round", round_id=jury.round.pk))

    html = response.content.decode()
    assert [e.action for e in response.context["history"]] == [
        "round.close",
        "scorecard.save",
        "round.assign",
    ]
    assert f"Round closed · {organizer.email}" in html
    # A score says whose and for which entry (organizers see who judged what).
    assert (
        f"Scores saved · {assignment.juror.user.email} · "
        f"{assignment.entry.reference_code} · {assignment.juror.name}"
    ) in html


def test_every_audit_action_has_a_label_in_both_languages():
    for action in Action:
        with translation.override("en"):
            english = str(action.label)
        with translation.override("vi"):
            vietnamese = str(action.label)
        assert action.value not in (english, vietnamese)
        assert vietnamese != english, action


def test_the_round_boards_history_costs_the_same_queries_for_few_and_many_events(
    client, jury, django_assert_max_num_queries
):
    client.force_login(OrganizerFactory())
    url = en("judging:organize_round", round_id=jury.round.pk)
    assignments = list(Assignment.objects.filter(round=jury.round).select_related("juror__user"))
    criteria = {str(c.pk): "6" for c in jury.round.criteria.all()}
    counts = []
    for batch in (assignments[:1], assignments[1:]):
        for assignment in batch:  # a score per assignment: events naming other entries, jurors
            services.scorecard_save(
                assignment=assignment, user=assignment.juror.user, values=criteria
            )
        with django_assert_max_num_queries(30) as captured:
            response = client.get(url)
        counts.append(len(captured.captured_queries))

    assert len(response.context["history"]) == 1 + len(assignments)
    assert counts[0] == counts[1]


def test_removing_the_newest_events_is_caught_against_a_head_kept_elsewhere(jury):
    a_whole_edition(jury)
    head = verify().split("head ")[1].strip()
    pk, digest = head.split(":")
    newest_event = AuditEvent.objects.order_by("-pk").first()
    assert (newest_event.pk, newest_event.hash) == (int(pk), digest)

    # A chain alone cannot show it: nothing comes after the removed events.
    newest = AuditEvent.objects.filter(pk__gte=int(pk) - 2)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AuditEvent._meta.db_table} WHERE id IN ({','.join(str(e.pk) for e in newest)})"
        )
    assert verify().startswith("intact:")

    with pytest.raises(CommandError) as failed:
        call_command("verify_audit", "--expect", head, stdout=StringIO())
    assert f"event #{pk} of an earlier head is gone" in str(failed.value)


def test_an_earlier_head_still_in_place_passes_and_a_malformed_one_is_explained(jury):
    a_whole_edition(jury)
    head = verify().split("head ")[1].strip()
    audit_record(actor=None, action=Action.CYCLE_ANNOUNCE, obj=jury.cycle)

    out = StringIO()
    call_command("verify_audit", "--expect", head, stdout=out)
    assert "1 earlier head(s) still in place" in out.getvalue()
    with pytest.raises(CommandError) as failed:
        call_command("verify_audit", "--expect", "12:abc", stdout=StringIO())
    assert "ID:HASH" in str(failed.value)

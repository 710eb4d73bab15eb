from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from awards.models import AuditEvent, AwardCycle
from tests.factories import CategoryFactory, DraftCycleFactory, PrizeFactory, open_cycle_dates

pytestmark = pytest.mark.django_db


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs)


def cycle_form(**changes):
    dates = open_cycle_dates(festival_year=2030)
    data = {
        "festival_year": dates["festival_year"],
        "theme_vi": "Làng nghề giữa đô thị",
        "theme_en": "Craft Villages in the Metropolis",
        "theme_statement_vi": "Quanh Hà Nội có hơn một nghìn làng nghề.",
        "theme_statement_en": "More than a thousand craft villages surround Hanoi.",
        "categories-TOTAL_FORMS": "0",
        "categories-INITIAL_FORMS": "0",
        "prizes-TOTAL_FORMS": "0",
        "prizes-INITIAL_FORMS": "0",
    }
    for field, value in dates.items():
        if field != "festival_year":
            local = value.astimezone(value.tzinfo)
            data[f"{field}_0"] = local.strftime("%Y-%m-%d")
            data[f"{field}_1"] = local.strftime("%H:%M:%S")
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("creator", 302), ("organizer", 200)]
)
def test_edition_admin_by_role(client, people, who, status):
    if who != "anonymous":
        client.force_login(getattr(people, who))

    response = client.get(url("admin:awards_awardcycle_add"))

    assert response.status_code == status
    if status == 302:
        assert "/admin/login/" in response["Location"]


def test_organizer_creates_an_edition_as_a_draft(client, people):
    client.force_login(people.organizer)

    response = client.post(url("admin:awards_awardcycle_add"), cycle_form())

    assert response.status_code == 302
    cycle = AwardCycle.objects.get(festival_year=2030)
    assert cycle.status == AwardCycle.Status.DRAFT


@pytest.mark.parametrize(
    ("lang", "changes", "field", "message"),
    [
        ("en", {"festival_year": "2031"}, "festival_year", "The festival is held in even years"),
        ("vi", {"festival_year": "2031"}, "festival_year", "năm chẵn"),
    ],
)
def test_admin_explains_rule_violations_in_each_language(
    client, people, lang, changes, field, message
):
    client.force_login(people.organizer)

    response = client.post(url("admin:awards_awardcycle_add", lang), cycle_form(**changes))

    assert response.status_code == 200
    assert any(message in error for error in response.context["adminform"].form.errors[field])
    assert not AwardCycle.objects.exists()


def test_admin_shows_a_date_order_error_beside_the_date(client, people):
    client.force_login(people.organizer)
    dates = open_cycle_dates(festival_year=2030)
    too_early = dates["submissions_open_at"] - timedelta(days=1)

    response = client.post(
        url("admin:awards_awardcycle_add"),
        cycle_form(
            submissions_close_at_0=too_early.strftime("%Y-%m-%d"), submissions_close_at_1="12:00:00"
        ),
    )

    errors = response.context["adminform"].form.errors
    assert errors["submissions_close_at"] == ["The deadline must be after submissions open."]


def test_announce_action_refuses_an_edition_without_categories(client, people):
    cycle = DraftCycleFactory()
    client.force_login(people.organizer)

    client.post(
        url("admin:awards_awardcycle_changelist"),
        {"action": "announce", "_selected_action": [cycle.pk]},
    )

    cycle.refresh_from_db()
    assert cycle.status == AwardCycle.Status.DRAFT


def test_announce_action_announces_and_audits(client, people):
    cycle = DraftCycleFactory()
    CategoryFactory(cycle=cycle)
    PrizeFactory(cycle=cycle)
    client.force_login(people.organizer)

    client.post(
        url("admin:awards_awardcycle_changelist"),
        {"action": "announce", "_selected_action": [cycle.pk]},
    )

    cycle.refresh_from_db()
    assert cycle.status == AwardCycle.Status.ANNOUNCED
    assert cycle.announced_at is not None
    event = AuditEvent.objects.get(object_type="awards.awardcycle", object_id=str(cycle.pk))
    assert (event.action, event.actor) == ("cycle.announce", people.organizer)


def test_status_cannot_be_typed_in_the_form(client, people):
    cycle = DraftCycleFactory()
    client.force_login(people.organizer)

    response = client.get(url("admin:awards_awardcycle_change", object_id=cycle.pk))

    assert 'name="status"' not in response.content.decode()

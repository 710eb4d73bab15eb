"""Where sign-in lands: organizer → juror of a live edition → creator (profile first)."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import CreatorFactory, JurorFactory, OrganizerFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name):
    with translation.override("en"):
        return reverse(name)


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [
        ("organizer", "submissions:organize_home"),
        ("juror", "judging:home"),
        ("juror_and_creator", "judging:home"),
        ("creator", "submissions:dashboard"),
        ("newcomer", "submissions:profile"),
    ],
)
def test_sign_in_lands_on_each_persons_own_page(client, who, lands_on):
    person = {
        "organizer": OrganizerFactory,
        "creator": CreatorFactory,
        "newcomer": UserFactory,
    }.get(who, lambda: None)()
    if who.startswith("juror"):
        person = (CreatorFactory if who == "juror_and_creator" else UserFactory)()
        JurorFactory(user=person)
    client.force_login(person)

    response = client.get(url("start"))

    assert response["Location"] == url(lands_on)


def test_a_juror_without_a_profile_is_never_asked_for_one(client):
    juror = JurorFactory(user=UserFactory())
    client.force_login(juror.user)

    response = client.get(url("judging:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert url("judging:home") in html
    assert url("submissions:dashboard") not in html  # no "My entries" for a juror only


def test_a_juror_who_also_creates_in_another_edition_sees_both(client):
    juror = JurorFactory(user=CreatorFactory())
    client.force_login(juror.user)

    html = client.get(url("judging:home")).content.decode()

    assert url("judging:home") in html
    assert url("submissions:dashboard") in html

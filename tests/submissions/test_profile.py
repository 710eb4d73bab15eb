import pytest
from django.urls import reverse
from django.utils import translation

from submissions.models import CreatorProfile
from tests.submissions.test_accounts import profile_data

pytestmark = pytest.mark.django_db


def url(name, lang="en"):
    with translation.override(lang):
        return reverse(name)


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("newcomer", 200), ("creator", 200)]
)
def test_profile_page_by_role(client, people, who, status):
    if who != "anonymous":
        client.force_login(getattr(people, who))

    response = client.get(url("submissions:profile"))

    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"].startswith(url("account_login"))


def test_sign_in_sends_a_creator_without_profile_to_the_profile_form(client, people):
    client.force_login(people.newcomer)

    response = client.get(url("start"))

    assert response["Location"] == url("submissions:profile")


def test_sign_in_sends_organizers_to_their_start_page(client, people):
    client.force_login(people.organizer)

    response = client.get(url("start"))

    assert response["Location"] == url("submissions:organize_home")


def test_profile_requires_consent_and_keeps_what_was_typed(client, people):
    client.force_login(people.newcomer)

    response = client.post(
        url("submissions:profile"), profile_data(accept_rules="", bio="Gốm men lam")
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Please accept the rules to take part." in html
    assert "Gốm men lam" in html
    assert not CreatorProfile.objects.filter(user=people.newcomer).exists()


def test_profile_reports_each_missing_field(client, people):
    client.force_login(people.newcomer)

    response = client.post(
        url("submissions:profile"), profile_data(display_name="", country="", city="")
    )

    assert set(response.context["form"].errors) == {"display_name", "country", "city"}


def test_editing_a_profile_keeps_the_original_consent_time(client, people):
    client.force_login(people.creator)
    accepted = people.creator.creator_profile.rules_accepted_at

    response = client.post(url("submissions:profile"), profile_data(city="Huế"))

    assert response.status_code == 302
    profile = CreatorProfile.objects.get(user=people.creator)
    assert (profile.city, profile.rules_accepted_at) == ("Huế", accepted)


def test_profile_redirects_only_to_local_next(client, people):
    client.force_login(people.newcomer)

    response = client.post(
        url("submissions:profile") + "?next=https://evil.example/", profile_data()
    )

    assert response["Location"] == url("submissions:dashboard")


def test_first_profile_leads_on_to_the_entries(client, people):
    client.force_login(people.newcomer)

    response = client.post(url("submissions:profile"), profile_data())

    assert response["Location"] == url("submissions:dashboard")


def test_first_profile_returns_to_the_page_that_asked_for_it(client, people):
    client.force_login(people.newcomer)
    wanted = url("submissions:dashboard") + "?from=rules"

    response = client.post(url("submissions:profile") + f"?next={wanted}", profile_data())

    assert response["Location"] == wanted


def test_vietnamese_profile_form_has_no_english_placeholders(client, people):
    client.force_login(people.newcomer)

    html = client.get(url("submissions:profile", "vi")).content.decode()

    assert ("- Select an option -" in html, "---------" in html) == (False, False)
    assert '<option value="" selected>Chọn một mục</option>' in html
    assert '<option value="" selected>Chọn quốc gia</option>' in html

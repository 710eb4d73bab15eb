import pytest
from django.urls import reverse
from django.utils import translation

from submissions import services
from submissions.models import Entry, EntryAsset
from tests.factories import (
    AwardCycleFactory,
    CategoryFactory,
    CompleteEntryFactory,
    EntryFactory,
    open_cycle_dates,
    ready_image,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def cycle():
    return AwardCycleFactory()


def home_url(year=None):
    if year is None:
        return reverse("submissions:organize_home")
    return reverse("submissions:organize_home_year", kwargs={"year": year})


def submitted(entry):
    for n in range(entry.category.min_images):
        ready_image(entry, position=n)
    return services.entry_submit(entry=entry, by=entry.owner)


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("creator", 404), ("newcomer", 404), ("organizer", 200)]
)
def test_organizer_home_by_role(client, people, cycle, who, status):
    if who != "anonymous":
        client.force_login(getattr(people, who))

    assert client.get(home_url()).status_code == status


def test_organizer_home_shows_the_edition_at_a_glance(client, people, cycle):
    category = CategoryFactory(cycle=cycle, code="ARC", min_images=1)
    submitted(CompleteEntryFactory(category=category))
    screened = submitted(CompleteEntryFactory(category=category))
    services.entry_screen(entry=screened, by=people.organizer, decision="eligible", reason="")
    EntryFactory(category=category)
    broken = ready_image(EntryFactory(category=category), name="ban-ve.jpg")
    EntryAsset.objects.filter(pk=broken.pk).update(renditions=EntryAsset.Renditions.FAILED)
    client.force_login(people.organizer)

    response = client.get(home_url())

    html = response.content.decode()
    assert [(value, total) for value, _label, total in response.context["by_status"]] == [
        ("draft", 2),
        ("submitted", 2),
        ("withdrawn", 0),
    ]
    assert (response.context["to_screen_count"], response.context["problem_count"]) == (1, 1)
    assert "ban-ve.jpg" in html
    assert (
        f"{reverse('submissions:organize_list', kwargs={'year': cycle.festival_year})}?status=submitted&amp;screening=pending"
        in html
    )
    assert '<h2 id="rounds-title" class="section__title">Jury rounds</h2>' in html
    assert reverse("admin:awards_awardcycle_change", args=[cycle.pk]) in html


def test_organizer_home_of_another_edition(client, people, cycle):
    older = AwardCycleFactory(dates=open_cycle_dates(festival_year=cycle.festival_year - 2))
    client.force_login(people.organizer)

    response = client.get(home_url(older.festival_year))

    assert response.context["cycle"] == older
    assert client.get(home_url(1990)).status_code == 404


def test_organizer_home_queries_do_not_grow_with_entries(
    client, people, cycle, django_assert_num_queries
):
    category = CategoryFactory(cycle=cycle, min_images=1)
    client.force_login(people.organizer)
    client.get(home_url())  # the session and the organizer's group, once
    for rows in (1, 3):
        while Entry.objects.count() < rows:
            submitted(CompleteEntryFactory(category=category))
        with django_assert_num_queries(13):  # + the jury rounds, the jury's size, the 2FA check
            response = client.get(home_url())
        assert response.context["to_screen_count"] == rows


def test_admin_is_branded_in_the_page_language_and_leads_back(client, people):
    client.force_login(people.organizer)
    with translation.override("vi"):
        admin_url, back = reverse("admin:index"), reverse("submissions:organize_home")

    html = client.get(admin_url).content.decode()

    assert "<span>Giải thưởng Thiết kế sáng tạo Hà Nội</span>" in html
    assert f'href="{back}"' in html


def test_organizers_are_prompted_for_two_factor_until_they_have_it(client, people):
    from allauth.mfa.models import Authenticator

    client.force_login(people.organizer)
    with translation.override("en"):
        page = reverse("submissions:organize_home")
    before = client.get(page).content.decode()
    Authenticator.objects.create(user=people.organizer, type="totp", data={"secret": "x"})
    after = client.get(page).content.decode()

    assert "Turn on two-factor authentication" in before
    assert "Turn on two-factor authentication" not in after

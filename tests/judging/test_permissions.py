"""Who reaches which jury URL, table-driven.

Anonymous visitors are sent to sign in (the invitation page excepted: the link is the key);
what a person may not see does not exist for them (404); what they may see answers 200 (or
302 after a change). Jurors' assignments are reached only through `visible_assignments`, so
a juror with a confirmed conflict or a revoked membership gets 404 even for an assignment row
that still names them.
"""

from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import translation

from judging import services
from judging.models import Assignment, Conflict, Juror
from submissions.models import CreatorProfile, EntryAsset
from tests.factories import (
    CategoryFactory,
    CreatorProfileFactory,
    JudgingCycleFactory,
    JurorFactory,
    RoundFactory,
    ready_image,
    submitted_entry,
)

pytestmark = pytest.mark.django_db

JURORS = (
    "juror",  # owns the assignment
    "round_juror",  # another juror of the same round, judging another entry
    "conflicted_entry",  # assigned, then a confirmed conflict with this entry
    "conflicted_creator",  # assigned, then a confirmed conflict with its creator
    "unassigned",  # accepted, same category, nothing assigned
    "revoked",  # assigned, then taken off the jury
)
ROLES = ("anonymous", "creator", "other_creator", "organizer", *JURORS)


@pytest.fixture
def cast(people):
    """One entry E by `people.creator` in an open round, and a juror in each situation."""
    cycle = JudgingCycleFactory()
    arc = CategoryFactory(cycle=cycle, code="ARC")
    entry = submitted_entry(arc, owner=people.creator, number=1)
    other_entry = submitted_entry(arc, owner=people.other_creator, number=2)
    round_ = RoundFactory(cycle=cycle, categories=[arc])
    services.round_sync_entries(round_=round_)
    jurors = {name: JurorFactory(cycle=cycle, categories=[arc], name=name) for name in JURORS}
    own = {}
    for name in ("juror", "conflicted_entry", "conflicted_creator", "revoked"):
        own[name] = Assignment.objects.create(round=round_, juror=jurors[name], entry=entry)
    own["round_juror"] = Assignment.objects.create(
        round=round_, juror=jurors["round_juror"], entry=other_entry
    )
    # Rows written straight to the table, as a race or a bug elsewhere might leave them: the
    # assignments stay, and the one visibility function must still hide them.
    Conflict.objects.create(
        juror=jurors["conflicted_entry"], entry=entry, source="juror", status="confirmed"
    )
    Conflict.objects.create(
        juror=jurors["conflicted_creator"],
        creator=people.creator,
        source="creator",
        status="confirmed",
    )
    Juror.objects.filter(pk=jurors["revoked"].pk).update(state=Juror.State.REVOKED)
    image = ready_image(entry)
    EntryAsset.objects.filter(pk=image.pk).update(
        jury_key=image.key, web_key=image.key, renditions="ready"
    )
    foreign = ready_image(other_entry)
    EntryAsset.objects.filter(pk=foreign.pk).update(jury_key=foreign.key, renditions="ready")
    with TestCase.captureOnCommitCallbacks(execute=True):
        invited, token = services.juror_invite(
            cycle=cycle,
            email="invitee@museum.example.net",
            name="Invitee",
            categories=[arc],
            by=people.organizer,
        )
    suggestion = Conflict.objects.create(
        juror=jurors["unassigned"],
        creator=people.other_creator,
        source="system",
        status="suggested",
    )
    return SimpleNamespace(
        cycle=cycle,
        entry=entry,
        round=round_,
        jurors=jurors,
        own=own,
        image=image,
        foreign=foreign,
        invited=invited,
        token=token,
        suggestion=suggestion,
        users={
            **{name: getattr(people, name) for name in ROLES[:4] if name != "anonymous"},
            **{name: juror.user for name, juror in jurors.items()},
        },
    )


def assignment_of(cast, who: str) -> Assignment:
    """The assignment a person tries: their own when they have one, else the juror's."""
    return cast.own.get(who if who != "round_juror" else "juror", cast.own["juror"])


def expect(default: int, **overrides: int) -> dict[str, int]:
    table = dict.fromkeys(ROLES, default)
    table["anonymous"] = 302
    table.update(overrides)
    return table


JURY_PAGE = expect(404, **{**dict.fromkeys(JURORS, 200), "revoked": 404})


def own_assignment(status: int) -> dict[str, int]:
    return expect(404, juror=status)


def organizers(status: int) -> dict[str, int]:
    return expect(404, organizer=status)


CRITERION_VALUE = "8"


def score_data(cast) -> dict:
    criterion = cast.round.criteria.first()
    return {f"score-{criterion.pk}": CRITERION_VALUE}


URLS = [
    # (label, method, url(cast, who), data(cast), expected by role)
    ("jury home", "get", lambda c, w: reverse("judging:home"), None, JURY_PAGE),
    (
        "ties",
        "get",
        lambda c, w: reverse("judging:ties", args=[c.cycle.festival_year]),
        None,
        JURY_PAGE,
    ),
    (
        "ties (save)",
        "post",
        lambda c, w: reverse("judging:ties", args=[c.cycle.festival_year]),
        lambda c: {"ties": "Studio Mây"},
        {**JURY_PAGE, **dict.fromkeys(JURORS, 302), "revoked": 404},
    ),
    (
        "round queue",
        "get",
        lambda c, w: reverse("judging:round", args=[c.round.pk]),
        None,
        JURY_PAGE,
    ),
    (
        "scoring page",
        "get",
        lambda c, w: reverse("judging:score", args=[assignment_of(c, w).public_id]),
        None,
        own_assignment(200),
    ),
    (
        "scoring form (save)",
        "post",
        lambda c, w: reverse("judging:score", args=[assignment_of(c, w).public_id]),
        score_data,
        own_assignment(302),
    ),
    (
        "autosave",
        "post",
        lambda c, w: reverse("judging:autosave", args=[assignment_of(c, w).public_id]),
        score_data,
        own_assignment(200),
    ),
    (
        "recuse",
        "post",
        lambda c, w: reverse("judging:recuse", args=[assignment_of(c, w).public_id]),
        lambda c: {"reason": "I taught this student"},
        own_assignment(302),
    ),
    (
        "jury file",
        "get",
        lambda c, w: reverse(
            "judging:file", args=[assignment_of(c, w).public_id, c.image.public_id, "jury"]
        ),
        None,
        own_assignment(302),
    ),
    (
        "web-size file",
        "get",
        lambda c, w: reverse(
            "judging:file", args=[assignment_of(c, w).public_id, c.image.public_id, "web"]
        ),
        None,
        own_assignment(302),
    ),
    (
        "original file through the jury view",
        "get",
        lambda c, w: reverse(
            "judging:file", args=[assignment_of(c, w).public_id, c.image.public_id, "original"]
        ),
        None,
        own_assignment(404),
    ),
    (
        "another entry's file through one's own assignment",
        "get",
        lambda c, w: reverse(
            "judging:file", args=[assignment_of(c, w).public_id, c.foreign.public_id, "jury"]
        ),
        None,
        own_assignment(404),
    ),
    (
        "invitation",
        "get",
        lambda c, w: reverse("judging:invitation", args=[c.token]),
        None,
        expect(200, anonymous=200),
    ),
    (
        "creator's conflicts with the jury",
        "get",
        lambda c, w: reverse("judging:creator_conflicts", args=[c.entry.public_id]),
        None,
        # Jurors have no creator profile: sent to make one, never shown the entry.
        expect(302, creator=200, other_creator=404, organizer=404),
    ),
    (
        "creator's conflicts (save)",
        "post",
        lambda c, w: reverse("judging:creator_conflicts", args=[c.entry.public_id]),
        lambda c: {"jurors": [str(c.jurors["juror"].public_id)]},
        expect(302, other_creator=404, organizer=404),
    ),
    (
        "organizers: jury",
        "get",
        lambda c, w: reverse("judging:organize_jury", args=[c.cycle.festival_year]),
        None,
        organizers(200),
    ),
    (
        "organizers: invite",
        "post",
        lambda c, w: reverse("judging:organize_jury", args=[c.cycle.festival_year]),
        lambda c: {"many-people": f"Lê Văn Tám, tam@hau.edu.vn, {c.entry.category.code}"},
        organizers(302),
    ),
    (
        "organizers: resend an invitation",
        "post",
        lambda c, w: reverse("judging:juror_action", args=[c.invited.public_id]),
        lambda c: {"action": "resend"},
        organizers(302),
    ),
    (
        "organizers: revoke a juror",
        "post",
        lambda c, w: reverse("judging:juror_action", args=[c.jurors["juror"].public_id]),
        lambda c: {"action": "revoke"},
        organizers(302),
    ),
    (
        "organizers: conflicts",
        "get",
        lambda c, w: reverse("judging:organize_conflicts", args=[c.cycle.festival_year]),
        None,
        organizers(200),
    ),
    (
        "organizers: look for suggestions",
        "post",
        lambda c, w: reverse("judging:organize_conflicts", args=[c.cycle.festival_year]),
        lambda c: {},
        organizers(302),
    ),
    (
        "organizers: confirm a suggestion",
        "post",
        lambda c, w: reverse("judging:conflict_action", args=[c.suggestion.pk]),
        lambda c: {"action": "confirm"},
        organizers(302),
    ),
    (
        "organizers: rounds",
        "get",
        lambda c, w: reverse("judging:organize_rounds", args=[c.cycle.festival_year]),
        None,
        organizers(200),
    ),
    (
        "organizers: progress board",
        "get",
        lambda c, w: reverse("judging:organize_round", args=[c.round.pk]),
        None,
        organizers(200),
    ),
    (
        "organizers: assignment preview",
        "get",
        lambda c, w: reverse("judging:organize_assign", args=[c.round.pk]),
        None,
        organizers(200),
    ),
    (
        "organizers: assign",
        "post",
        lambda c, w: reverse("judging:organize_assign", args=[c.round.pk]),
        lambda c: {"seed": "1"},
        organizers(302),
    ),
    (
        "organizers: remove an assignment",
        "post",
        lambda c, w: reverse("judging:assignment_change", args=[c.round.pk]),
        lambda c: {"action": "remove", "assignment": str(c.own["juror"].public_id)},
        organizers(302),
    ),
    (
        "organizers: close the round",
        "post",
        lambda c, w: reverse("judging:organize_close", args=[c.round.pk]),
        lambda c: {},
        organizers(302),
    ),
]


def snapshot(cast) -> tuple:
    """What a refused request must leave as it was."""
    return (
        sorted(Assignment.objects.values_list("pk", "juror_id")),
        sorted(Conflict.objects.values_list("pk", "status")),
        sorted(Juror.objects.values_list("pk", "state", "token_hash")),
        cast.round.__class__.objects.get(pk=cast.round.pk).closed_at,
        list(cast.round.scorecards.values_list("pk", "status")),
    )


@contextmanager
def undone():
    """Each person's request runs on the same data: what it changed is rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    ("label", "method", "url", "data", "expected"), URLS, ids=[row[0] for row in URLS]
)
def test_jury_urls_by_role(cast, label, method, url, data, expected):
    statuses, changed = {}, []
    for who in ROLES:
        client = Client()
        with undone():
            if who != "anonymous":
                client.force_login(cast.users[who])
            with translation.override("en"):
                address = url(cast, who)
            before = snapshot(cast)
            with TestCase.captureOnCommitCallbacks(execute=True):
                response = getattr(client, method)(address, data(cast) if data else None)
            statuses[who] = response.status_code
            if response.status_code == 302:
                location = response["Location"]
                if who == "anonymous":
                    assert location.startswith("/en/accounts/login/"), location
                elif who in JURORS and label.startswith("creator's"):
                    assert location.startswith("/en/me/profile/"), location
                else:
                    assert "/accounts/login/" not in location, location
                    assert "/me/profile/" not in location, location
            refused = (
                response.status_code == 404
                or who == "anonymous"
                or (who in JURORS and label.startswith("creator's"))
            )
            if refused and snapshot(cast) != before:
                changed.append(who)

    assert statuses == expected
    assert changed == [], "a refused request changed something"


@pytest.mark.parametrize(
    ("url_name", "with_profile", "status"),
    [
        ("submissions:dashboard", False, 302),
        ("submissions:entry", False, 302),
        ("submissions:asset_file", False, 404),
        ("submissions:dashboard", True, 200),
        ("submissions:entry", True, 404),
        ("submissions:asset_file", True, 404),
    ],
)
def test_a_juror_reaches_no_creators_entry(client, cast, url_name, with_profile, status):
    """Without a creator profile a juror is offered the form (they may enter another
    edition); with one, another creator's entry and its files do not exist for them."""
    juror = cast.jurors["juror"].user
    if with_profile:
        CreatorProfileFactory(user=juror)
    client.force_login(juror)
    kwargs = {
        "submissions:dashboard": {},
        "submissions:entry": {"entry_id": cast.entry.public_id},
        "submissions:asset_file": {
            "entry_id": cast.entry.public_id,
            "asset_id": cast.image.public_id,
            "variant": "original",
        },
    }[url_name]

    with translation.override("en"):
        response = client.get(reverse(url_name, kwargs=kwargs))

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/en/me/profile/")
    assert CreatorProfile.objects.filter(user=juror).exists() == with_profile


def test_an_organizer_has_no_jury_pages(client, cast, people):
    client.force_login(people.organizer)
    assignment = cast.own["juror"]

    with translation.override("en"):
        responses = [
            client.get(reverse("judging:home")),
            client.get(reverse("judging:round", args=[cast.round.pk])),
            client.get(reverse("judging:score", args=[assignment.public_id])),
            client.post(reverse("judging:autosave", args=[assignment.public_id])),
            client.get(
                reverse("judging:file", args=[assignment.public_id, cast.image.public_id, "jury"])
            ),
        ]

    assert [r.status_code for r in responses] == [404] * 5

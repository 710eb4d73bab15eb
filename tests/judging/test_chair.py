"""The chair of the jury: the round's standings and the jury's decisions, blind."""

import pytest
from django.urls import reverse
from django.utils import translation

from judging import services
from judging.models import Assignment, Decision, Juror, RoundEntry
from tests.factories import JurorFactory, PrizeFactory, RoundFactory

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    with translation.override("en"):
        return reverse(f"judging:{name}", kwargs=kwargs)


@pytest.fixture
def chair(jury):
    return JurorFactory(cycle=jury.cycle, categories=[jury.arc], role=Juror.Role.CHAIR)


def score_all(jury):
    criteria = [str(c.pk) for c in jury.round.criteria.all()]
    for assignment in Assignment.objects.select_related("juror__user"):
        services.scorecard_save(
            assignment=assignment,
            user=assignment.juror.user,
            values=dict.fromkeys(criteria, "7"),
            submit=True,
        )


@pytest.mark.parametrize("who", ["chair", "juror", "organizer_page"])
def test_only_the_chair_sees_the_jurys_standings_and_never_who_made_the_work(
    client, jury, chair, who
):
    score_all(jury)
    person = chair.user if who == "chair" else jury.jurors[0].user
    client.force_login(person)

    response = client.get(url("chair_standings", round_id=jury.round.pk))

    if who != "chair":
        assert response.status_code == 404
        return
    html = response.content.decode()
    assert response.status_code == 200
    for entry in jury.entries:
        assert entry.reference_code not in html
        assert entry.owner.creator_profile.display_name not in html
        assert entry.owner.email not in html
    assert "Entry 1" in html and "7.00" in html


def test_the_chair_records_a_decision_on_the_final_round(client, jury, chair):
    prize = PrizeFactory(cycle=jury.cycle, name_en="Gold", quantity=1)
    final = RoundFactory(cycle=jury.cycle, number=2, categories=[jury.arc])
    entry = jury.entries[0]
    RoundEntry.objects.create(round=final, entry=entry, source="advanced")
    client.force_login(chair.user)
    page = client.get(url("chair_decisions", year=jury.cycle.festival_year)).content.decode()
    assert entry.reference_code not in page

    response = client.post(
        url("chair_decisions", year=jury.cycle.festival_year),
        {"action": "add", "entry": entry.pk, "prize": prize.pk, "citation_en": "Clear and kind."},
        follow=True,
    )

    decision = Decision.objects.get()
    assert (decision.entry, decision.prize, decision.decided_by) == (entry, prize, chair.user)
    assert "Decision recorded." in response.content.decode()
    client.force_login(jury.jurors[0].user)
    assert client.get(url("chair_decisions", year=jury.cycle.festival_year)).status_code == 404


@pytest.mark.parametrize("page", ["organizer", "chair"])
def test_decisions_list_the_prizes_first_and_honourable_mentions_last(client, jury, chair, page):
    # SQLite sorts a missing prize (a mention) first, PostgreSQL last: the order is said.
    from judging import results
    from tests.factories import OrganizerFactory

    prize = PrizeFactory(cycle=jury.cycle, name_en="Grand Prize", quantity=1)
    final = RoundFactory(cycle=jury.cycle, number=2, categories=[jury.arc])
    mention, winner = jury.entries[0], jury.entries[1]
    for entry in (mention, winner):
        RoundEntry.objects.create(round=final, entry=entry, source="advanced")
    results.decision_add(cycle=jury.cycle, entry=mention, by=chair.user)
    results.decision_add(cycle=jury.cycle, entry=winner, by=chair.user, prize=prize)
    client.force_login(chair.user if page == "chair" else OrganizerFactory())
    address = {
        "organizer": url("decisions", year=jury.cycle.festival_year),
        "chair": url("chair_decisions", year=jury.cycle.festival_year),
    }[page]

    html = client.get(address).content.decode()

    assert html.index("Grand Prize") < html.index("Honourable mention")

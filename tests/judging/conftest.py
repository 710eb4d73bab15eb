from types import SimpleNamespace

import pytest

from tests.factories import (
    CategoryFactory,
    JudgingCycleFactory,
    JurorFactory,
    RoundFactory,
    submitted_entry,
)


@pytest.fixture
def jury(db):
    """An edition in judging: category ARC with four entries, three jurors, round 1 open
    (k = 2) and assigned."""
    from judging import services

    cycle = JudgingCycleFactory()
    arc = CategoryFactory(cycle=cycle, code="ARC", name_en="Architecture")
    entries = [submitted_entry(arc, number=n) for n in range(1, 5)]
    jurors = [JurorFactory(cycle=cycle, categories=[arc], name=f"Juror {n}") for n in "ABC"]
    round_ = RoundFactory(cycle=cycle, categories=[arc])
    services.round_assign(round_=round_, by=None)
    return SimpleNamespace(cycle=cycle, arc=arc, entries=entries, jurors=jurors, round=round_)

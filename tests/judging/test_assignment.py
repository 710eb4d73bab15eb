"""The assignment planner, on ids alone: k per entry, no conflicts, loads within one."""

import random
from collections import Counter

from django.utils import translation

from judging.assignment import plan_category


def plan(entries=60, jurors=7, k=3, existing=None, blocked=None, seed=0):
    with translation.override("en"):
        return _plan(entries, jurors, k, existing, blocked, seed)


def _plan(entries, jurors, k, existing, blocked, seed):
    return plan_category(
        code="ARC",
        entries=list(range(1, entries + 1)),
        jurors=list(range(100, 100 + jurors)),
        k=k,
        existing=existing or {},
        blocked=blocked or {},
        labels={n: f"HCDA28-ARC-{n:04d}" for n in range(1, entries + 1)},
        seed=seed,
    )


def test_every_entry_gets_k_distinct_jurors_and_loads_differ_by_at_most_one():
    result = plan(entries=61, jurors=7, k=3)

    per_entry = Counter(entry for entry, _juror in result.new)
    assert set(per_entry.values()) == {3}
    assert len(set(result.new)) == 61 * 3
    loads = Counter(juror for _entry, juror in result.new)
    assert max(loads.values()) - min(loads.values()) <= 1
    assert result.problems == []


def test_conflicted_jurors_are_never_assigned_and_balance_holds():
    rng = random.Random(4)
    blocked = {e: {j for j in range(100, 110) if rng.random() < 0.2} for e in range(1, 201)}

    result = plan(entries=200, jurors=10, k=4, blocked=blocked)

    assert all(juror not in blocked[entry] for entry, juror in result.new)
    assert set(Counter(entry for entry, _j in result.new).values()) == {4}
    assert result.spread <= 1


def test_the_same_seed_gives_the_same_plan_and_another_seed_another():
    assert plan(seed=3).new == plan(seed=3).new
    assert plan(seed=3).new != plan(seed=4).new


def test_rerunning_keeps_existing_assignments_and_fills_only_gaps():
    first = plan(entries=30, jurors=6, k=2)
    existing = {}
    for entry, juror in first.new:
        existing.setdefault(entry, set()).add(juror)
    # Entry 5 loses one juror (a recusal); juror 105 is now conflicted with it.
    lost = sorted(existing[5])[0]
    existing[5].discard(lost)

    again = plan(entries=30, jurors=6, k=2, existing=existing, blocked={5: {lost}})

    assert len(again.new) == 1
    entry, juror = again.new[0]
    assert entry == 5
    assert juror != lost and juror not in existing[5]


def test_infeasible_entry_is_named_with_how_many_jurors_it_could_have():
    blocked = {7: {100, 101, 102}}  # of 5 jurors, entry 7 may have only 2; k = 3

    result = plan(entries=10, jurors=5, k=3, blocked=blocked)

    assert result.problems == [
        "ARC: 10 entries × 3 needs 3 non-conflicted jurors per entry; entry HCDA28-ARC-0007 has only 2."
    ]
    assert sorted(j for e, j in result.new if e == 7) == [103, 104]


def test_too_few_jurors_in_a_category_is_said_plainly():
    result = plan(entries=10, jurors=2, k=3)

    assert result.new == []
    assert result.problems == ["ARC has 2 jurors; the round needs 3 per entry."]


def test_new_juror_joining_late_takes_the_gaps_first():
    # Two jurors already hold every entry (k = 2); k rises to 3 and a third juror arrives.
    existing = {e: {100, 101} for e in range(1, 21)}

    result = plan(entries=20, jurors=3, k=3, existing=existing)

    assert sorted({j for _e, j in result.new}) == [102]
    assert result.loads == {100: 20, 101: 20, 102: 20}

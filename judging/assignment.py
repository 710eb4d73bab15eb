"""Who judges what: k jurors per entry, balanced loads, never a conflicted juror.

Pure Python over ids, so that it can be tested and measured without a database; the service
(`judging.services.round_assign`) feeds it and saves what it plans.

The method, per category:
1. Entries with the fewest possible jurors go first (so that a constrained entry is not left
   with nobody), ties in a seeded random order.
2. Each entry takes the least-loaded of the jurors it may have (seeded random among equals).
3. If loads still differ by more than one, move single new assignments along augmenting paths
   (juror A gives an entry to B, B gives one to C…) from the most to the least loaded juror.
   Each move lowers the sum of squared loads, so this ends; when no path exists the imbalance
   is forced by conflicts or by assignments that are kept, and the plan says so.
Existing assignments (and so their scorecards) are never moved: re-running only fills gaps.
"""

from __future__ import annotations

import heapq
import random
import zlib
from collections import deque
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass
class CategoryPlan:
    code: str
    jurors: list[int]
    entries: int
    new: list[tuple[int, int]] = field(default_factory=list)  # (entry id, juror id)
    loads: dict[int, int] = field(default_factory=dict)  # juror id → assignments after saving
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def spread(self) -> int:
        return max(self.loads.values()) - min(self.loads.values()) if self.loads else 0


def plan_category(
    *,
    code: str,
    entries: list[int],
    jurors: list[int],
    k: int,
    existing: dict[int, set[int]],
    blocked: dict[int, set[int]],
    labels: dict[int, str],
    seed: int = 0,
    base_loads: dict[int, int] | None = None,
) -> CategoryPlan:
    """Plan the missing assignments of one category.

    `existing`: entry → jurors already assigned (kept); `blocked`: entry → conflicted jurors;
    `labels`: entry → its reference code, for messages. `base_loads`: juror → assignments on
    the category's other entries, when `entries` is only the few that lost a juror (a recusal
    or a conflict mid-round), so that they go to the least-loaded jurors of the whole category.
    """
    plan = CategoryPlan(code=code, jurors=list(jurors), entries=len(entries))
    rng = random.Random(seed * 1_000_003 + zlib.crc32(code.encode()))
    juror_set = set(jurors)
    loads = {juror: (base_loads or {}).get(juror, 0) for juror in jurors}
    for entry in entries:
        for juror in existing.get(entry, ()):
            if juror in loads:
                loads[juror] += 1
    plan.loads = loads
    if len(jurors) < k:
        plan.problems.append(
            ngettext(
                "%(code)s has %(n)d juror; the round needs %(k)d per entry.",
                "%(code)s has %(n)d jurors; the round needs %(k)d per entry.",
                len(jurors),
            )
            % {"code": code, "n": len(jurors), "k": k}
        )
        return plan

    # A random rank per juror breaks ties between equally loaded jurors, reproducibly.
    rank = {juror: rng.random() for juror in jurors}
    todo = []
    for entry in entries:
        have = existing.get(entry, set()) & juror_set
        need = k - len(have)
        if need <= 0:
            continue
        allowed = juror_set - blocked.get(entry, set()) - have
        if len(allowed) < need:
            possible = len(juror_set - blocked.get(entry, set()))
            plan.problems.append(
                ngettext(
                    "%(code)s: %(n)d entries × %(k)d needs %(k)d non-conflicted jurors per entry; entry %(label)s has only %(have)d.",
                    "%(code)s: %(n)d entries × %(k)d needs %(k)d non-conflicted jurors per entry; entry %(label)s has only %(have)d.",
                    len(entries),
                )
                % {
                    "code": code,
                    "n": len(entries),
                    "k": k,
                    "label": labels.get(entry, entry),
                    "have": possible,
                }
            )
        todo.append((len(allowed), rng.random(), entry, need, allowed))
    todo.sort()

    assigned: dict[int, set[int]] = {}  # entry → jurors it gets from this plan
    for _n, _r, entry, need, allowed in todo:
        chosen = heapq.nsmallest(
            min(need, len(allowed)), allowed, key=lambda j: (loads[j], rank[j])
        )
        for juror in chosen:
            loads[juror] += 1
        assigned[entry] = set(chosen)

    _balance(plan, loads, assigned, existing, blocked, juror_set)
    plan.new = sorted((entry, juror) for entry, chosen in assigned.items() for juror in chosen)
    return plan


def _balance(plan, loads, assigned, existing, blocked, juror_set) -> None:
    """Move new assignments from the most to the least loaded jurors until the spread is ≤ 1."""
    holds: dict[int, set[int]] = {j: set() for j in juror_set}  # juror → entries (new, movable)
    for entry, chosen in assigned.items():
        for juror in chosen:
            holds[juror].add(entry)

    def can_take(juror: int, entry: int) -> bool:
        return (
            juror not in blocked.get(entry, ())
            and juror not in assigned.get(entry, ())
            and juror not in existing.get(entry, ())
        )

    while True:
        low, high = min(loads.values()), max(loads.values())
        if high - low <= 1:
            return
        # Breadth-first from the least loaded jurors: who could hand them an entry?
        starts = [j for j in juror_set if loads[j] == low]
        parent: dict[int, tuple[int, int] | None] = dict.fromkeys(starts)
        queue = deque(starts)
        found = None
        while queue and found is None:
            taker = queue.popleft()
            for giver in juror_set:
                if giver in parent:
                    continue
                entry = next((e for e in holds[giver] if can_take(taker, e)), None)
                if entry is None:
                    continue
                parent[giver] = (taker, entry)
                if loads[giver] >= low + 2:
                    found = giver
                    break
                queue.append(giver)
        if found is None:
            plan.notes.append(
                _(
                    "%(code)s: loads range from %(low)d to %(high)d; conflicts or assignments already made prevent a closer balance."
                )
                % {"code": plan.code, "low": low, "high": high}
            )
            return
        # Walk the path back: each giver hands its entry to the juror before it.
        giver = found
        loads[giver] -= 1
        while parent[giver] is not None:
            taker, entry = parent[giver]
            holds[giver].discard(entry)
            assigned[entry].discard(giver)
            holds[taker].add(entry)
            assigned[entry].add(taker)
            giver = taker
        loads[giver] += 1

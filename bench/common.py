"""What every benchmark section shares: the figures it returns and how it times a request.

A section is a function `section(ctx: Context) -> list[Figure]`, listed in `run.SECTIONS`. It
runs inside a worker process that has Django set up on one database with the edition seeded
to exactly `ctx.entries` entries; the worker counts them again around every figure and refuses
to publish a figure measured at another number.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field


@dataclass
class Figure:
    what: str  # the row's name, the same in every column (database × size)
    median_ms: float | None = None
    min_ms: float | None = None
    detail: str = ""  # rows, queries, memory…: shown beside the time
    value: str = ""  # a figure that is not a time (seeding in seconds, a memory peak)
    goal: str = ""  # the goal the issue set, when it set one
    entries: int = 0  # counted in the edition when it was measured (filled in by the worker)
    cpu_ms: float | None = None  # the app process's CPU per request (median): no waiting

    def cell(self) -> str:
        if self.median_ms is None:
            text = self.value
        elif self.min_ms is None:
            text = f"{self.median_ms:,.1f} ms"
        else:
            text = f"{self.median_ms:,.1f} ms (min {self.min_ms:,.1f})"
        if self.cpu_ms is not None:
            text += f", app CPU {self.cpu_ms:,.1f}"
        return f"{text} · {self.detail}" if self.detail else text

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Context:
    """What a section may use: the seeded edition, logged-in clients and the run settings."""

    database: str  # "sqlite" or "postgresql"
    entries: int  # asked for, and verified to be in the edition
    runs: int
    cycle: object
    organizer: object  # django.test.Client, logged in as the demo organizer
    creator: object  # django.test.Client, logged in as the demo creator
    extra: dict = field(default_factory=dict)


def timed(action: Callable[[], object], runs: int, warmup: int = 3) -> tuple[float, float, float]:
    """Median and minimum wall time of `action`, and its median CPU time in this process (what
    the app itself spends, without waiting for the database or for a busy machine's cores),
    in milliseconds, after a few warm-up calls."""
    for _ in range(warmup):
        action()
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(times), min(times), statistics.median(cpu)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of values; 0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def judging_edition(*, year: int, festival):
    """An announced edition in its judging phase (entries closed a week ago, judging started
    two days ago), for the jury and standings benchmarks. Needs Django set up."""
    from datetime import timedelta

    from django.utils import timezone

    from awards.models import AwardCycle

    now = timezone.now()
    return AwardCycle.objects.create(
        festival_year=year,
        status=AwardCycle.Status.ANNOUNCED,
        announced_at=now,
        theme_vi="Sông và Thành phố",
        theme_en="The River and the City",
        theme_statement_vi="Sông Hồng đã tạo nên Hà Nội.",
        theme_statement_en="The Red River made Hanoi.",
        theme_announced_at=now - timedelta(days=120),
        submissions_open_at=now - timedelta(days=90),
        submissions_close_at=now - timedelta(days=7),
        judging_starts_at=now - timedelta(days=2),
        festival_starts_at=festival,
        results_publish_at=festival + timedelta(days=1),
        festival_ends_at=festival + timedelta(days=9),
    )

"""Demo data for `make run`: each app seeds its own part, in dependency order.

Idempotent: running it again moves the dates to the new "today" and keeps everything else.
`--phase judging` puts the current edition in its judging phase (round 1 open, entries
assigned, some scored); `--phase open`, the default, puts it back open for entries.
"""

import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from awards import demo as awards_demo
from awards.models import AwardCycle
from awards.roles import ensure_organizers_group
from judging import demo as judging_demo
from judging import demo_results
from submissions import demo as submissions_demo
from submissions.models import CreatorProfile


class Command(BaseCommand):
    help = "Load demo editions, categories, prizes and accounts (refuses to run with DJANGO_DEBUG=false)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--entries",
            type=int,
            default=24,
            help=(
                "Entries in the open edition: the demo creator's two, and one for each of "
                "N - 2 demo creators (with profiles)."
            ),
        )
        parser.add_argument(
            "--jurors",
            type=int,
            default=12,
            help="Jurors besides juror@ (juror001 … , the first chairs the jury).",
        )
        parser.add_argument(
            "--phase",
            choices=awards_demo.PHASES,
            default="open",
            help="The current edition's phase: open for entries, or judging (round 1 open, "
            "entries assigned, some scored).",
        )
        parser.add_argument(
            "--image-sets",
            type=int,
            default=submissions_demo.POOL,
            help="Sets of three images drawn and stored; further entries share them.",
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed, for repeatable data."
        )

    def handle(self, *args, entries, jurors, phase, seed, image_sets, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a public password; it runs only with DJANGO_DEBUG=true."
            )
        rng = random.Random(seed)
        password = make_password(awards_demo.DEMO_PASSWORD)
        plans = awards_demo.plan_editions(timezone.now(), phase=phase)
        with transaction.atomic():
            organizer = awards_demo.demo_user("organizer", password, staff=True)
            organizer.groups.add(ensure_organizers_group())
            creator = awards_demo.demo_user("creator", password)
            CreatorProfile.objects.update_or_create(
                user=creator,
                defaults={
                    "display_name": "Studio Sông Hồng",
                    "creator_type": CreatorProfile.CreatorType.STUDIO,
                    "country": "VN",
                    "city": "Hà Nội",
                    "organization": "Studio Sông Hồng",
                    "bio": "Một studio nhỏ ở Long Biên làm kiến trúc và đồ vật từ vật liệu ven sông.",
                    "rules_accepted_at": timezone.now(),
                },
            )
            for plan, theme, announce in zip(
                plans, awards_demo.THEMES, [True, True, False], strict=True
            ):
                awards_demo.seed_edition(plan, theme, announce, organizer)
            submissions_demo.seed_creators(max(0, entries - 2), password, rng)
            current = AwardCycle.objects.get(festival_year=plans[1].festival_year)
            judging_demo.seed_jury(
                cycle=current, count=jurors, password_hash=password, by=organizer
            )
        # Files are written outside the transaction: storage is not transactional anyway, and
        # SQLite would stay locked while images are drawn.
        made = submissions_demo.seed_entries(
            cycle=current,
            creator=creator,
            count=entries,
            rng=rng,
            stdout=self.stdout,
            image_sets=image_sets,
        )
        # A deadline moved into the past must still follow every submission.
        submissions_demo.fit_to_deadline(current)
        submissions_demo.clear_stale_extensions(current, by=organizer)
        judging_demo.seed_conflicts(cycle=current, by=organizer)
        round_ = judging_demo.seed_round_one(
            cycle=current, phase=phase, by=organizer, seed=seed, stdout=self.stdout
        )

        past = AwardCycle.objects.get(festival_year=plans[0].festival_year)
        demo_results.seed_past_results(cycle=past, organizer=organizer, rng=rng, stdout=self.stdout)

        # Fresh statistics for the query planner after a bulk load (SQLite never gathers
        # them by itself; PostgreSQL's autovacuum would, later).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        total = current.entries.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {made} new entries; the {current.festival_year} edition has {total}."
            )
        )
        assigned = round_.assignments.count()
        scored = round_.scorecards.filter(status="submitted").count()
        self.stdout.write(
            f"  HCDA {current.festival_year} is {current.phase()}; round 1 is "
            f"{round_.state()} ({assigned} assignments, {scored} scored). "
            f"Switch with: manage.py seed_demo --phase {'open' if phase == 'judging' else 'judging'}"
        )
        for role in ("organizer", "juror", "creator"):
            self.stdout.write(f"  {role}@{awards_demo.DEMO_DOMAIN} / {awards_demo.DEMO_PASSWORD}")

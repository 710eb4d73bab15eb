"""Demo data for `make run`: each app seeds its own part, in dependency order.

Idempotent: running it again moves the dates to the new "today" and keeps everything else.
"""

import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from awards import demo as awards_demo
from awards.models import AwardCycle
from awards.roles import ensure_organizers_group
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
        parser.add_argument("--jurors", type=int, default=6, help="Additional juror accounts.")
        parser.add_argument(
            "--image-sets",
            type=int,
            default=submissions_demo.POOL,
            help="Sets of three images drawn and stored; further entries share them.",
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed, for repeatable data."
        )

    def handle(self, *args, entries, jurors, seed, image_sets, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a public password; it runs only with DJANGO_DEBUG=true."
            )
        rng = random.Random(seed)
        password = make_password(awards_demo.DEMO_PASSWORD)
        plans = awards_demo.plan_editions(timezone.now())
        with transaction.atomic():
            organizer = awards_demo.demo_user("organizer", password, staff=True)
            organizer.groups.add(ensure_organizers_group())
            awards_demo.demo_user("juror", password)
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
            for number in range(1, jurors + 1):
                awards_demo.demo_user(f"juror{number:03d}", password)
            current = AwardCycle.objects.get(festival_year=plans[1].festival_year)
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

        total = current.entries.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {made} new entries; the {current.festival_year} edition has {total}."
            )
        )
        for role in ("organizer", "juror", "creator"):
            self.stdout.write(f"  {role}@{awards_demo.DEMO_DOMAIN} / {awards_demo.DEMO_PASSWORD}")

"""``python manage.py seedbench``: the bench data set (200,000 people, 5,000 organizations,
1,000,000 stints and their moves by default). Replaces every person and organization."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from talent.benchseed import bench_world_seed, marker, seeded_marker


class Command(BaseCommand):
    help = "Replace all people and organizations with a generated, skewed bench world."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--people", type=int, default=200_000)
        parser.add_argument("--organizations", type=int, default=5_000)
        parser.add_argument("--stints", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--until", default="2026-06-30", help="the last day careers reach (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="multiply people, organizations, stints"
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="do nothing when the database already holds this seed at this size",
        )

    def handle(self, *args, **options) -> None:
        scale = options["scale"]
        if scale <= 0:
            raise CommandError("--scale must be positive")
        people = max(20, round(options["people"] * scale))
        organizations = max(40, round(options["organizations"] * scale))
        stints = max(people, round(options["stints"] * scale))
        try:
            until = dt.date.fromisoformat(options["until"])
        except ValueError:
            raise CommandError("--until takes a date as YYYY-MM-DD") from None
        wanted = marker(
            seed=options["seed"],
            people=people,
            organizations=organizations,
            stints=stints,
            until=until,
        )
        if options["reuse"] and seeded_marker() == wanted:
            self.stdout.write(f"already seeded: {wanted}")
            return
        started = time.monotonic()

        def progress(line: str) -> None:
            self.stdout.write(f"[{time.monotonic() - started:6.1f}s] {line}")
            self.stdout.flush()

        report = bench_world_seed(
            people=people,
            organizations=organizations,
            stints=stints,
            seed=options["seed"],
            until=until,
            progress=progress,
        )
        self.stdout.write(
            f"seeded {report.people:,} people, {report.organizations:,} organizations "
            f"({report.teams:,} teams), {report.stints:,} stints, {report.moves:,} moves "
            f"in {report.seconds:.0f}s"
        )

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from talent.demo.loader import WORLD, DemoDataError, demo_world_load


class Command(BaseCommand):
    help = "Load (or refresh) the demo world of AI-industry careers. Safe to run again."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", type=Path, default=WORLD, help="YAML file to load")

    def handle(self, *args, file: Path, verbosity: int, **options) -> None:
        interactive = self.stdout.isatty()

        def progress(done: int, total: int, name: str) -> None:
            if verbosity == 0:
                return
            line = f"loading demo people {done}/{total}: {name}"
            if interactive:
                self.stdout.write(f"\r\033[K{line}", ending="")
                if done == total:
                    self.stdout.write("")
            elif done == total or done % 10 == 0:
                self.stdout.write(line)
            sys.stdout.flush()

        try:
            report = demo_world_load(path=file, progress=progress)
        except (DemoDataError, FileNotFoundError, KeyError) as exc:
            raise CommandError(f"demo world not loaded, nothing changed: {exc}") from exc
        if verbosity == 0:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"demo world: {report.people} people, {report.organizations} organizations, "
                f"{report.teams} teams, {report.stints} stints, {report.moves} moves"
            )
        )

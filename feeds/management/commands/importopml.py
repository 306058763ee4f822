from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from feeds.opml import opml_import


class Command(BaseCommand):
    help = "Subscribe to every feed in an OPML file; unsafe URLs are skipped with a reason."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, verbosity: int, **options) -> None:
        try:
            document = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc

        def progress(done: int, total: int, url: str) -> None:
            if verbosity and (done % 25 == 0 or done == total):
                self.stdout.write(f"importing {done}/{total}")

        try:
            report = opml_import(document, progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for reason in report.skipped:
            self.stderr.write(f"skipped {reason}")
        if report.unresolved:
            self.stdout.write(
                f"{len(report.unresolved)} hosts do not resolve from here now; they are "
                "subscribed, and /feeds/ shows how their polls go"
            )
        skipped = len(report.skipped)
        self.stdout.write(
            f"added {report.added}, already subscribed {report.existing}, skipped {skipped}"
        )

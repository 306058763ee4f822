from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from feeds.demo_server import DEMO_DIR
from feeds.safety import UnsafeURL
from feeds.services import feed_add


class Command(BaseCommand):
    help = "Subscribe to the demo feeds served by `servedemofeeds` at BASE (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("base", help="e.g. http://127.0.0.1:8001/")

    def handle(self, *args, base: str, **options) -> None:
        base = base.rstrip("/") + "/"
        names = sorted(p.name for p in DEMO_DIR.iterdir() if p.suffix in (".rss", ".atom"))
        for name in names:
            try:
                feed, created = feed_add(url=base + name)
            except UnsafeURL as exc:
                raise CommandError(
                    f"{exc}. The demo names its server in FEED_ALLOW_PRIVATE_HOSTS (make run does)."
                ) from exc
            self.stdout.write(f"{'added' if created else 'kept'} demo feed {feed.url}")

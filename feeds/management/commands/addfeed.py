from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from feeds.safety import UnsafeURL
from feeds.services import feed_add


class Command(BaseCommand):
    help = "Subscribe to a feed URL; it is polled at the next beat sweep."

    def add_arguments(self, parser) -> None:
        parser.add_argument("url")
        parser.add_argument("--title", default="")

    def handle(self, *args, url: str, title: str, **options) -> None:
        try:
            feed, created = feed_add(url=url, title=title)
        except UnsafeURL as exc:
            raise CommandError(f"not added: {exc}") from exc
        verb = "added" if created else "already subscribed"
        self.stdout.write(f"{verb}: feed {feed.pk} {feed.url}")

from __future__ import annotations

from django.core.management.base import BaseCommand

from feeds.models import Feed
from feeds.opml import opml_export


class Command(BaseCommand):
    help = "Write every subscribed feed as OPML 2.0 to standard output."

    def handle(self, *args, **options) -> None:
        self.stdout.write(opml_export(Feed.objects.order_by("title", "url")).decode(), ending="")

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from config.celery import enqueue_on_commit
from feeds.models import Feed
from feeds.services import PollOutcome, feed_poll


class Command(BaseCommand):
    help = "Poll feeds: enqueue a poll for each active feed, or with --now poll here and report."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="poll in this process, one line per feed"
        )
        parser.add_argument("--url", help="only the feed with this URL")

    def handle(self, *args, now: bool, url: str | None, **options) -> None:
        feeds = Feed.objects.filter(active=True).order_by("pk")
        if url:
            feeds = Feed.objects.filter(url=url)
            if not feeds.exists():
                raise CommandError(f"no feed with URL {url} (add it with: manage.py addfeed URL)")
        ids = list(feeds.values_list("pk", flat=True))
        if not now:
            from feeds.tasks import poll_feed

            for pk in ids:
                enqueue_on_commit(poll_feed, pk)
            self.stdout.write(f"enqueued {len(ids)} polls")
            return
        failures = 0
        urls = dict(Feed.objects.filter(pk__in=ids).values_list("pk", "url"))
        for pk in ids:
            try:
                outcome = feed_poll(feed_id=pk)
            except Exception as exc:  # noqa: BLE001 - say so and go on with the next feed
                # feed_poll records its own failures; this is one it could not record
                # (the database went away, say).
                outcome = PollOutcome("error", detail=f"{exc.__class__.__name__}: {exc}")
            failures += outcome.status == "error"
            elapsed = "-" if outcome.elapsed is None else f"{outcome.elapsed:.2f}s"
            self.stdout.write(
                f"{outcome.status:<13} {outcome.new_entries:>4} new  {elapsed:>7}  {urls[pk]}"
            )
            if outcome.detail and outcome.status != "ok":
                self.stdout.write(f"{'':13} {outcome.detail}")
        self.stdout.write(f"polled {len(ids)} feeds, {failures} with errors")

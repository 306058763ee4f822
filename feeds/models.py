"""Ingestion: feeds we poll and the entries they carried, each stored once."""

from __future__ import annotations

import datetime as dt

from django.db import connection, models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone


class FeedQuerySet(models.QuerySet):
    def due(self, now: dt.datetime | None = None) -> FeedQuerySet:
        return self.filter(active=True, next_poll_at__lte=now or timezone.now())

    def failing(self) -> FeedQuerySet:
        return self.filter(consecutive_errors__gt=0)

    def with_yield(self) -> FeedQuerySet:
        """What each feed brought: moves found in its entries, and how curators judged them,
        so feeds that only bring noise can be pruned. Subqueries, so one query for all."""
        from talent.models import Announcement

        def judged(states) -> Subquery:
            return Subquery(
                Announcement.objects.filter(entries__feed=OuterRef("pk"), state__in=states)
                .order_by()
                .values("entries__feed")
                .annotate(n=Count("pk", distinct=True))
                .values("n")[:1]
            )

        moves = Subquery(
            Entry.objects.filter(feed=OuterRef("pk"))
            .order_by()
            .values("feed")
            .annotate(n=Sum("moves_found"))
            .values("n")[:1]
        )
        approved = ["approved", "auto-approved", "confirmed"]
        return self.annotate(
            yield_moves=Coalesce(moves, 0),
            yield_approved=Coalesce(judged(approved), 0),
            yield_rejected=Coalesce(judged(["rejected", "retracted"]), 0),
        )


class Feed(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "not polled yet"
        OK = "ok", "ok"
        NOT_MODIFIED = "not-modified", "not modified"
        ERROR = "error", "error"
        GONE = "gone", "gone (410)"

    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=500, blank=True)
    site_url = models.URLField(max_length=2000, blank=True)
    active = models.BooleanField(default=True)
    poll_interval = models.DurationField(
        default=dt.timedelta(hours=1), help_text="Adapted to how often the feed publishes"
    )
    next_poll_at = models.DateTimeField(default=timezone.now)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    consecutive_errors = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    parse_warning = models.TextField(blank=True, help_text="What a malformed (bozo) feed got wrong")
    entries_seen = models.PositiveIntegerField(default=0, help_text="Entries read, new or not")
    entries_stored = models.PositiveIntegerField(default=0)
    polls = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now, editable=False)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["title", "url"]
        permissions = [("operate_feed", "Can poll now, pause and resume feeds")]
        indexes = [
            # The beat sweep: active feeds whose next poll is due.
            models.Index(fields=["next_poll_at"], condition=Q(active=True), name="feed_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(poll_interval__gte=dt.timedelta(minutes=1)), name="feed_interval_min"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def healthy(self) -> bool:
        return self.consecutive_errors == 0 and self.last_status != self.Status.GONE


class Entry(models.Model):
    class Extraction(models.TextChoices):
        WAITING = "waiting", "waiting"
        QUEUED = "queued", "queued"
        DONE = "done", "done"
        DUPLICATE = "duplicate", "duplicate of another feed's entry"
        FAILED = "failed", "failed"

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries")
    # How this entry is recognised within its feed: guid, else link, else a content hash.
    dedupe_key = models.CharField(max_length=64)
    guid = models.CharField(max_length=2000, blank=True)
    link = models.URLField(max_length=2000, blank=True)
    canonical_url = models.URLField(
        max_length=2000, blank=True, help_text="Link without tracking parameters or fragment"
    )
    title = models.TextField(blank=True)
    summary = models.TextField(blank=True, help_text="Sanitized HTML")
    content = models.TextField(blank=True, help_text="Sanitized HTML")
    author = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField()
    published_guessed = models.BooleanField(
        default=False, help_text="The feed gave no readable date; the fetch time stands in"
    )
    fetched_at = models.DateTimeField(default=timezone.now)
    content_hash = models.CharField(max_length=64)
    extraction_status = models.CharField(
        max_length=12, choices=Extraction.choices, default=Extraction.WAITING
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    extracted_at = models.DateTimeField(null=True, blank=True)
    extraction_error = models.TextField(blank=True)
    moves_found = models.PositiveIntegerField(default=0)
    announcements = models.ManyToManyField(
        "talent.Announcement", blank=True, related_name="entries"
    )

    class Meta:
        ordering = [F("published_at").desc(), "-id"]
        verbose_name_plural = "entries"
        indexes = [
            models.Index(fields=["feed", "-published_at"], name="entry_feed_recent"),
            models.Index(fields=["extraction_status"], name="entry_extraction"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["feed", "dedupe_key"], name="entry_once_per_feed"),
        ]

    def __str__(self) -> str:
        return self.title or self.link or self.guid


class Article(models.Model):
    """One article however many feeds carried it: keyed by its canonical URL's hash.

    The first entry to claim the key (INSERT … ON CONFLICT DO NOTHING) is the one whose
    text is extracted; later entries are marked duplicates of it.
    """

    url_hash = models.CharField(max_length=64, unique=True)
    canonical_url = models.URLField(max_length=2000)
    first_entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.canonical_url


class LLMReply(models.Model):
    """What the language-model extractor (feeds/extract/llm.py) was told about one text: the
    moves of a reply that fit the schema. Kept in the database rather than Redis so that
    every worker shares it and a restart loses nothing: the same text is never sent twice."""

    key = models.CharField(
        max_length=64, unique=True, help_text="sha256 of model, prompt version, title, summary"
    )
    model = models.CharField(max_length=200)
    moves = models.JSONField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "language model reply"

    def __str__(self) -> str:
        return f"{self.model} {self.key[:12]}"


class LLMUsage(models.Model):
    """Calls made to the language model in one clock hour (UTC), counted for all workers."""

    hour = models.DateTimeField(unique=True)
    calls = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "language model usage"
        verbose_name_plural = "language model usage"

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H:00} {self.calls}"

    @classmethod
    def claim(cls, limit: int) -> bool:
        """Count one call in this hour, unless `limit` calls are counted already. One
        statement: the conflicting row is locked while its count is compared, so two
        workers can never both take the last call."""
        if limit <= 0:
            return False
        hour = timezone.now().replace(minute=0, second=0, microsecond=0)
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (hour, calls) VALUES (%s, 1) ON CONFLICT (hour) "
                f"DO UPDATE SET calls = {table}.calls + 1 WHERE {table}.calls < %s "
                "RETURNING calls",
                [hour, limit],
            )
            return cursor.fetchone() is not None

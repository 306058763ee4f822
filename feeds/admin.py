from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.text import Truncator

from config.celery import enqueue_on_commit
from feeds.models import Article, Entry, Feed
from talent.permissions import OPERATE_FEEDS


def _enqueue_polls(ids: list[int]) -> None:
    from feeds.tasks import poll_feed

    for pk in ids:
        enqueue_on_commit(poll_feed, pk)


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "active",
        "last_status",
        "consecutive_errors",
        "short_error",
        "last_success_at",
        "next_poll_at",
        "entries_stored",
    ]
    list_filter = ["active", "last_status"]
    search_fields = ["url", "title", "site_url", "last_error"]
    readonly_fields = [
        "etag",
        "last_modified",
        "last_status",
        "last_polled_at",
        "last_success_at",
        "consecutive_errors",
        "last_error",
        "last_error_at",
        "parse_warning",
        "entries_seen",
        "entries_stored",
        "polls",
        "created",
    ]
    actions = ["poll_now", "pause", "resume"]
    ordering = ["-consecutive_errors", "title"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_yield()

    @admin.display(description="moves found", ordering="yield_moves")
    def moves_found(self, feed: Feed) -> int:
        return feed.yield_moves

    @admin.display(description="approved", ordering="yield_approved")
    def approved(self, feed: Feed) -> int:
        return feed.yield_approved

    @admin.display(description="rejected", ordering="yield_rejected")
    def rejected(self, feed: Feed) -> int:
        return feed.yield_rejected

    @admin.display(description="last error")
    def short_error(self, feed: Feed) -> str:
        return Truncator(feed.last_error).chars(80)

    def has_operate_permission(self, request) -> bool:
        return request.user.has_perm(OPERATE_FEEDS)

    @admin.action(description="Poll now", permissions=["operate"])
    def poll_now(self, request, queryset) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        queryset.update(active=True, next_poll_at=timezone.now())
        _enqueue_polls(ids)
        self.message_user(request, f"Polling {len(ids)} feeds now.", messages.SUCCESS)

    @admin.action(description="Pause", permissions=["operate"])
    def pause(self, request, queryset) -> None:
        count = queryset.update(active=False)
        self.message_user(request, f"Paused {count} feeds.", messages.SUCCESS)

    @admin.action(description="Resume", permissions=["operate"])
    def resume(self, request, queryset) -> None:
        count = queryset.update(active=True, next_poll_at=timezone.now())
        self.message_user(request, f"Resumed {count} feeds; they are due now.", messages.SUCCESS)


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "feed", "published_at", "published_guessed", "extraction_status"]
    list_filter = ["extraction_status", "published_guessed", "feed"]
    search_fields = ["title", "link", "guid"]
    list_select_related = ["feed"]
    date_hierarchy = "published_at"
    readonly_fields = [f.name for f in Entry._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["canonical_url", "first_entry", "created"]
    search_fields = ["canonical_url"]
    raw_id_fields = ["first_entry"]

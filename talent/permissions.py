"""The rights the curation pages and actions ask for. A "Curators" group holding them is
created by a migration (talent/migrations/0010_curators_group.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

CURATORS = "Curators"

REVIEW = "talent.review_announcement"
MERGE = "talent.merge_records"
REBUILD_MOVES = "talent.rebuild_moves"
VIEW_FEEDS = "feeds.view_feed"
ADD_FEED = "feeds.add_feed"
OPERATE_FEEDS = "feeds.operate_feed"


# What a curator holds: the rights above, and looking at and editing the records they curate
# (never deleting people, organizations or feeds).
_CURATED = (
    "person",
    "personalias",
    "personlink",
    "organization",
    "organizationalias",
    "team",
    "stint",
    "source",
    "announcement",
    "correction",
)
CURATOR_PERMISSIONS = [
    REVIEW,
    MERGE,
    REBUILD_MOVES,
    VIEW_FEEDS,
    ADD_FEED,
    OPERATE_FEEDS,
    "feeds.change_feed",
    "feeds.view_entry",
    "feeds.view_article",
    *(f"talent.{action}_{model}" for model in _CURATED for action in ("view", "add", "change")),
    "talent.delete_personalias",
    "talent.delete_organizationalias",
    "talent.delete_personlink",
    "talent.view_move",
    "talent.view_merge",
    "talent.view_report",
    # Alerts: see who follows what and what was sent; stop mail to an address.
    "talent.view_subscriber",
    "talent.change_subscriber",
    "talent.view_follow",
    "talent.view_delivery",
]


def curators_group_sync(**kwargs) -> None:
    """After every migrate (and every flush, which tests run): the Curators group exists and
    holds every right above. A migration made it; this keeps it whole as rights are added."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    wanted = Q()
    for name in CURATOR_PERMISSIONS:
        app_label, codename = name.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group, _ = Group.objects.get_or_create(name=CURATORS)
    group.permissions.add(*Permission.objects.filter(wanted))


def requires(*permissions: str) -> Callable:
    """A view decorator: strangers are sent to log in; a signed-in user without every one
    of ``permissions`` gets 403 (our own page, or a line in place for htmx)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perms(permissions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

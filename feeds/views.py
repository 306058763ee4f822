from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from config.celery import enqueue_on_commit
from feeds import services
from feeds.forms import AddFeedForm
from feeds.models import Feed
from talent.http import wants_fragment
from talent.permissions import ADD_FEED, OPERATE_FEEDS, VIEW_FEEDS, requires


def _feeds_for_health():
    # Failing feeds first: the page exists so nobody misses a broken feed.
    return Feed.objects.with_yield().order_by(
        F("consecutive_errors").desc(), "-active", "title", "url"
    )


# A refused "add a feed" waits here for the page the POST redirects to.
REFUSED = "feeds_add_refused"


@require_GET
@requires(VIEW_FEEDS)
@vary_on_headers("HX-Request", "HX-Request-Type")
def health(request: HttpRequest) -> HttpResponse:
    feeds = list(_feeds_for_health())
    refused = request.session.pop(REFUSED, None)
    form = AddFeedForm(refused["data"]) if refused else AddFeedForm()
    if refused:
        form.is_valid()  # the same reason again, shown by the field
    return render(
        request,
        "feeds/health.html",
        {"feeds": feeds, "failing": sum(1 for f in feeds if not f.healthy), "form": form},
    )


@require_POST
@requires(OPERATE_FEEDS)
def retry(request: HttpRequest, feed_id: int) -> HttpResponse:
    feed = get_object_or_404(Feed, pk=feed_id)
    with transaction.atomic():
        services.feed_retry_now(feed=feed)
        from feeds.tasks import poll_feed

        enqueue_on_commit(poll_feed, feed.pk)
    feed = Feed.objects.with_yield().get(pk=feed.pk)
    if wants_fragment(request):
        return render(request, "feeds/health.html#feed-row", {"feed": feed, "retried": True})
    messages.success(request, f"Polling {feed} now.")
    return redirect("feeds:health")


@require_POST
@requires(ADD_FEED)
def add(request: HttpRequest) -> HttpResponse:
    form = AddFeedForm(request.POST)
    if form.is_valid():
        feed, created = services.feed_add(url=form.cleaned_data["url"])
        from feeds.tasks import poll_feed

        enqueue_on_commit(poll_feed, feed.pk)
        messages.success(request, f"{'Added' if created else 'Already subscribed to'} {feed.url}.")
        return redirect("feeds:health")
    # Post/redirect/get either way: a reload never sends the form again. The reason is
    # kept in the session and shown by the field on the page the redirect lands on.
    request.session[REFUSED] = {"data": {"url": request.POST.get("url", "")[:2000]}}
    response = redirect(f"{reverse('feeds:health')}#add-feed")
    response.status_code = 303
    return response

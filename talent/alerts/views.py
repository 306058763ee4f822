"""Pages under /alerts/: follow, confirm, manage, unsubscribe, the signed-in reader's
follows, and the bounce webhook.

No account is needed: the links in our messages are signed (talent.alerts.tokens), follow
requests carry CSRF and are rate-limited per client and per address, and the one-click
unsubscribe POST (RFC 8058) works with no session or CSRF cookie at all.
"""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from talent.alerts import services, tokens
from talent.alerts.forms import FollowForm, FrequencyForm, ScheduleForm, SuppressionForm
from talent.alerts.models import Follow, Subscriber
from talent.http import setting_rate, wants_fragment
from talent.models import Organization, Person, Team

log = logging.getLogger(__name__)

_FOLLOW_RELATED = ("organization", "team__organization", "person", "from_org", "to_org")


def _address_key(group: str, request: HttpRequest) -> str:
    return services.normalize_email(request.POST.get("email", ""))[:254] or "-"


def _target_for(data: dict) -> tuple[services.FollowTarget, str]:
    """The records a follow form names, and the page it was sent from. 404 for unknown."""
    target = data["target"]
    if target == Follow.Target.COMPANY:
        org = get_object_or_404(Organization, slug=data["slug"])
        return services.FollowTarget(organization=org), org.get_absolute_url()
    if target == Follow.Target.TEAM:
        team = get_object_or_404(
            Team.objects.select_related("organization"),
            organization__slug=data["slug"],
            slug=data["team"],
        )
        return services.FollowTarget(team=team), team.get_absolute_url()
    if target == Follow.Target.PERSON:
        person = get_object_or_404(Person, slug=data["slug"])
        return services.FollowTarget(person=person), person.get_absolute_url()
    from_org = get_object_or_404(Organization, slug=data["from_org"]) if data["from_org"] else None
    to_org = get_object_or_404(Organization, slug=data["to_org"]) if data["to_org"] else None
    back = reverse("talent:alerts-direction")
    back += f"?from={from_org.slug if from_org else ''}&to={to_org.slug if to_org else ''}"
    return services.FollowTarget(from_org=from_org, to_org=to_org), back


# One answer whatever happened (a link sent, one sent within the hour, already followed, an
# address that bounced): a stranger must not learn what an address follows or whether it
# exists here.
DONE = (
    "Check your inbox: unless this address already follows it, we sent a link to confirm "
    "(at most one an hour). Nothing starts until you confirm."
)


@require_POST
@ratelimit(key="ip", rate=setting_rate("ALERTS_FOLLOW_RATE_CLIENT"), method="POST", block=False)
@ratelimit(
    key=_address_key, rate=setting_rate("ALERTS_FOLLOW_RATE_ADDRESS"), method="POST", block=False
)
def follow(request: HttpRequest) -> HttpResponse:
    form = FollowForm(request.POST)
    context = {"follow_form": form, "target": request.POST.get("target", "")}
    context.update({k: request.POST.get(k, "") for k in ("slug", "team", "from_org", "to_org")})
    if getattr(request, "limited", False):
        context["error"] = "Too many follow requests from here; please try again in an hour."
        return _follow_response(request, context, status=429)
    if not form.is_valid():
        return _follow_response(request, context, status=422)
    target, back = _target_for(form.cleaned_data)
    try:
        outcome = services.follow_request(
            email=form.cleaned_data["email"],
            target=target,
            kinds=form.cleaned_data["kinds"],
            frequency=form.cleaned_data["frequency"],
            user=request.user,
            timezone=form.cleaned_data["timezone"],
        )
    except ValueError as exc:
        context["error"] = str(exc)
        return _follow_response(request, context, status=422)
    log.info("alerts: follow request: %s", outcome.outcome)
    context["done"] = DONE
    if not wants_fragment(request):
        messages.success(request, context["done"])
        return HttpResponseRedirect(back)
    return _follow_response(request, context)


def _follow_response(request: HttpRequest, context: dict, *, status: int = 200) -> HttpResponse:
    template = (
        "talent/alerts/partials/follow.html"
        if wants_fragment(request)
        else "talent/alerts/follow_page.html"
    )
    return render(request, template, context, status=status)


@require_GET
def direction(request: HttpRequest) -> HttpResponse:
    """Follow (or read as Atom) the moves from one company, to one, or from one to another."""
    from_org = Organization.objects.filter(slug=request.GET.get("from", "")).first()
    to_org = Organization.objects.filter(slug=request.GET.get("to", "")).first()
    kinds = request.GET.get("kinds", "")
    feed = None
    if from_org or to_org:
        feed = (
            reverse("talent:feed-moves")
            + "?"
            + "&".join(
                part
                for part in (
                    f"from={from_org.slug}" if from_org else "",
                    f"to={to_org.slug}" if to_org else "",
                    f"kinds={kinds}" if kinds in Follow.Kinds.values and kinds != "all" else "",
                )
                if part
            )
        )
    return render(
        request,
        "talent/alerts/direction.html",
        {
            "from_org": from_org,
            "to_org": to_org,
            "kinds": kinds,
            "feed": feed,
            "organizations": Organization.objects.order_by("name").only("slug", "name")[:500],
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what will start and a button (mail scanners open links: only a person's
    POST confirms)."""
    try:
        subscriber = tokens.read_confirm(token)
    except tokens.BadLink as exc:
        return _bad_link(request, exc)
    if request.method == "POST":
        started = services.subscriber_confirm(subscriber=subscriber)
        messages.success(
            request,
            f"Confirmed: {started} follow{'s' if started != 1 else ''} started."
            if started
            else "Your address is confirmed.",
        )
        return HttpResponseRedirect(
            reverse("talent:alerts-manage", args=[tokens.manage_token(subscriber)])
        )
    follows = subscriber.follows.filter(state=Follow.State.PENDING).select_related(*_FOLLOW_RELATED)
    return render(
        request, "talent/alerts/confirm.html", {"subscriber": subscriber, "follows": follows}
    )


def _bad_link(request: HttpRequest, exc: tokens.BadLink) -> HttpResponse:
    return render(request, "talent/alerts/bad_link.html", {"expired": exc.expired}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = tokens.read_manage(token)
    except tokens.BadLink as exc:
        return _bad_link(request, exc)
    if request.method == "POST":
        _manage_action(request, subscriber)
        return HttpResponseRedirect(request.path)
    return render(
        request,
        "talent/alerts/manage.html",
        {
            "subscriber": subscriber,
            "follows": subscriber.follows.exclude(state=Follow.State.STOPPED).select_related(
                *_FOLLOW_RELATED
            ),
            "stopped": subscriber.follows.filter(state=Follow.State.STOPPED).count(),
            "frequencies": Follow.Frequency.choices,
            "schedule": ScheduleForm(
                initial={
                    "timezone": subscriber.timezone,
                    "digest_hour": subscriber.digest_hour,
                    "digest_weekday": subscriber.digest_weekday,
                }
            ),
        },
    )


def _manage_action(request: HttpRequest, subscriber: Subscriber) -> None:
    action = request.POST.get("action")
    if action == "stop-all":
        services.follows_stop(subscriber=subscriber)
        messages.success(request, "All your alerts are stopped. Nothing more will be sent.")
    elif action == "stop":
        stopped = services.follows_stop(
            subscriber=subscriber,
            follow_ids=[int(pk) for pk in request.POST.getlist("follow") if pk.isdigit()],
        )
        messages.success(request, "Stopped." if stopped else "Nothing to stop.")
    elif action == "frequency":
        form = FrequencyForm(request.POST)
        follow = (
            subscriber.follows.filter(pk=form.cleaned_data["follow"]).first()
            if form.is_valid()
            else None
        )
        if follow is None:
            messages.error(request, "Choose one of your follows and a frequency.")
            return
        services.follow_set_frequency(follow=follow, frequency=form.cleaned_data["frequency"])
        messages.success(request, f"{follow.label}: {follow.get_frequency_display()}.")
    elif action == "schedule":
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a time zone, an hour and a day.")
            return
        services.subscriber_set_schedule(subscriber=subscriber, **form.cleaned_data)
        messages.success(request, "Digest time saved.")
    else:
        messages.error(request, "Unknown action.")


@csrf_exempt  # RFC 8058: mail clients POST with no cookies; the signed token is the proof
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET only asks (scanners prefetch links); POST stops, answers 200, never redirects."""
    try:
        subscriber, follow_ids = tokens.read_unsubscribe(token)
    except tokens.BadLink as exc:
        return _bad_link(request, exc)
    follows = subscriber.follows.select_related(*_FOLLOW_RELATED)
    follows = follows.filter(pk__in=follow_ids) if follow_ids else follows.all()
    context = {"subscriber": subscriber, "follows": list(follows), "all": not follow_ids}
    if request.method == "POST":
        services.follows_stop(subscriber=subscriber, follow_ids=follow_ids or None)
        context["done"] = True
    return render(request, "talent/alerts/unsubscribe.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """A signed-in reader's follows, from every address they followed with while signed in."""
    follows = (
        Follow.objects.filter(subscriber__user=request.user)
        .exclude(state=Follow.State.STOPPED)
        .select_related("subscriber", *_FOLLOW_RELATED)
        .order_by("subscriber__email", "created")
    )
    if request.method == "POST":
        chosen = _get_follow_for_user(request, request.POST.get("follow", ""))
        services.follows_stop(subscriber=chosen.subscriber, follow_ids=[chosen.pk])
        messages.success(request, f"Stopped: {chosen.label}.")
        return HttpResponseRedirect(request.path)
    return render(request, "talent/alerts/mine.html", {"follows": follows})


def _get_follow_for_user(request: HttpRequest, pk: str) -> Follow:
    """One of this user's follows, or 404 (a stranger's id and a missing one look alike)."""
    if not pk.isdigit():
        raise Http404("No such follow")
    return get_object_or_404(
        Follow.objects.select_related(*_FOLLOW_RELATED), pk=int(pk), subscriber__user=request.user
    )


@csrf_exempt  # called by the mail provider, authenticated by the shared secret
@require_POST
def bounce_webhook(request: HttpRequest) -> JsonResponse:
    """``POST {"email": …, "type": "hard-bounce" | "complaint" | "soft-bounce"}`` with
    ``Authorization: Bearer <ALERTS_WEBHOOK_SECRET>``. Hard bounces and complaints stop all
    mail to the address; soft bounces are left to the sender's retries."""
    secret = settings.ALERTS_WEBHOOK_SECRET
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return JsonResponse({"error": "forbidden"}, status=403)
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "the body is not JSON"}, status=400)
    form = SuppressionForm(payload if isinstance(payload, dict) else {})
    if not form.is_valid():
        return JsonResponse({"error": form.errors.get_json_data()}, status=400)
    kind = form.cleaned_data["type"]
    if kind == "soft-bounce":
        return JsonResponse({"suppressed": False})
    detail = form.cleaned_data["detail"]
    subscriber = services.subscriber_suppress(
        email=form.cleaned_data["email"],
        reason=f"{kind} (webhook){': ' + detail if detail else ''}",
    )
    return JsonResponse({"suppressed": subscriber is not None})

"""The admin's log-in, with brute force slowed down: a few attempts a minute from one
address, and a few an hour at one account from anywhere. Counting happens before the
password is checked, so a limited attempt says nothing about the password."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django_ratelimit.core import is_ratelimited

LIMITED = "Too many log-in attempts. Wait a few minutes and try again."


def _limited(request: HttpRequest) -> bool:
    # Both counters move on every attempt, so trying many accounts from one address and
    # one account from many addresses are both slowed down.
    by_address = is_ratelimited(
        request,
        group="login",
        key="ip",
        rate=settings.LOGIN_RATE_CLIENT,
        method="POST",
        increment=True,
    )
    by_account = is_ratelimited(
        request,
        group="login-account",
        key="post:username",
        rate=settings.LOGIN_RATE_ACCOUNT,
        method="POST",
        increment=True,
    )
    return by_address or by_account


def login(request: HttpRequest, extra_context=None) -> HttpResponse:
    if request.method == "POST" and _limited(request):
        context = {
            **admin.site.each_context(request),
            "title": "Log in",
            "app_path": request.get_full_path(),
            "username": request.POST.get("username", "")[:150],
            "limited": LIMITED,
        }
        return TemplateResponse(request, "admin/login_limited.html", context, status=429)
    return admin.site.login(request, extra_context)

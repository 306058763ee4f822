"""Signed links. Nothing is stored: each link carries the subscriber's id, signed with
SECRET_KEY under its own salt, so a confirm link cannot be replayed as a manage link."""

from __future__ import annotations

import datetime as dt

from django.core import signing

from talent.alerts.models import Subscriber

CONFIRM_MAX_AGE = dt.timedelta(days=3)
MANAGE_MAX_AGE = dt.timedelta(days=90)


class BadLink(Exception):
    """Tampered, expired, or for an address we no longer know."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.expired = reason == "expired"


def _make(salt: str, payload: str, *, timed: bool) -> str:
    signer = signing.TimestampSigner(salt=salt) if timed else signing.Signer(salt=salt)
    return signer.sign(payload)


def _read(salt: str, token: str, max_age: dt.timedelta | None) -> tuple[Subscriber, list[str]]:
    try:
        if max_age is None:
            payload = signing.Signer(salt=salt).unsign(token)
        else:
            payload = signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        raise BadLink("expired") from None
    except signing.BadSignature:
        raise BadLink("tampered") from None
    head, *rest = payload.split(".")
    subscriber = Subscriber.objects.filter(pk=int(head)).first() if head.isdigit() else None
    if subscriber is None:
        raise BadLink("unknown")
    return subscriber, rest


# Links stay short (they are in headers and plain text): the subscriber's id, and for an
# unsubscribe link the follows it stops, signed. Ids are never reused.


def confirm_token(subscriber: Subscriber) -> str:
    return _make("talent.alerts.confirm", str(subscriber.pk), timed=True)


def read_confirm(token: str) -> Subscriber:
    return _read("talent.alerts.confirm", token, CONFIRM_MAX_AGE)[0]


def manage_token(subscriber: Subscriber) -> str:
    return _make("talent.alerts.manage", str(subscriber.pk), timed=True)


def read_manage(token: str) -> Subscriber:
    return _read("talent.alerts.manage", token, MANAGE_MAX_AGE)[0]


def unsubscribe_token(subscriber: Subscriber, follow_ids: list[int] | None = None) -> str:
    """Stops these follows, or all of them when ``follow_ids`` is empty. Never expires: a
    List-Unsubscribe header must keep working in mail read months later."""
    ids = "-".join(str(pk) for pk in sorted(follow_ids or []))
    return _make("talent.alerts.unsubscribe", f"{subscriber.pk}.{ids}", timed=False)


def read_unsubscribe(token: str) -> tuple[Subscriber, list[int]]:
    subscriber, rest = _read("talent.alerts.unsubscribe", token, None)
    ids = rest[0] if rest else ""
    return subscriber, [int(pk) for pk in ids.split("-") if pk.isdigit()]

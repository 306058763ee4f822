"""What the alerts say: the move in one line, and the e-mails (subject, text and HTML
templates side by side under templates/talent/alerts/email/) with their list headers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import get_template
from django.urls import reverse

from talent.alerts import tokens
from talent.alerts.models import Delivery, Follow, Subscriber
from talent.models import Move, Source


def move_line(move: Move) -> str:
    """The move in one line: "Durk Kingma joined Anthropic (Alignment) from Google, Oct 2024"."""
    who = move.person.name
    if move.kind == Move.Kind.DEPART:
        text = f"{who} left {move.from_org.name}"
    elif move.kind == Move.Kind.PROMOTION:
        text = f"{who} took a new role at {move.to_org.name}"
        if move.title:
            text += f": {move.title}"
    else:
        text = f"{who} {move.get_kind_display()} {move.to_org.name}"
        if move.team_id:
            text += f" ({move.team.name})"
        if move.from_org_id:
            text += f" from {move.from_org.name}"
    if move.date:
        text += f", {move.when}"
    return text


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@cache
def mail_domain() -> str:
    return settings.ALERTS_MAIL_DOMAIN or urlsplit(settings.SITE_URL).hostname or "localhost"


def list_headers(subscriber: Subscriber, follows: list[Follow], list_name: str) -> dict[str, str]:
    """RFC 2369 / 8058 headers: one-click unsubscribe over https, a mailto fallback, and the
    list's identity. The https link stops exactly the follows this message is about."""
    token = tokens.unsubscribe_token(subscriber, [f.pk for f in follows] or None)
    https = absolute(reverse("talent:alerts-unsubscribe", args=[token]))
    mailto = f"mailto:{settings.ALERTS_UNSUBSCRIBE_MAILTO or 'unsubscribe@' + mail_domain()}"
    mailto += f"?subject={quote('unsubscribe ' + token)}"
    slug = list_name if list_name else "alerts"
    return {
        "List-Unsubscribe": f"<{https}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Talent Tracker alerts <{slug}.alerts.{mail_domain()}>",
        "Auto-Submitted": "auto-generated",
        "Precedence": "bulk",
    }, https


@dataclass
class MoveView:
    """A move ready for the templates: its line, evidence, sources and links."""

    move: Move
    line: str
    sources: list[Source]
    evidence: str
    person_url: str
    from_url: str = ""
    to_url: str = ""
    why: str = ""


def move_view(move: Move, sources: list[Source]) -> MoveView:
    evidence = next((s.evidence for s in sources if s.evidence), "")
    return MoveView(
        move=move,
        line=move_line(move),
        sources=sources,
        evidence=evidence,
        person_url=absolute(move.person.get_absolute_url()),
        from_url=absolute(move.from_org.get_absolute_url()) if move.from_org_id else "",
        to_url=absolute(move.to_org.get_absolute_url()) if move.to_org_id else "",
    )


@dataclass
class Built:
    message: EmailMultiAlternatives
    message_id: str
    summary: str = ""
    extra: dict = field(default_factory=dict)


@cache
def _templates(name: str):
    base = f"talent/alerts/email/{name}"
    return (
        get_template(f"{base}_subject.txt"),
        get_template(f"{base}.txt"),
        get_template(f"{base}.html"),
    )


def _render(name: str, context: dict, to: str, headers: dict, message_id: str):
    subject_t, text_t, html_t = _templates(name)
    subject = " ".join(subject_t.render(context).split())[:200]
    message = EmailMultiAlternatives(
        subject=subject,
        body=text_t.render(context),
        from_email=settings.ALERTS_FROM_EMAIL,
        to=[to],
        headers={**headers, "Message-ID": message_id},
    )
    message.attach_alternative(html_t.render(context), "text/html")
    return message


def _message_id(kind: str, key: str) -> str:
    # Stable: a retry of the same row sends the same Message-ID, so a receiver that saw the
    # first attempt can drop the second.
    return f"<{kind}.{key}@{mail_domain()}>"


def _common(subscriber: Subscriber) -> dict:
    return {
        "site_url": settings.SITE_URL.rstrip("/"),
        "manage_url": absolute(
            reverse("talent:alerts-manage", args=[tokens.manage_token(subscriber)])
        ),
        "subscriber": subscriber,
    }


def alert(delivery: Delivery, view: MoveView, follow: Follow) -> Built:
    subscriber = delivery.subscriber
    headers, unsubscribe_url = list_headers(subscriber, [follow], follow.list_slug)
    message_id = _message_id("alert", str(delivery.pk))
    context = {
        **_common(subscriber),
        "m": view,
        "why": follow.label,
        "unsubscribe_url": unsubscribe_url,
    }
    return Built(
        _render("alert", context, subscriber.email, headers, message_id), message_id, view.line
    )


def correction(delivery: Delivery, view: MoveView | None, follow: Follow | None) -> Built:
    subscriber = delivery.subscriber
    follows = [follow] if follow else []
    headers, unsubscribe_url = list_headers(
        subscriber, follows, follow.list_slug if follow else "alerts"
    )
    message_id = _message_id("correction", str(delivery.pk))
    context = {
        **_common(subscriber),
        "m": view,
        "was": delivery.corrects.summary,
        "now": delivery.summary,
        "why": follow.label if follow else "",
        "unsubscribe_url": unsubscribe_url,
    }
    return Built(
        _render("correction", context, subscriber.email, headers, message_id),
        message_id,
        delivery.summary,
    )


def digest(
    subscriber: Subscriber,
    frequency: str,
    items: list[tuple[Delivery, MoveView, Follow]],
) -> Built:
    """One message for a subscriber's due digest rows, grouped by company (the one the
    reader follows), companies in alphabetical order, moves newest first."""
    groups: dict[str, list[MoveView]] = {}
    follows: dict[int, Follow] = {}
    for _delivery, view, follow in items:
        org = follow.group_org(view.move)
        view.why = follow.label
        groups.setdefault(org.name if org else "Elsewhere", []).append(view)
        follows[follow.pk] = follow
    ordered = [
        (name, sorted(views, key=lambda v: (v.move.date is None, v.move.date), reverse=True))
        for name, views in sorted(groups.items())
    ]
    headers, unsubscribe_url = list_headers(
        subscriber, list(follows.values()), f"{frequency}-digest"
    )
    key = hashlib.sha256(",".join(str(d.pk) for d, _, _ in items).encode()).hexdigest()[:20]
    message_id = _message_id(f"digest.{subscriber.pk}", key)
    context = {
        **_common(subscriber),
        "groups": ordered,
        "count": len(items),
        "frequency": frequency,
        "unsubscribe_url": unsubscribe_url,
    }
    return Built(_render("digest", context, subscriber.email, headers, message_id), message_id)


def confirmation(subscriber: Subscriber, follows: list[Follow]) -> Built:
    message_id = _message_id(
        f"confirm.{subscriber.pk}",
        str(int(subscriber.confirmation_sent_at.timestamp()))
        if subscriber.confirmation_sent_at
        else "0",
    )
    context = {
        **_common(subscriber),
        "confirm_url": absolute(
            reverse("talent:alerts-confirm", args=[tokens.confirm_token(subscriber)])
        ),
        "follows": follows,
        "hours": int(tokens.CONFIRM_MAX_AGE.total_seconds() // 3600),
    }
    headers = {"Auto-Submitted": "auto-generated"}
    return Built(_render("confirm", context, subscriber.email, headers, message_id), message_id)

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


def signed_url(name: str, token: str) -> str:
    """The absolute URL of a signed-link page (reverse() once per name, not per message)."""
    return absolute(_url_shape(name).replace(_SLOT, token))


_SLOT = "TOKENSLOT"


@cache
def _url_shape(name: str) -> str:
    return reverse(name, args=[_SLOT])


@cache
def mail_domain() -> str:
    return settings.ALERTS_MAIL_DOMAIN or urlsplit(settings.SITE_URL).hostname or "localhost"


def list_headers(subscriber: Subscriber, follows: list[Follow], list_name: str) -> dict[str, str]:
    """RFC 2369 / 8058 headers: one-click unsubscribe over https, a mailto fallback, and the
    list's identity. The https link stops exactly the follows this message is about."""
    token = tokens.unsubscribe_token(subscriber, [f.pk for f in follows] or None)
    https = signed_url("talent:alerts-unsubscribe", token)
    return {**_fixed_list_headers(list_name), "List-Unsubscribe": _unsubscribe_header(token)}, https


def _unsubscribe_header(token: str) -> str:
    https = signed_url("talent:alerts-unsubscribe", token)
    mailto = f"mailto:{settings.ALERTS_UNSUBSCRIBE_MAILTO or 'unsubscribe@' + mail_domain()}"
    mailto += f"?subject={quote('unsubscribe ' + token)}"
    return f"<{https}>, <{mailto}>"


def _fixed_list_headers(list_name: str) -> dict[str, str]:
    slug = list_name or "alerts"
    return {
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Talent Tracker alerts <{slug}.alerts.{mail_domain()}>",
        "Auto-Submitted": "auto-generated",
        "Precedence": "bulk",
    }


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
        "manage_url": signed_url("talent:alerts-manage", tokens.manage_token(subscriber)),
        "subscriber": subscriber,
    }


# -- one move to many readers -----------------------------------------------------------------
# Every reader of one move through one kind of follow gets the same words; only the address,
# the Message-ID and the signed links differ. So the templates are rendered and the MIME is
# built once per (move, reason), with placeholders, and each reader's message is that text
# with their values put in: what lets one process hand over 1,000 messages a second.

_TO = "tt-placeholder-to@placeholder.invalid"
_MESSAGE_ID = "<tt-placeholder-id@placeholder.invalid>"
_MANAGE = "TTPLACEHOLDERMANAGE"
_UNSUBSCRIBE = "TTPLACEHOLDERUNSUBSCRIBE"


class _Raw:
    """What Django's backends ask of ``EmailMessage.message()``: the bytes to send."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.raw if linesep == "\r\n" else self.raw.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(linesep=linesep).decode("utf-8", errors="replace")

    def get_charset(self):
        return None


class PreparedMessage(EmailMultiAlternatives):
    """An EmailMultiAlternatives whose MIME was built once for many readers (see above)."""

    def __init__(self, *args, raw: bytes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.raw = raw

    def message(self):
        return _Raw(self.raw)


class Prepared:
    def __init__(self, name: str, context: dict, fixed_headers: dict[str, str]) -> None:
        context = {
            **context,
            "manage_url": signed_url("talent:alerts-manage", _MANAGE),
            "unsubscribe_url": signed_url("talent:alerts-unsubscribe", _UNSUBSCRIBE),
        }
        subject_t, text_t, html_t = _templates(name)
        self.subject = " ".join(subject_t.render(context).split())[:200]
        self.text = text_t.render(context)
        self.html = html_t.render(context)
        self.headers = fixed_headers
        template = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text,
            from_email=settings.ALERTS_FROM_EMAIL,
            to=[_TO],
            headers={**fixed_headers, "Message-ID": _MESSAGE_ID},
        )
        template.attach_alternative(self.html, "text/html")
        raw = template.message().as_bytes(linesep="\r\n")
        # Long lines make Django pick quoted-printable, which may break a placeholder across
        # lines: then each message is built the ordinary way.
        expected = self.text.count(_MANAGE) + self.html.count(_MANAGE)
        self.raw = raw if raw.count(_MANAGE.encode()) == expected else None

    def personalize(self, *, to: str, message_id: str, manage: str, unsubscribe: str):
        text = self.text.replace(_MANAGE, manage).replace(_UNSUBSCRIBE, unsubscribe)
        html = self.html.replace(_MANAGE, manage).replace(_UNSUBSCRIBE, unsubscribe)
        list_unsubscribe = _unsubscribe_header(unsubscribe)
        common = {
            "subject": self.subject,
            "body": text,
            "from_email": settings.ALERTS_FROM_EMAIL,
            "to": [to],
            "headers": {
                **self.headers,
                "List-Unsubscribe": list_unsubscribe,
                "Message-ID": message_id,
            },
            "alternatives": [(html, "text/html")],
        }
        if self.raw is None or not to.isascii():
            return EmailMultiAlternatives(**common)
        raw = (
            self.raw.replace(_TO.encode(), to.encode())
            .replace(_MESSAGE_ID.encode(), message_id.encode())
            .replace(_MANAGE.encode(), manage.encode())
            .replace(_UNSUBSCRIBE.encode(), unsubscribe.encode())
        )
        # The one header that differs per reader goes first, folded after its comma.
        https, mailto = list_unsubscribe.split(", ", 1)
        raw = f"List-Unsubscribe: {https},\r\n {mailto}\r\n".encode() + raw
        return PreparedMessage(raw=raw, **common)


def alert(delivery: Delivery, view: MoveView, follow: Follow, cache: dict | None = None) -> Built:
    subscriber = delivery.subscriber
    key = ("alert", view.move.pk, follow.label, follow.list_slug)
    prepared = (cache or {}).get(key)
    if prepared is None:
        context = {"site_url": settings.SITE_URL.rstrip("/"), "m": view, "why": follow.label}
        prepared = Prepared("alert", context, _fixed_list_headers(follow.list_slug))
        if cache is not None:
            cache[key] = prepared
    message_id = _message_id("alert", str(delivery.pk))
    message = prepared.personalize(
        to=subscriber.email,
        message_id=message_id,
        manage=tokens.manage_token(subscriber),
        unsubscribe=tokens.unsubscribe_token(subscriber, [follow.pk]),
    )
    return Built(message, message_id, view.line)


def correction(
    delivery: Delivery, view: MoveView | None, follow: Follow | None, cache: dict | None = None
) -> Built:
    subscriber = delivery.subscriber
    why = follow.label if follow else ""
    slug = follow.list_slug if follow else "alerts"
    was, now = delivery.corrects.summary, delivery.summary
    key = ("correction", view.move.pk if view else None, why, slug, was, now)
    prepared = (cache or {}).get(key)
    if prepared is None:
        context = {"m": view, "was": was, "now": now, "why": why}
        prepared = Prepared("correction", context, _fixed_list_headers(slug))
        if cache is not None:
            cache[key] = prepared
    message_id = _message_id("correction", str(delivery.pk))
    message = prepared.personalize(
        to=subscriber.email,
        message_id=message_id,
        manage=tokens.manage_token(subscriber),
        unsubscribe=tokens.unsubscribe_token(subscriber, [follow.pk] if follow else None),
    )
    return Built(message, message_id, now)


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
        "confirm_url": signed_url("talent:alerts-confirm", tokens.confirm_token(subscriber)),
        "follows": follows,
        "hours": int(tokens.CONFIRM_MAX_AGE.total_seconds() // 3600),
    }
    headers = {"Auto-Submitted": "auto-generated"}
    return Built(_render("confirm", context, subscriber.email, headers, message_id), message_id)

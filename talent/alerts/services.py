"""Writes of the alerts: follow, confirm, stop, suppress, and the outbox's fan-out.

Keyword-only, typed, one transaction each. Mail itself is sent by talent.alerts.outbox from
tasks enqueued after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q

from config.celery import enqueue_on_commit
from talent.alerts import clock
from talent.alerts.models import Delivery, Follow, Subscriber
from talent.models import Announcement, Move, Organization, Person, Team

# A confirmation link is sent at most this often to one address, however often someone asks.
CONFIRMATION_INTERVAL = dt.timedelta(hours=1)


def _enqueue(task_name: str, *args) -> None:
    # Imported late: tasks import this module.
    from talent.alerts import tasks

    enqueue_on_commit(getattr(tasks, task_name), *args)


def normalize_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class FollowTarget:
    """What to follow; exactly one of these shapes (the Follow check constraint agrees)."""

    organization: Organization | None = None
    team: Team | None = None
    person: Person | None = None
    from_org: Organization | None = None
    to_org: Organization | None = None

    @property
    def kind(self) -> str:
        if self.organization:
            return Follow.Target.COMPANY
        if self.team:
            return Follow.Target.TEAM
        if self.person:
            return Follow.Target.PERSON
        if self.from_org or self.to_org:
            if self.from_org and self.to_org and self.from_org.pk == self.to_org.pk:
                raise ValueError("a direction goes from one company to another")
            return Follow.Target.DIRECTION
        raise ValueError("follow something: a company, a team, a person or a direction")

    def fields(self) -> dict:
        return {
            "target": self.kind,
            "organization": self.organization,
            "team": self.team,
            "person": self.person,
            "from_org": self.from_org,
            "to_org": self.to_org,
        }


@dataclass(frozen=True)
class FollowRequest:
    follow: Follow
    outcome: str  # "confirmation-sent", "confirmation-recent", "already-active", "suppressed"


@transaction.atomic
def follow_request(
    *,
    email: str,
    target: FollowTarget,
    kinds: str = Follow.Kinds.ALL,
    frequency: str = Follow.Frequency.INSTANT,
    user=None,
    timezone: str = "",
) -> FollowRequest:
    """Someone asks for alerts at ``email``. The follow waits (pending) until the address's
    owner confirms through the signed link we send; the link goes out at most once an hour
    per address, and never to a suppressed address. Asking again for the same thing changes
    nothing but the frequency and kinds of a pending follow."""
    address = normalize_email(email)
    # A new address takes the browser's time zone; a known one keeps what its owner chose.
    subscriber, _ = Subscriber.objects.get_or_create(
        email=address, defaults={"timezone": timezone} if timezone else {}
    )
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if signed_in and not subscriber.user_id and normalize_email(user.email or "") == address:
        subscriber.user = user
        subscriber.save(update_fields=["user"])
    fields = target.fields()
    existing = (
        subscriber.follows.filter(**fields, kinds=kinds).exclude(state=Follow.State.STOPPED).first()
    )
    if existing and existing.state == Follow.State.ACTIVE:
        return FollowRequest(existing, "already-active")
    follow = existing or Follow(subscriber=subscriber, **fields, kinds=kinds)
    follow.frequency = frequency
    follow.save()
    if subscriber.is_suppressed:
        return FollowRequest(follow, "suppressed")
    now = clock.now()
    last = subscriber.confirmation_sent_at
    if last and now - last < CONFIRMATION_INTERVAL:
        return FollowRequest(follow, "confirmation-recent")
    subscriber.confirmation_sent_at = now
    subscriber.save(update_fields=["confirmation_sent_at"])
    _enqueue("send_confirmation", subscriber.pk)
    return FollowRequest(follow, "confirmation-sent")


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber) -> int:
    """The owner clicked the confirmation link: the address is confirmed and its waiting
    follows start. Returns how many follows started. Idempotent."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    now = clock.now()
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = now
        subscriber.save(update_fields=["confirmed_at"])
    return subscriber.follows.filter(state=Follow.State.PENDING).update(
        state=Follow.State.ACTIVE, confirmed_at=now
    )


@transaction.atomic
def follows_stop(*, subscriber: Subscriber, follow_ids: Iterable[int] | None = None) -> int:
    """Stop these follows of this subscriber (all when ``follow_ids`` is None). Their queued
    alerts are not sent (the sender checks each row's follow again before sending)."""
    follows = subscriber.follows.exclude(state=Follow.State.STOPPED)
    if follow_ids is not None:
        follows = follows.filter(pk__in=list(follow_ids))
    return follows.update(state=Follow.State.STOPPED, stopped_at=clock.now())


@transaction.atomic
def follow_set_frequency(*, follow: Follow, frequency: str) -> Follow:
    """Change how often a follow is heard of; its alerts already waiting move to the new
    schedule (an instant one goes out with the next send, a digest one at the next digest)."""
    if frequency not in Follow.Frequency.values:
        raise ValueError(f"not a frequency: {frequency}")
    follow.frequency = frequency
    follow.save(update_fields=["frequency"])
    queued = Delivery.objects.filter(follow=follow, state=Delivery.State.QUEUED)
    queued.update(frequency=frequency)
    _reschedule(subscriber_id=follow.subscriber_id)
    return follow


@transaction.atomic
def subscriber_set_schedule(
    *, subscriber: Subscriber, timezone: str, digest_hour: int, digest_weekday: int
) -> Subscriber:
    subscriber.timezone = timezone
    subscriber.digest_hour = digest_hour
    subscriber.digest_weekday = digest_weekday
    subscriber.save(update_fields=["timezone", "digest_hour", "digest_weekday"])
    _reschedule(subscriber_id=subscriber.pk)
    return subscriber


def _reschedule(*, subscriber_id: int) -> None:
    """Queued rows of one address, due again by its current schedule (tt_next_digest, the
    one definition of "the next digest", shared with the fan-out)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE talent_delivery d
            SET due_at = CASE WHEN d.frequency = 'instant' THEN %(now)s
                ELSE tt_next_digest(%(now)s, s.timezone, s.digest_hour, s.digest_weekday,
                                    d.frequency = 'weekly') END
            FROM talent_subscriber s
            WHERE s.id = d.subscriber_id AND d.subscriber_id = %(id)s AND d.state = 'queued'
            """,
            {"now": clock.now(), "id": subscriber_id},
        )


@transaction.atomic
def subscriber_suppress(*, email: str, reason: str) -> Subscriber | None:
    """A hard bounce or a complaint: never mail this address again. Its waiting rows are
    cancelled. Returns None for an address we never knew (nothing to stop)."""
    subscriber = Subscriber.objects.select_for_update().filter(email=normalize_email(email)).first()
    if subscriber is None:
        return None
    if subscriber.suppressed_at is None:
        subscriber.suppressed_at = clock.now()
        subscriber.suppressed_reason = reason[:300]
        subscriber.save(update_fields=["suppressed_at", "suppressed_reason"])
    subscriber.deliveries.filter(state=Delivery.State.QUEUED).update(
        state=Delivery.State.CANCELLED, last_error=f"suppressed: {reason}"[:500]
    )
    return subscriber


# -- the outbox -------------------------------------------------------------------------------


def moves_of_announcement(announcement: Announcement) -> list[Move]:
    """The moves an applied announcement made: the one into the stint it opened, or the
    departure out of the stint it closed."""
    query = Q(pk__in=[])
    if announcement.opened_stint_id:
        query |= Q(to_stint_id=announcement.opened_stint_id)
    if announcement.closed_stint_id:
        query |= Q(from_stint_id=announcement.closed_stint_id, kind=Move.Kind.DEPART)
    return list(Move.objects.filter(query).select_related("from_stint"))


def deliveries_fan_out(*, moves: Iterable[Move]) -> int:
    """One outbox row per confirmed, unsuppressed address that follows each move, written
    by INSERT … SELECT. Unique per (move, address): running it again, or a reader following
    several parties of the move, adds nothing. Call inside the transaction that approves the
    move, so the rows exist exactly when the move does. Returns rows added.

    Instant follows go first, then daily, then weekly: when one address follows a move
    several ways, the first row wins (ON CONFLICT DO NOTHING), so the most urgent one does,
    with no sort of 100,000 rows to find it."""
    added = 0
    now = clock.now()
    for move in moves:
        move.from_team_id = move.from_stint.team_id if move.from_stint_id else None
        for frequency in Follow.Frequency.values:
            follows = (
                Follow.objects.matching(move)
                .filter(
                    frequency=frequency,
                    subscriber__confirmed_at__isnull=False,
                    subscriber__suppressed_at__isnull=True,
                )
                .order_by()
                .values("id", "subscriber_id")
            )
            inner, params = follows.query.sql_with_params()
            due = (
                "%s::timestamptz"
                if frequency == Follow.Frequency.INSTANT
                else "tt_next_digest(%s::timestamptz, s.timezone, s.digest_hour, "
                f"s.digest_weekday, {'true' if frequency == Follow.Frequency.WEEKLY else 'false'})"
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    f"""
                    INSERT INTO talent_delivery (subscriber_id, move_id, follow_id, kind,
                        frequency, state, due_at, attempts, last_error, message_id, summary,
                        created)
                    SELECT m.subscriber_id, %s, m.id, 'alert', %s, 'queued', {due},
                        0, '', '', '', %s::timestamptz
                    FROM ({inner}) AS m JOIN talent_subscriber s ON s.id = m.subscriber_id
                    ON CONFLICT (move_id, subscriber_id) WHERE kind = 'alert' DO NOTHING
                    """,  # noqa: S608 - inner is Django's own SQL, with its params passed along
                    [move.pk, frequency, now, now, *params],
                )
                added += cursor.rowcount
    if added:
        _enqueue("send_due")
    return added


def announcement_fan_out(*, announcement: Announcement) -> int:
    """After ``announcement_apply``: queue the alerts for the moves it made."""
    return deliveries_fan_out(moves=moves_of_announcement(announcement))


def deliveries_correct(*, moves: Iterable[Move]) -> int:
    """Moves that changed after an alert about them went out (a date or team fixed, a kind
    re-derived): each address that was told gets one short correction, once per new
    wording. Rows not yet sent need nothing: they are worded when they are sent."""
    from talent.alerts.messages import move_line

    rows = []
    by_id = {move.pk: move for move in moves}
    if not by_id:
        return 0
    sent = Delivery.objects.filter(
        move_id__in=list(by_id), kind=Delivery.Kind.ALERT, state=Delivery.State.SENT
    ).only("pk", "subscriber_id", "move_id", "follow_id", "summary")
    now = clock.now()
    lines: dict[int, str] = {}
    for original in sent:
        if original.move_id not in lines:
            lines[original.move_id] = move_line(
                Move.objects.with_related().get(pk=original.move_id)
            )
        line = lines[original.move_id]
        if line == original.summary:
            continue
        rows.append(
            Delivery(
                subscriber_id=original.subscriber_id,
                move_id=original.move_id,
                follow_id=original.follow_id,
                corrects=original,
                kind=Delivery.Kind.CORRECTION,
                frequency=Follow.Frequency.INSTANT,
                due_at=now,
                summary=line[:500],
            )
        )
    created = Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    if created:
        _enqueue("send_due")
    return len(created)

"""The sender: claims due outbox rows, writes each message (rendered once per move and
reason, see messages.Prepared), hands it to Django's e-mail backend over a few reused
connections (ALERTS_SMTP_CONNECTIONS, each in a thread), and records each result.

Guarantees, and how:
- Claimed with ``FOR UPDATE SKIP LOCKED`` and leased (``lease_until``): concurrent senders
  never take the same row; a sender killed mid-batch leaves its unsent rows leased, and they
  are claimed again once the lease runs out (the lease outlasts the task's time limit, so a
  live sender never loses its rows to another).
- Recorded right after the server accepts each message, in batches of at most 20 ms (or
  200 rows): a row recorded as sent is never sent again. The messages whose acceptance and
  recording a kill falls between (at most those 20 ms) may go out twice; each carries the
  same Message-ID both times, so receivers can drop the copy.
- Checked again just before sending: the address still confirmed and not suppressed, the
  move still there, not rejected or retracted, and still followed. Otherwise cancelled.
- Failures wait in the database: a temporary one makes the row due again after a backoff
  (1 min doubling, up to 6 h); the eighth, or a permanent refusal of the address, fails it,
  and a 5xx refusal of the address counts as a hard bounce.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import queue
import smtplib
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection
from django.db.models import Q

from talent.alerts import clock, messages
from talent.alerts.models import Delivery, Follow, Subscriber
from talent.alerts.services import subscriber_suppress
from talent.models import Announcement, Move, Source

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BATCH = 500
VOID_STATES = [
    Announcement.State.REJECTED,
    Announcement.State.RETRACTED,
    Announcement.State.DUPLICATE,
]
_FOLLOW_RELATED = ("organization", "team__organization", "person", "from_org", "to_org")


def backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(hours=6), dt.timedelta(minutes=1) * 2 ** max(0, attempts - 1))


@dataclass
class SendReport:
    sent: int = 0
    cancelled: int = 0
    retried: int = 0
    failed: int = 0
    more: bool = False
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"sent {self.sent}, cancelled {self.cancelled}, retry {self.retried}"
        text += f", failed {self.failed}"
        return text + (", more to send" if self.more else "")


def _claimable(alias: str = "") -> str:
    """Due and queued, or claimed by a sender whose lease ran out (it died)."""
    a = f"{alias}." if alias else ""
    return f"""(({a}state = 'queued' AND {a}due_at <= %(now)s)
               OR ({a}state = 'sending' AND {a}lease_until < %(now)s))"""


def _claim_instant(now: dt.datetime, limit: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE talent_delivery SET state = 'sending', lease_until = %(lease)s,
                attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM talent_delivery
                WHERE {_claimable()} AND frequency = 'instant'
                ORDER BY due_at, id LIMIT %(limit)s
                FOR UPDATE SKIP LOCKED)
            RETURNING id
            """,
            {"now": now, "lease": _lease(now), "limit": limit},
        )
        return sorted(row[0] for row in cursor.fetchall())


def _claim_digests(now: dt.datetime, limit: int) -> list[int]:
    """Every due digest row of up to ``limit`` (address, frequency) pairs: a digest is sent
    whole, so its rows are claimed together."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH due AS (
                SELECT DISTINCT subscriber_id, frequency FROM talent_delivery
                WHERE {_claimable()} AND frequency <> 'instant' LIMIT %(limit)s)
            UPDATE talent_delivery SET state = 'sending', lease_until = %(lease)s,
                attempts = attempts + 1
            WHERE id IN (
                SELECT d.id FROM talent_delivery d JOIN due USING (subscriber_id, frequency)
                WHERE {_claimable("d")}
                FOR UPDATE OF d SKIP LOCKED)
            RETURNING id
            """,
            {"now": now, "lease": _lease(now), "limit": limit},
        )
        return sorted(row[0] for row in cursor.fetchall())


def _lease(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(seconds=settings.ALERTS_SEND_LEASE_SECONDS)


class _Batch:
    """The claimed rows with everything their messages need: a fixed number of queries, and
    one more per distinct move (a fan-out's batch is all one move)."""

    def __init__(self, ids: list[int]) -> None:
        self.rows = list(
            Delivery.objects.filter(pk__in=ids)
            .select_related("subscriber", "corrects")
            .order_by("due_at", "id")
        )
        # The outbox's keys have no database constraints (see Delivery): a row whose address
        # was deleted behind the ORM's back is not loaded above, and is cancelled here.
        gone = set(ids) - {row.pk for row in self.rows}
        _record_outcome(sorted(gone), Delivery.State.CANCELLED, "address no longer exists")
        move_ids = {r.move_id for r in self.rows if r.move_id}
        self.moves = {
            m.pk: m
            for m in Move.objects.filter(pk__in=move_ids)
            .with_related()
            .select_related("from_stint", "to_stint")
        }
        stint_of = {pk: (m.to_stint_id or m.from_stint_id) for pk, m in self.moves.items()}
        by_stint: dict[int, list[Source]] = defaultdict(list)
        links = Source.stints.through.objects.filter(stint_id__in=set(stint_of.values()))
        for link in links.select_related("source").order_by("-source__published_on", "id"):
            by_stint[link.stint_id].append(link.source)
        self.sources = {pk: by_stint.get(stint, []) for pk, stint in stint_of.items()}
        void = Announcement.objects.filter(
            Q(opened_stint_id__in=[m.to_stint_id for m in self.moves.values() if m.to_stint_id])
            | Q(
                closed_stint_id__in=[
                    m.from_stint_id for m in self.moves.values() if m.kind == Move.Kind.DEPART
                ]
            ),
            state__in=VOID_STATES,
        ).values_list("opened_stint_id", "closed_stint_id")
        void_stints = {pk for pair in void for pk in pair if pk}
        self.void_moves = {
            pk
            for pk, m in self.moves.items()
            if (m.to_stint_id if m.kind != Move.Kind.DEPART else m.from_stint_id) in void_stints
        }
        # Which follows of which addresses still match each move, now.
        self.follows: dict[tuple[int, int], list[Follow]] = defaultdict(list)
        subscribers_of: dict[int, set[int]] = defaultdict(set)
        for row in self.rows:
            if row.move_id in self.moves:
                subscribers_of[row.move_id].add(row.subscriber_id)
        for move_id, subscriber_ids in subscribers_of.items():
            move = self.moves[move_id]
            move.from_team_id = move.from_stint.team_id if move.from_stint_id else None
            for follow in (
                Follow.objects.matching(move)
                .filter(subscriber_id__in=subscriber_ids)
                .select_related(*_FOLLOW_RELATED)
            ):
                self.follows[(follow.subscriber_id, move_id)].append(follow)
        self.views: dict[int, messages.MoveView] = {}
        self.prepared: dict = {}  # rendered once per move and reason (messages.Prepared)

    def view(self, move_id: int) -> messages.MoveView:
        if move_id not in self.views:
            self.views[move_id] = messages.move_view(
                self.moves[move_id], self.sources.get(move_id, [])
            )
        return self.views[move_id]

    def check(self, row: Delivery) -> tuple[str, Follow | None]:
        """Why this row must not be sent ("" when it may), and the follow it is sent for."""
        subscriber: Subscriber = row.subscriber
        if subscriber.suppressed_at:
            return f"address suppressed: {subscriber.suppressed_reason}", None
        if not subscriber.confirmed_at:
            return "address not confirmed", None
        if row.move_id not in self.moves:
            return "move no longer exists", None
        if row.move_id in self.void_moves:
            return "move rejected or retracted", None
        follows = self.follows.get((row.subscriber_id, row.move_id), [])
        if not follows:
            return "no longer followed", None
        chosen = next((f for f in follows if f.pk == row.follow_id), follows[0])
        return "", chosen


# Sent rows are recorded in small batches: at most this many, or this long after the first
# one waiting, whichever comes first; and at once when the server took longer than that to
# accept a message (a slow server gets every message recorded before the next one starts).
# A worker killed in between sends those few again, each with its Message-ID of the first
# time.
RECORD_EVERY = 200
RECORD_WITHIN = 0.02  # seconds


def _record_sent(sent: list[tuple[int, str, str]], now: dt.datetime) -> None:
    """``sent``: (row id, Message-ID, summary) for each row the server accepted."""
    if not sent:
        return
    ids, message_ids, summaries = (list(column) for column in zip(*sent, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE talent_delivery d SET state = 'sent', sent_at = %s, message_id = v.mid,
                   summary = CASE WHEN d.kind = 'alert' THEN v.summary ELSE d.summary END,
                   lease_until = NULL, last_error = ''
               FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS v(id, mid, summary)
               WHERE d.id = v.id AND d.state = 'sending'""",
            [now, ids, message_ids, summaries],
        )


def _record_outcome(row_ids: list[int], state: str, error: str, *, due_at=None) -> None:
    if not row_ids:
        return
    updates = {"state": state, "last_error": error[:500], "lease_until": None}
    if due_at is not None:
        updates["due_at"] = due_at
    Delivery.objects.filter(pk__in=row_ids, state=Delivery.State.SENDING).update(**updates)


class _Mailer:
    """One backend connection, reopened after a failure, kept open across the batch."""

    def __init__(self) -> None:
        self.backend = get_connection(fail_silently=False)

    def send(self, message) -> None:
        # open() is a no-op when already open; send_messages then keeps the connection.
        self.backend.open()
        try:
            self.backend.send_messages([message])
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        # A broken connection may fail to close; it is gone either way.
        with contextlib.suppress(Exception):
            self.backend.close()


def _refused_permanently(exc: Exception) -> tuple[bool, str]:
    """(the address itself was refused for good, a short description)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        detail = f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
        return 500 <= code < 600, detail
    if isinstance(exc, smtplib.SMTPResponseException):
        return False, f"{exc.smtp_code} {exc.smtp_error!r}"
    return False, f"{exc.__class__.__name__}: {exc}"


class _Lane:
    """One SMTP connection, its messages handed over in order, each recorded right after
    the server accepts it (see RECORD_WITHIN). Several lanes run in threads, each with its
    own database connection; one lane runs inline in the caller's thread."""

    def __init__(self, report: SendReport, lock: threading.Lock) -> None:
        self.report, self.lock = report, lock
        self.mailer = _Mailer()
        self.unrecorded: list[tuple[int, str, str]] = []
        self.first_unrecorded = 0.0

    def handle(self, row_ids: list[int], built: messages.Built, email: str) -> None:
        started = time.monotonic()
        try:
            self.mailer.send(built.message)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
            self.record()
            _failed(row_ids, exc, email, self.report, self.lock)
            return
        accepted = time.monotonic()
        if not self.unrecorded:
            self.first_unrecorded = accepted
        mid, summary = built.message_id[:200], built.summary[:500]
        self.unrecorded.extend((pk, mid, summary) for pk in row_ids)
        with self.lock:
            self.report.sent += 1
        if (
            len(self.unrecorded) >= RECORD_EVERY
            or accepted - self.first_unrecorded >= RECORD_WITHIN
            or accepted - started >= RECORD_WITHIN
        ):
            self.record()

    def record(self) -> None:
        _record_sent(self.unrecorded, clock.now())
        self.unrecorded = []

    def close(self) -> None:
        try:
            self.record()
        finally:
            self.mailer.close()


class _ThreadLane(threading.Thread):
    def __init__(self, jobs: queue.Queue, report: SendReport, lock: threading.Lock) -> None:
        super().__init__(daemon=True)
        self.jobs, self.lane = jobs, _Lane(report, lock)

    def run(self) -> None:
        try:
            _fast_commits()
            while True:
                try:
                    job = self.jobs.get(timeout=RECORD_WITHIN)
                except queue.Empty:
                    job = ()  # nothing to send: record what waits
                if job is None:
                    break
                # One bad message or a failed write never stops the lane (the caller would
                # wait for it forever); its row's lease runs out and it is tried again.
                try:
                    if job:
                        self.lane.handle(*job)
                    else:
                        self.lane.record()
                except Exception:
                    log.exception("alerts: a sending connection failed on one message")
        finally:
            try:
                self.lane.close()
            except Exception:
                log.exception("alerts: could not record the last sent rows")
            finally:
                connection.close()


def _fast_commits() -> None:
    # Recording "sent" waits for no disk flush: a killed worker loses nothing (PostgreSQL
    # has the commit); only a crash of PostgreSQL itself in the next ~0.6 s could forget a
    # record, and that row would go out once more, with the same Message-ID.
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")


def _failed(
    row_ids: list[int], exc: Exception, email: str, report: SendReport, lock: threading.Lock
) -> None:
    permanent, detail = _refused_permanently(exc)
    with lock:
        report.errors.append(detail)
    if permanent:
        _record_outcome(row_ids, Delivery.State.FAILED, f"refused: {detail}")
        subscriber_suppress(email=email, reason=f"hard bounce at send: {detail}")
        with lock:
            report.failed += 1
        return
    attempts = Delivery.objects.filter(pk=row_ids[0]).values_list("attempts", flat=True)
    attempts = attempts[0] if attempts else MAX_ATTEMPTS
    if attempts >= MAX_ATTEMPTS:
        _record_outcome(row_ids, Delivery.State.FAILED, detail)
        with lock:
            report.failed += 1
    else:
        due = clock.now() + backoff(attempts)
        _record_outcome(row_ids, Delivery.State.QUEUED, detail, due_at=due)
        with lock:
            report.retried += 1


class Sender:
    """Prepares messages in the caller's thread and hands them to ``connections`` lanes."""

    def __init__(self, report: SendReport, connections: int) -> None:
        self.report = report
        self.lock = threading.Lock()
        self.inline: _Lane | None = None
        self.threads: list[_ThreadLane] = []
        if connections <= 1:
            self.inline = _Lane(report, self.lock)
        else:
            self.jobs: queue.Queue = queue.Queue(maxsize=connections * 2)
            self.threads = [_ThreadLane(self.jobs, report, self.lock) for _ in range(connections)]
            for thread in self.threads:
                thread.start()

    def deliver(self, row_ids: list[int], built: messages.Built, email: str) -> None:
        if self.inline is not None:
            self.inline.handle(row_ids, built, email)
        else:
            self.jobs.put((row_ids, built, email))

    def close(self) -> None:
        """Wait for every message handed over, and record them all."""
        if self.inline is not None:
            self.inline.close()
        for _ in self.threads:
            self.jobs.put(None)
        for thread in self.threads:
            thread.join()

    def cancel(self, rows: list[Delivery], reason: str) -> None:
        _record_outcome([r.pk for r in rows], Delivery.State.CANCELLED, reason)
        with self.lock:
            self.report.cancelled += len(rows)

    def instant(self, ids: list[int], deadline: float) -> list[int]:
        """Send claimed instant rows; returns those left unsent when time ran out."""
        batch = _Batch(ids)
        for index, row in enumerate(batch.rows):
            if time.monotonic() > deadline:
                return [r.pk for r in batch.rows[index:]]
            reason, follow = batch.check(row)
            if reason:
                self.cancel([row], reason)
                continue
            try:
                if row.kind == Delivery.Kind.CORRECTION:
                    built = messages.correction(
                        row, batch.view(row.move_id), follow, batch.prepared
                    )
                else:
                    built = messages.alert(row, batch.view(row.move_id), follow, batch.prepared)
            except Exception as exc:  # one message that cannot be written stops no other
                log.exception("alerts: could not write the message for row %s", row.pk)
                _failed([row.pk], exc, row.subscriber.email, self.report, self.lock)
                continue
            self.deliver([row.pk], built, row.subscriber.email)
        return []

    def digests(self, ids: list[int], deadline: float) -> list[int]:
        batch = _Batch(ids)
        groups: dict[tuple[int, str], list[Delivery]] = defaultdict(list)
        for row in batch.rows:
            groups[(row.subscriber_id, row.frequency)].append(row)
        pending = list(groups.items())
        for index, ((_, frequency), rows) in enumerate(pending):
            if time.monotonic() > deadline:
                return [r.pk for _, rest in pending[index:] for r in rest]
            items, void = [], []
            for row in rows:
                reason, follow = batch.check(row)
                if reason:
                    void.append((row, reason))
                else:
                    items.append((row, batch.view(row.move_id), follow))
            for row, reason in void:
                self.cancel([row], reason)
            if items:
                row_ids, email = [row.pk for row, _, _ in items], rows[0].subscriber.email
                try:
                    built = messages.digest(rows[0].subscriber, frequency, items)
                except Exception as exc:  # one digest that cannot be written stops no other
                    log.exception("alerts: could not write the digest for rows %s", row_ids)
                    _failed(row_ids, exc, email, self.report, self.lock)
                    continue
                self.deliver(row_ids, built, email)
        return []


def _release(ids: list[int]) -> None:
    """Rows claimed but not reached before the time budget ran out: back to the queue now,
    rather than waiting for their lease to run out."""
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(
                """UPDATE talent_delivery SET state = 'queued', lease_until = NULL,
                       attempts = GREATEST(attempts - 1, 0)
                   WHERE id = ANY(%s) AND state = 'sending'""",
                [ids],
            )


def deliveries_send(
    *, budget_seconds: float, batch: int = BATCH, connections: int | None = None
) -> SendReport:
    """Send what is due until nothing is or ``budget_seconds`` have passed (then
    ``report.more`` says another run should follow), over ``connections`` SMTP connections
    at once (ALERTS_SMTP_CONNECTIONS). Safe to run in several processes."""
    report = SendReport()
    if connections is None:
        connections = settings.ALERTS_SMTP_CONNECTIONS
    sender = Sender(report, connections)
    deadline = time.monotonic() + budget_seconds
    _fast_commits()
    try:
        while time.monotonic() < deadline:
            now = clock.now()
            ids = _claim_instant(now, batch)
            if ids:
                _release(sender.instant(ids, deadline))
                continue
            ids = _claim_digests(now, max(1, batch // 10))
            if ids:
                _release(sender.digests(ids, deadline))
                continue
            break
        else:
            report.more = True
    finally:
        sender.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
    return report


def confirmation_send(*, subscriber_id: int) -> str:
    """The one message an unconfirmed address may get. Raises on a temporary failure (the
    task retries it a few times, soon)."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return "gone"
    if subscriber.suppressed_at:
        return "suppressed"
    follows = list(
        subscriber.follows.filter(state=Follow.State.PENDING).select_related(*_FOLLOW_RELATED)
    )
    if not follows:
        return "nothing to confirm"
    built = messages.confirmation(subscriber, follows)
    mailer = _Mailer()
    try:
        mailer.send(built.message)
    except smtplib.SMTPRecipientsRefused as exc:
        permanent, detail = _refused_permanently(exc)
        if permanent:
            subscriber_suppress(email=subscriber.email, reason=f"hard bounce: {detail}")
            return "refused"
        raise
    finally:
        mailer.close()
    return "sent"

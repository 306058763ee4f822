"""Subscribers, what they follow, and the outbox of deliveries.

Imported by talent.models, so these are models of the ``talent`` app. Foreign keys are
written as strings: this module is loaded at the end of talent.models.
"""

from __future__ import annotations

import zoneinfo

from django.db import models
from django.db.models import Q
from django.utils import timezone as tz


class SubscriberQuerySet(models.QuerySet):
    def mailable(self) -> SubscriberQuerySet:
        """Addresses we may send alerts to: confirmed and never bounced or complained."""
        return self.filter(confirmed_at__isnull=False, suppressed_at__isnull=True)


class Subscriber(models.Model):
    """One e-mail address. Nothing but the one confirmation goes to it before it is
    confirmed, and nothing at all once it is suppressed (hard bounce or complaint)."""

    email = models.EmailField(max_length=254, unique=True, help_text="Stored lower-cased")
    user = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="subscribers"
    )
    timezone = models.CharField(max_length=64, default="UTC")
    digest_hour = models.PositiveSmallIntegerField(default=8, help_text="Local hour, 0-23")
    digest_weekday = models.PositiveSmallIntegerField(
        default=1, help_text="For weekly digests: ISO weekday, 1 = Monday"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    suppressed_at = models.DateTimeField(null=True, blank=True)
    suppressed_reason = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=tz.now, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(digest_hour__gte=0) & Q(digest_hour__lte=23),
                name="subscriber_digest_hour_range",
            ),
            models.CheckConstraint(
                condition=Q(digest_weekday__gte=1) & Q(digest_weekday__lte=7),
                name="subscriber_digest_weekday_range",
            ),
            models.CheckConstraint(
                condition=Q(email=models.functions.Lower("email")),
                name="subscriber_email_lower_case",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_suppressed(self) -> bool:
        return self.suppressed_at is not None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class FollowQuerySet(models.QuerySet):
    def active(self) -> FollowQuerySet:
        return self.filter(state=Follow.State.ACTIVE)

    def matching(self, move) -> FollowQuerySet:
        """Active follows that this move concerns. ``move`` needs person_id, kind, from_org_id,
        to_org_id, team_id and ``from_team_id`` (the team of the stint it leaves).

        Directions exclude moves inside one organization (a new role is nobody's
        departure); the kinds filter is read relative to the move:
        joins = joined or returned; foundings; departures = left an organization
        (for a known destination or not).
        """
        from_org, to_org = move.from_org_id, move.to_org_id
        kinds = [Follow.Kinds.ALL]
        if move.kind in ("join", "return"):
            kinds.append(Follow.Kinds.JOINS)
        if move.kind == "founding":
            kinds.append(Follow.Kinds.FOUNDINGS)
        crossing = from_org != to_org
        if from_org and crossing:
            kinds.append(Follow.Kinds.DEPARTURES)
        T = Follow.Target
        target = Q(target=T.PERSON, person_id=move.person_id)
        orgs = [pk for pk in (from_org, to_org) if pk]
        if orgs:
            target |= Q(target=T.COMPANY, organization_id__in=orgs)
        teams = [pk for pk in (move.team_id, getattr(move, "from_team_id", None)) if pk]
        if teams:
            target |= Q(target=T.TEAM, team_id__in=teams)
        if crossing and from_org:
            target |= Q(target=T.DIRECTION, from_org_id=from_org, to_org__isnull=True)
        if crossing and to_org:
            target |= Q(target=T.DIRECTION, to_org_id=to_org, from_org__isnull=True)
        if crossing and from_org and to_org:
            target |= Q(target=T.DIRECTION, from_org_id=from_org, to_org_id=to_org)
        return self.active().filter(target, kinds__in=kinds)


class Follow(models.Model):
    """What one address follows, which moves of it, and how often it hears of them."""

    class Target(models.TextChoices):
        COMPANY = "company", "company"
        TEAM = "team", "team"
        PERSON = "person", "person"
        DIRECTION = "direction", "direction"

    class Kinds(models.TextChoices):
        ALL = "all", "all moves"
        JOINS = "joins", "joins only"
        DEPARTURES = "departures", "departures only"
        FOUNDINGS = "foundings", "foundings only"

    class Frequency(models.TextChoices):
        INSTANT = "instant", "as it happens"
        DAILY = "daily", "daily digest"
        WEEKLY = "weekly", "weekly digest"

    class State(models.TextChoices):
        PENDING = "pending", "waiting for confirmation"
        ACTIVE = "active", "active"
        STOPPED = "stopped", "stopped"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="follows")
    target = models.CharField(max_length=10, choices=Target.choices)
    # Merges move these onto the surviving record (talent.merging.RELATIONS), and back on undo.
    organization = models.ForeignKey(
        "talent.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        "talent.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "talent.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    from_org = models.ForeignKey(
        "talent.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    to_org = models.ForeignKey(
        "talent.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kinds = models.CharField(max_length=12, choices=Kinds.choices, default=Kinds.ALL)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.INSTANT)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    created = models.DateTimeField(default=tz.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        indexes = [
            # The fan-out looks follows up by what they follow; only active ones matter.
            models.Index(
                fields=["organization", "kinds"],
                name="follow_company",
                condition=Q(state="active", target="company"),
            ),
            models.Index(
                fields=["team"], name="follow_team", condition=Q(state="active", target="team")
            ),
            models.Index(
                fields=["person"],
                name="follow_person",
                condition=Q(state="active", target="person"),
            ),
            models.Index(
                fields=["from_org", "to_org"],
                name="follow_direction_from",
                condition=Q(state="active", target="direction"),
            ),
            models.Index(
                fields=["to_org"],
                name="follow_direction_to",
                condition=Q(state="active", target="direction"),
            ),
            models.Index(fields=["subscriber", "state"], name="follow_subscriber"),
        ]
        constraints = [
            # Exactly the fields its target needs. No uniqueness per address: a merge can
            # make two follows point at one record, and the outbox sends one message anyway.
            models.CheckConstraint(
                condition=(
                    Q(
                        target="company",
                        organization__isnull=False,
                        team__isnull=True,
                        person__isnull=True,
                        from_org__isnull=True,
                        to_org__isnull=True,
                    )
                    | Q(
                        target="team",
                        organization__isnull=True,
                        team__isnull=False,
                        person__isnull=True,
                        from_org__isnull=True,
                        to_org__isnull=True,
                    )
                    | Q(
                        target="person",
                        organization__isnull=True,
                        team__isnull=True,
                        person__isnull=False,
                        from_org__isnull=True,
                        to_org__isnull=True,
                    )
                    | (
                        Q(
                            target="direction",
                            organization__isnull=True,
                            team__isnull=True,
                            person__isnull=True,
                        )
                        & (Q(from_org__isnull=False) | Q(to_org__isnull=False))
                    )
                ),
                name="follow_fields_match_target",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How the reader sees it: "OpenAI", "OpenAI → Anthropic", "anyone leaving OpenAI"."""
        if self.target == self.Target.COMPANY:
            text = self.organization.name
        elif self.target == self.Target.TEAM:
            text = f"{self.team.name} ({self.team.organization.name})"
        elif self.target == self.Target.PERSON:
            text = self.person.name
        elif self.from_org_id and self.to_org_id:
            text = f"{self.from_org.name} → {self.to_org.name}"
        elif self.from_org_id:
            text = f"{self.from_org.name} → anywhere"
        else:
            text = f"anywhere → {self.to_org.name}"
        if self.kinds != self.Kinds.ALL:
            text += f" ({self.get_kinds_display()})"
        return text

    @property
    def list_slug(self) -> str:
        """A stable, dot-free name for List-Id."""
        if self.target == self.Target.DIRECTION:
            return f"direction-{self.from_org_id or 'any'}-{self.to_org_id or 'any'}"
        pk = self.organization_id or self.team_id or self.person_id
        return f"{self.target}-{pk}"

    def group_org(self, move):
        """The company a digest files this move under: the one the reader follows."""
        if self.target == self.Target.COMPANY:
            return self.organization
        if self.target == self.Target.TEAM:
            return self.team.organization
        if self.target == self.Target.DIRECTION:
            return self.from_org if self.from_org_id and not self.to_org_id else self.to_org
        return move.to_org or move.from_org


class DeliveryQuerySet(models.QuerySet):
    def pending(self) -> DeliveryQuerySet:
        return self.filter(state__in=[Delivery.State.QUEUED, Delivery.State.SENDING])


class Delivery(models.Model):
    """The outbox: one row per address and move (and one per correction of a sent move).

    Created in the transaction that approves the move; the sender claims due rows with
    SKIP LOCKED, leases them (``lease_until``), sends, and records each result at once, so
    a worker killed mid-batch leaves its unsent rows to be claimed again when the lease runs
    out and never sends again a row recorded as sent. Retries wait in ``due_at``.
    """

    class Kind(models.TextChoices):
        ALERT = "alert", "alert"
        CORRECTION = "correction", "correction"

    class State(models.TextChoices):
        QUEUED = "queued", "queued"
        SENDING = "sending", "sending"
        SENT = "sent", "sent"
        FAILED = "failed", "failed"
        CANCELLED = "cancelled", "cancelled"

    # The outbox's foreign keys have no database constraints. One approval writes a row per
    # follower (100,000 in the bench) and PostgreSQL checks a constraint row by row: three
    # of them tripled the time of the fan-out, past the 2 s it must take. The INSERT itself
    # joins the live subscriber and follow; deleting through the ORM still cascades or sets
    # NULL; and the sender cancels a row whose move or follow is gone.
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries", db_constraint=False
    )
    move = models.ForeignKey(
        "talent.Move",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    follow = models.ForeignKey(
        Follow,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
        db_constraint=False,
    )
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ALERT)
    frequency = models.CharField(
        max_length=8, choices=Follow.Frequency.choices, default=Follow.Frequency.INSTANT
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    due_at = models.DateTimeField(default=tz.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    summary = models.CharField(
        max_length=500, blank=True, help_text="The move in one line, as it was sent"
    )
    created = models.DateTimeField(default=tz.now, editable=False)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [
            # The sender's claim: due rows in order, only those not yet settled.
            models.Index(
                fields=["due_at", "id"],
                name="delivery_due",
                condition=Q(state__in=["queued", "sending"]),
            ),
            models.Index(fields=["subscriber", "state"], name="delivery_subscriber"),
        ]
        constraints = [
            # One message per address and move, however many of its follows the move matches.
            # Move first: it also serves "the rows of this move" (corrections).
            models.UniqueConstraint(
                fields=["move", "subscriber"],
                condition=Q(kind="alert"),
                name="delivery_once_per_address_and_move",
            ),
            models.UniqueConstraint(
                fields=["corrects", "summary"],
                condition=Q(kind="correction"),
                name="delivery_correction_once",
            ),
            models.CheckConstraint(
                condition=Q(kind="alert", corrects__isnull=True)
                | Q(kind="correction", corrects__isnull=False),
                name="delivery_correction_has_original",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.subscriber_id} about move {self.move_id} ({self.state})"

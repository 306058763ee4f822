"""The domain: people, organizations, teams, and the stints that make a career.

Stints are the one source of truth for careers. Moves are derived from them by
``talent.services.moves_rebuild`` and are never edited by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.db import models
from django.db.models import F, Func, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Normalized(Func):
    """``tt_normalize(text)``: lower-cased and unaccented, immutable so it can be indexed.

    The SQL function is created by migration 0001; search and alias look-ups compare
    normalized forms so "Karen Simonyan" finds "Karén Simonyan".
    """

    function = "tt_normalize"
    output_field = models.TextField()


def _trigram_index(name: str) -> GinIndex:
    return GinIndex(OpClass(Normalized(F("name")), name="gin_trgm_ops"), name=name)


def _nearest_index(name: str) -> GistIndex:
    # For "the names nearest this one" (ORDER BY q <<-> name LIMIT n): GiST walks the
    # trigram tree in order of distance, where GIN could only find every match and sort.
    # Short names share most trigrams: a long signature keeps them apart (at a million
    # stints the first 60 nearest take 1 ms instead of 40).
    return GistIndex(OpClass(Normalized(F("name")), name="gist_trgm_ops(siglen=256)"), name=name)


class Precision(models.TextChoices):
    DAY = "day", "day"
    MONTH = "month", "month"
    YEAR = "year", "year"
    UNKNOWN = "unknown", "unknown"
    # Only for ends: the person is still there. Distinct from an end we do not know.
    PRESENT = "present", "present"


_PRECISION_RANK = {Precision.YEAR: 1, Precision.MONTH: 2, Precision.DAY: 3}


@dataclass(frozen=True)
class PartialDate:
    """A date known to a day, a month or a year; stored as its first day plus a precision."""

    date: dt.date | None
    precision: str

    @classmethod
    def parse(cls, text: str | None, *, allow_present: bool = False) -> PartialDate:
        """Read "2017", "2017-06", "2017-06-20", "unknown" (and "present" for ends)."""
        raw = (text or "").strip().lower()
        if raw in ("", "unknown"):
            return cls(None, Precision.UNKNOWN)
        if raw == "present":
            if not allow_present:
                raise ValueError("only an end can be 'present'")
            return cls(None, Precision.PRESENT)
        parts = raw.split("-")
        try:
            numbers = [int(p) for p in parts]
        except ValueError:
            raise ValueError(f"not a date: {text!r}") from None
        if len(numbers) == 1:
            return cls(dt.date(numbers[0], 1, 1), Precision.YEAR)
        if len(numbers) == 2:
            return cls(dt.date(numbers[0], numbers[1], 1), Precision.MONTH)
        if len(numbers) == 3:
            return cls(dt.date(*numbers), Precision.DAY)
        raise ValueError(f"not a date: {text!r}")

    @property
    def upper(self) -> dt.date | None:
        """The last day this partial date could mean."""
        if self.date is None:
            return None
        if self.precision == Precision.YEAR:
            return dt.date(self.date.year, 12, 31)
        if self.precision == Precision.MONTH:
            next_month = (self.date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return next_month - dt.timedelta(days=1)
        return self.date

    def overlaps(self, other: PartialDate) -> bool:
        """Both dated and possibly the same day: equal at the coarser of the two precisions
        ("May 2024" and "28 May 2024" are one date; "2024" and "28 May 2024" too)."""
        if self.date is None or other.date is None:
            return False
        return self.date <= other.upper and other.date <= self.upper

    def before(self, other: PartialDate) -> bool:
        """Certainly earlier: the last day this could mean is before the first day of the
        other. "2023" is before "May 2024"; "2024" is not before "May 2024"."""
        if self.date is None or other.date is None:
            return False
        return self.upper < other.date

    def finer_than(self, other: PartialDate) -> bool:
        return _PRECISION_RANK.get(self.precision, 0) > _PRECISION_RANK.get(other.precision, 0)

    def days_apart(self, other: PartialDate) -> int:
        """Days between the two periods, 0 when they overlap (or either is unknown)."""
        if self.date is None or other.date is None or self.overlaps(other):
            return 0
        earlier, later = (self, other) if self.date < other.date else (other, self)
        return (later.date - earlier.upper).days

    def __str__(self) -> str:
        return format_partial(self.date, self.precision)


def format_partial(date: dt.date | None, precision: str) -> str:
    if precision == Precision.PRESENT:
        return "present"
    if date is None:
        return "unknown"
    if precision == Precision.YEAR:
        return f"{date.year}"
    if precision == Precision.MONTH:
        return date.strftime("%b %Y")
    return f"{date.day} {date.strftime('%b %Y')}"


class Organization(models.Model):
    class Kind(models.TextChoices):
        LAB = "lab", "AI lab"
        BIGTECH = "bigtech", "Big tech"
        STARTUP = "startup", "Startup"
        ACADEMIA = "academia", "Academia"
        NONPROFIT = "nonprofit", "Non-profit"
        INVESTOR = "investor", "Investor"
        OTHER = "other", "Other"

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    domain = models.CharField(
        max_length=253, blank=True, help_text="Website domain, e.g. anthropic.com"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    country = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code of its headquarters, e.g. US"
    )
    description = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [
            _trigram_index("org_name_trgm"),
            _nearest_index("org_name_near"),
            # the API's ?updated_since= walks this, in this order
            models.Index(fields=["updated", "id"], name="org_updated"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="org_not_own_parent"),
            models.CheckConstraint(condition=~Q(slug=""), name="org_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("talent:company", args=[self.slug])


class OrganizationAlias(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = "organization aliases"
        ordering = ["name"]
        indexes = [_trigram_index("orgalias_name_trgm"), _nearest_index("orgalias_name_near")]
        constraints = [
            models.UniqueConstraint(
                F("organization"), Normalized(F("name")), name="orgalias_unique_per_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    # No index of its own: team_slug_unique_in_org leads with it.
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="teams", db_index=False
    )
    slug = models.SlugField(max_length=120)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    description = models.TextField(blank=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [
            _trigram_index("team_name_trgm"),
            models.Index(fields=["updated", "id"], name="team_updated"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "slug"], name="team_slug_unique_in_org"
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="team_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("talent:team", args=[self.organization.slug, self.slug])


class Person(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    bio = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [
            _trigram_index("person_name_trgm"),
            _nearest_index("person_name_near"),
            models.Index(fields=["updated", "id"], name="person_updated"),
        ]
        constraints = [models.CheckConstraint(condition=~Q(slug=""), name="person_slug_not_empty")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("talent:person", args=[self.slug])


class PersonAlias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = "person aliases"
        ordering = ["name"]
        indexes = [
            _trigram_index("personalias_name_trgm"),
            _nearest_index("personalias_name_near"),
        ]
        constraints = [
            models.UniqueConstraint(
                F("person"), Normalized(F("name")), name="personalias_unique_per_person"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PersonLink(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(max_length=500)
    label = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "url"], name="personlink_unique"),
        ]

    def __str__(self) -> str:
        return self.label or self.url


class StintQuerySet(models.QuerySet):
    def current(self) -> StintQuerySet:
        return self.filter(end_precision=Precision.PRESENT)

    def on(self, day: dt.date) -> StintQuerySet:
        """Stints that certainly or plausibly covered ``day``: started on or before it
        (at the start's precision) and not known to have ended before it."""
        started = Q(start_date__lte=day)
        not_ended = (
            Q(end_precision=Precision.PRESENT)
            | Q(end_precision=Precision.DAY, end_date__gte=day)
            | Q(end_precision=Precision.MONTH, end_date__gte=day.replace(day=1))
            | Q(end_precision=Precision.YEAR, end_date__year__gte=day.year)
        )
        return self.filter(started & not_ended)


class Stint(models.Model):
    """A person's time at an organization, optionally on a team, with a title and a manager."""

    # The foreign keys' own indexes would duplicate the leading columns of those in Meta.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="stints", db_index=False
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="stints", db_index=False
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stints",
        db_index=False,
    )
    title = models.CharField(max_length=200, blank=True)
    manager = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    is_founder = models.BooleanField(
        default=False, help_text="Founded or co-founded the organization in this stint"
    )
    start_date = models.DateField(null=True, blank=True, help_text="First day of the period")
    start_precision = models.CharField(
        max_length=10, choices=Precision.choices, default=Precision.UNKNOWN
    )
    end_date = models.DateField(null=True, blank=True, help_text="First day of the period")
    end_precision = models.CharField(
        max_length=10,
        choices=Precision.choices,
        default=Precision.PRESENT,
        help_text="'present' means still there; 'unknown' means left at an unknown date",
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    objects = StintQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = [F("start_date").asc(nulls_first=True), "id"]
        indexes = [
            # counts of the people at an organization now (an index-only scan)
            models.Index(fields=["organization", "end_precision"], name="stint_org_current"),
            # company, "who was here" and flows pages: an organization's stints, latest
            # start first, paged by keyset in exactly this order
            models.Index(
                F("organization"),
                F("start_date").desc(nulls_last=True),
                F("id").desc(),
                name="stint_org_start",
            ),
            models.Index(fields=["person", "start_date"], name="stint_person_start"),
            models.Index(
                F("team"), F("start_date").desc(nulls_last=True), F("id").desc(), name="stint_team"
            ),
            # how many are on each team now (an index-only count)
            models.Index(
                fields=["team"],
                condition=Q(end_precision=Precision.PRESENT),
                name="stint_team_current",
            ),
            models.Index(fields=["updated", "id"], name="stint_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(start_precision=Precision.PRESENT), name="stint_start_not_present"
            ),
            # A date is stored exactly when its precision says it is known.
            models.CheckConstraint(
                condition=Q(start_date__isnull=True, start_precision=Precision.UNKNOWN)
                | Q(
                    start_date__isnull=False,
                    start_precision__in=[Precision.DAY, Precision.MONTH, Precision.YEAR],
                ),
                name="stint_start_date_matches_precision",
            ),
            models.CheckConstraint(
                condition=Q(
                    end_date__isnull=True,
                    end_precision__in=[Precision.UNKNOWN, Precision.PRESENT],
                )
                | Q(
                    end_date__isnull=False,
                    end_precision__in=[Precision.DAY, Precision.MONTH, Precision.YEAR],
                ),
                name="stint_end_date_matches_precision",
            ),
            # No stint ends before it starts. Partial dates compare at the end's precision:
            # started 2017-06-20 and ended "2017" is consistent; ended 2016 is not.
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(
                    end_date__gte=Func(
                        F("end_precision"),
                        F("start_date"),
                        function="date_trunc",
                        output_field=models.DateTimeField(),
                    )
                ),
                name="stint_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.organization} ({self.start} – {self.end})"

    @property
    def start(self) -> PartialDate:
        return PartialDate(self.start_date, self.start_precision)

    @property
    def end(self) -> PartialDate:
        return PartialDate(self.end_date, self.end_precision)

    @property
    def is_current(self) -> bool:
        return self.end_precision == Precision.PRESENT


class Source(models.Model):
    """Where a fact comes from: an article or page, with the sentence that states it."""

    url = models.URLField(max_length=1000)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    evidence = models.TextField(blank=True, help_text="The sentence(s) that state the fact")
    first_seen = models.DateTimeField(default=timezone.now)
    stints = models.ManyToManyField(Stint, related_name="sources", blank=True)

    class Meta:
        ordering = ["-published_on", "id"]
        constraints = [
            # The same sentence from the same page is one source, however often it is seen.
            models.UniqueConstraint(
                F("url"), Func(F("evidence"), function="md5"), name="source_url_evidence_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class MoveQuerySet(models.QuerySet):
    def between_orgs(self) -> MoveQuerySet:
        """Moves that cross organizations (promotions stay inside one)."""
        return self.exclude(kind=Move.Kind.PROMOTION)

    def with_related(self) -> MoveQuerySet:
        return self.select_related("person", "from_org", "to_org", "team")


class Move(models.Model):
    """A transition in a person's career, derived from their stints.

    Rebuilt by ``talent.services.moves_rebuild`` whenever a person's stints change;
    never edited by hand.
    """

    class Kind(models.TextChoices):
        JOIN = "join", "joined"
        DEPART = "depart", "left"
        PROMOTION = "promotion", "new role"
        FOUNDING = "founding", "founded"
        RETURN = "return", "returned to"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="moves")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # Organizations are found through move_from_org_date and move_to_org_date, the stint a
    # move starts through move_once_per_arrival: no separate foreign-key indexes.
    from_org = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="moves_out",
        db_index=False,
    )
    to_org = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="moves_in",
        db_index=False,
    )
    from_stint = models.ForeignKey(
        Stint, null=True, blank=True, on_delete=models.CASCADE, related_name="moves_from"
    )
    to_stint = models.ForeignKey(
        Stint,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="moves_to",
        db_index=False,
    )
    # The team of the stint arrived at (of the stint left, for a departure), and the team
    # of the stint left: team flows count a move out of one team and into another.
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    from_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200, blank=True)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=10, choices=Precision.choices, default=Precision.UNKNOWN
    )
    # Set when the rebuild changes the move (rebuilds keep unchanged moves as they are).
    updated = models.DateTimeField(default=timezone.now)

    objects = MoveQuerySet.as_manager()

    class Meta:
        # Every list of moves is ordered like this, and each index below is built in this
        # order, so a page of them is read straight off an index and never sorted.
        ordering = [F("date").desc(nulls_last=True), "-id"]
        permissions = [("rebuild_moves", "Can rebuild derived moves")]
        indexes = [
            models.Index(F("date").desc(nulls_last=True), F("id").desc(), name="move_recent"),
            models.Index(
                F("to_org"),
                F("date").desc(nulls_last=True),
                F("id").desc(),
                name="move_to_org_date",
            ),
            models.Index(
                F("from_org"),
                F("date").desc(nulls_last=True),
                F("id").desc(),
                name="move_from_org_date",
            ),
            models.Index(fields=["updated", "id"], name="move_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_org__isnull=False) | Q(to_org__isnull=False),
                name="move_has_an_org",
            ),
            # A stint is arrived at by one move and left by at most one departure: the
            # rebuild matches stored moves to derived ones by these keys.
            models.UniqueConstraint(
                fields=["to_stint"],
                condition=Q(to_stint__isnull=False),
                name="move_once_per_arrival",
            ),
            models.UniqueConstraint(
                fields=["from_stint"],
                condition=Q(to_stint__isnull=True),
                name="move_once_per_departure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.to_org or self.from_org}"

    @property
    def when(self) -> PartialDate:
        return PartialDate(self.date, self.date_precision)


class Announcement(models.Model):
    """What the extractor read about one move, in one or more sources, before a curator
    decides. Names that matched no record stay as text (and the link stays empty)."""

    class Kind(models.TextChoices):
        JOIN = "join", "join"
        DEPART = "depart", "departure"
        PROMOTION = "promotion", "promotion"
        FOUNDING = "founding", "founding"
        RETURN = "return", "return"

    class Status(models.TextChoices):
        REPORTED = "reported", "reported"
        RUMOR = "rumor", "rumor"

    class State(models.TextChoices):
        PENDING = "pending", "pending review"
        APPROVED = "approved", "approved"
        AUTO_APPROVED = "auto-approved", "auto-approved"
        REJECTED = "rejected", "rejected"
        DUPLICATE = "duplicate", "duplicate"
        # A rumor's later fate, once a curator has seen it confirmed or denied.
        CONFIRMED = "confirmed", "rumor confirmed"
        RETRACTED = "retracted", "rumor retracted"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REPORTED)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="announcements"
    )
    person_name = models.CharField(max_length=200)
    from_org = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_org_name = models.CharField(max_length=200, blank=True)
    to_org = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_org_name = models.CharField(max_length=200, blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team_name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    manager = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    manager_name = models.CharField(max_length=200, blank=True)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=10, choices=Precision.choices, default=Precision.UNKNOWN
    )
    confidence = models.FloatField(default=0.5)
    evidence = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="announcements", blank=True)
    reason = models.TextField(blank=True, help_text="Why it was rejected or retracted")
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    decided_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    opened_stint = models.ForeignKey(
        Stint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_stint = models.ForeignKey(
        Stint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created", "-id"]
        permissions = [
            ("review_announcement", "Can review announcements (approve, reject, edit)"),
        ]
        indexes = [
            models.Index(fields=["state", "-confidence"], name="announcement_queue"),
            models.Index(fields=["person_name"], name="announcement_person_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="announcement_confidence_range",
            ),
            models.CheckConstraint(condition=~Q(person_name=""), name="announcement_has_a_person"),
        ]

    def __str__(self) -> str:
        where = self.to_org_name or self.from_org_name
        return f"{self.person_name} {self.kind} {where}".strip()

    @property
    def is_decided(self) -> bool:
        return self.state != self.State.PENDING

    @property
    def when(self) -> PartialDate:
        return PartialDate(self.date, self.date_precision if self.date else Precision.UNKNOWN)

    @property
    def unresolved(self) -> list[str]:
        """Names that stayed text: shown to curators as flags, never guessed."""
        pairs = [
            ("person", self.person_id, self.person_name),
            ("from", self.from_org_id, self.from_org_name),
            ("to", self.to_org_id, self.to_org_name),
            ("team", self.team_id, self.team_name),
            ("manager", self.manager_id, self.manager_name),
        ]
        return [label for label, link, name in pairs if name and not link]


class Correction(models.Model):
    """A reader's suggestion that something on a person's or company's page is wrong. It
    waits in the review queue; nothing on the page changes until a curator acts."""

    class State(models.TextChoices):
        OPEN = "open", "open"
        RESOLVED = "resolved", "resolved"
        DISMISSED = "dismissed", "dismissed"

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="corrections"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="corrections"
    )
    message = models.TextField(max_length=2000)
    source_url = models.URLField(max_length=1000, blank=True)
    contact = models.EmailField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["state", "-created"], name="correction_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False),
                name="correction_is_about_something",
            )
        ]

    def __str__(self) -> str:
        return f"Correction to {self.person or self.organization}"

    @property
    def subject(self):
        return self.person or self.organization


class Merge(models.Model):
    """A record merged into another: what moved, so the old URL redirects and the merge can
    be undone exactly."""

    class Kind(models.TextChoices):
        PERSON = "person", "person"
        ORGANIZATION = "organization", "organization"
        TEAM = "team", "team"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    source_id = models.BigIntegerField(help_text="The merged record's id, reused if undone")
    old_slug = models.SlugField(max_length=120)
    old_name = models.CharField(max_length=200)
    old_org_slug = models.SlugField(max_length=120, blank=True, help_text="For teams")
    target_id = models.BigIntegerField()
    snapshot = models.JSONField(default=dict, help_text="The merged record's own fields")
    moved = models.JSONField(default=dict, help_text="Ids of rows moved, by model and field")
    created = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        permissions = [("merge_records", "Can merge people, organizations and teams, and undo")]
        indexes = [models.Index(fields=["kind", "old_slug"], name="merge_old_slug")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.old_name} merged"


class Report(models.Model):
    """What one source said about an announcement's move. Outlets disagree (on the date, the
    team, the title); keeping each version lets a curator see them side by side."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reports")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="reports")
    team_name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    from_org_name = models.CharField(max_length=200, blank=True)
    manager_name = models.CharField(max_length=200, blank=True)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=10, choices=Precision.choices, default=Precision.UNKNOWN
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "source"], name="report_once_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} on {self.announcement}"


class Presence(models.Model):
    """A spell a person spent at an organization: their stints there merged where they
    overlap or touch, ``leave`` exclusive (None: still there). Derived from stints with the
    moves, in the same transaction, by the rule of "who was here on a date": a stint
    whose start or end is unknown makes no spell.

    One spell per person covers any day, so counting spells counts people."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    start = models.DateField()
    leave = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            # "how many were here on D": an index-only range scan per organization
            models.Index(fields=["organization", "start", "leave"], name="presence_org_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(leave__isnull=True) | Q(leave__gt=F("start")),
                name="presence_leaves_after_start",
            ),
        ]


class HeadcountMonth(models.Model):
    """How an organization's headcount changed in a month: spells starting in it minus
    spells left in it. Headcount at the end of month m is the sum up to m. Kept by the
    moves rebuild, a delta at a time; ``presence_summary_refresh`` rebuilds it whole."""

    # No database constraint: the triggers that keep these rows may write for an
    # organization a cascade is deleting in the same transaction.
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    month = models.DateField()
    delta = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="headcount_month_once"),
        ]


class FlowMonth(models.Model):
    """How many moves came into (``incoming``) or left an organization in a month, from or
    to each counterpart (None: nowhere recorded), promotions aside. A move known only to
    the year is counted on its year's first month with ``year_only``; an undated one on
    UNDATED. Kept by the moves rebuild from the moves it adds, changes and removes, so the
    flows pages sum a few thousand small rows instead of reading every move."""

    UNDATED = dt.date(1, 1, 1)

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    month = models.DateField()
    year_only = models.BooleanField(default=False)
    counterpart = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    incoming = models.BooleanField()
    is_return = models.BooleanField(default=False)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "organization",
                    "month",
                    "year_only",
                    "counterpart",
                    "incoming",
                    "is_return",
                ],
                name="flow_month_once",
                nulls_distinct=False,
            ),
        ]
        indexes = [
            # /flows/: every organization's moves over a range of months
            models.Index(fields=["month", "organization"], name="flow_month_range"),
        ]


class TeamFlowMonth(models.Model):
    """Moves into (``incoming``) and out of a team in a month, a change of team inside an
    organization counting for both teams; kept by trigger from the moves (migration 0017),
    dated like FlowMonth."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    month = models.DateField()
    year_only = models.BooleanField(default=False)
    incoming = models.BooleanField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "month", "year_only", "incoming"], name="team_flow_month_once"
            ),
        ]


class DataVersion(models.Model):
    """One row whose number grows with every write to what public pages show (people,
    organizations, teams, stints, sources, moves): statement-level triggers bump it in the
    writing transaction (migration 0020), so cached page sections keyed on it are never
    stale, whoever writes, the ORM, the admin, a bulk COPY or a hand-written UPDATE. The
    number is the clock in microseconds (or the last plus one): it never repeats, even
    after a rollback or a restore."""

    id = models.SmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=1)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="data_version_one_row")]

    @classmethod
    def current(cls) -> int:
        # No row: nothing watched was ever written (a new or just-flushed database).
        return cls.objects.filter(pk=1).values_list("version", flat=True).first() or 0


# Alerts live in their own sub-package; importing them here makes them models of this app.
from talent.alerts.models import Delivery, Follow, Subscriber  # noqa: E402, F401

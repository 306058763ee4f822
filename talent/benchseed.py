"""The bench data set: a skewed world of people, organizations and careers, made fast.

``python manage.py seedbench`` calls :func:`bench_world_seed`. Rows are generated in
Python from one seeded random generator (the same seed and sizes give the same rows) and
written with COPY, people a chunk at a time so memory stays bounded. Moves are derived
by the same ``derive_moves`` the application uses, so the reconcile finds nothing to fix.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from talent.moves import derive_moves, derive_presence

FIRST = [
    "Ada",
    "Alan",
    "Amara",
    "Ana",
    "Anil",
    "Arjun",
    "Aya",
    "Ben",
    "Bo",
    "Carla",
    "Chen",
    "Chloe",
    "Dara",
    "David",
    "Diego",
    "Eli",
    "Elena",
    "Emma",
    "Farah",
    "Fatima",
    "Felix",
    "Grace",
    "Gus",
    "Hana",
    "Hiro",
    "Ivan",
    "Ivo",
    "Jade",
    "Jamal",
    "Jun",
    "Karen",
    "Kenji",
    "Lara",
    "Leo",
    "Lina",
    "Luca",
    "Maya",
    "Mei",
    "Mia",
    "Nadia",
    "Nick",
    "Noah",
    "Nora",
    "Omar",
    "Oscar",
    "Priya",
    "Quinn",
    "Rafael",
    "Ravi",
    "Rosa",
    "Sam",
    "Sara",
    "Sofia",
    "Tara",
    "Theo",
    "Tom",
    "Uma",
    "Vera",
    "Wei",
    "Yara",
    "Yuki",
    "Zoe",
]
LAST = [
    "Abe",
    "Adeyemi",
    "Alvarez",
    "Andersen",
    "Bauer",
    "Becker",
    "Bianchi",
    "Brown",
    "Chandra",
    "Chen",
    "Costa",
    "Cruz",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Fontaine",
    "Garcia",
    "Gupta",
    "Haddad",
    "Hansen",
    "Ito",
    "Ivanova",
    "Jensen",
    "Kaur",
    "Khan",
    "Kim",
    "Kowalski",
    "Kumar",
    "Lambert",
    "Larsen",
    "Laurent",
    "Lee",
    "Lopez",
    "Martin",
    "Moreau",
    "Mueller",
    "Murphy",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Okafor",
    "Olsen",
    "Park",
    "Patel",
    "Perez",
    "Petrov",
    "Quinn",
    "Rossi",
    "Russo",
    "Sato",
    "Schmidt",
    "Silva",
    "Singh",
    "Smith",
    "Sokolov",
    "Tanaka",
    "Tran",
    "Varga",
    "Wagner",
    "Wang",
    "Weber",
    "Wu",
    "Yamamoto",
    "Yang",
    "Zhang",
    "Zhou",
]
TITLES = [
    "Research scientist",
    "Research engineer",
    "Member of technical staff",
    "Software engineer",
    "Professor",
    "Postdoctoral researcher",
    "PhD student",
    "Head of research",
    "Product manager",
    "Chief scientist",
    "",
]
OUTLETS = [
    ("The Information", 3),
    ("Bloomberg", 4),
    ("Reuters", 4),
    ("TechCrunch", 6),
    ("The Verge", 2),
    ("Wired", 1),
    ("Financial Times", 2),
    ("Semafor", 1),
    ("Axios", 2),
    ("Business Insider", 2),
    ("VentureBeat", 2),
    ("CNBC", 2),
    ("Personal blog", 3),
    ("Company blog", 5),
    ("LinkedIn post", 6),
]
COUNTRIES = [
    ("US", 55),
    ("GB", 9),
    ("CN", 8),
    ("FR", 5),
    ("CA", 5),
    ("DE", 4),
    ("IL", 3),
    ("IN", 3),
    ("JP", 3),
    ("CH", 2),
    ("KR", 2),
    ("SG", 1),
]
WORDS = [
    "Deep",
    "Neural",
    "Quantum",
    "Vector",
    "Latent",
    "Signal",
    "Frontier",
    "Open",
    "Applied",
    "Cognitive",
    "Synthetic",
    "Bright",
    "Clear",
    "Prime",
    "Nova",
    "Orbit",
    "Atlas",
    "Echo",
    "Forge",
    "Harbor",
    "Lumen",
    "Mosaic",
    "North",
    "Pixel",
    "Relay",
    "Summit",
    "Tensor",
    "Vertex",
    "Wave",
    "Zenith",
    "Arc",
    "Beacon",
    "Cedar",
    "Delta",
    "Ember",
    "Flux",
    "Glade",
    "Helix",
    "Iris",
]


@dataclass
class SeedReport:
    organizations: int = 0
    teams: int = 0
    people: int = 0
    stints: int = 0
    moves: int = 0
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class _Stint:
    id: int
    person_id: int
    organization_id: int
    team_id: int | None
    title: str
    is_founder: bool
    start_date: dt.date | None
    start_precision: str
    end_date: dt.date | None
    end_precision: str


def _month_add(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _at_precision(day: dt.date, precision: str) -> dt.date | None:
    if precision == "year":
        return dt.date(day.year, 1, 1)
    if precision == "month":
        return day.replace(day=1)
    if precision == "day":
        return day
    return None


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def marker(*, seed: int, people: int, organizations: int, stints: int, until: dt.date) -> str:
    return (
        f"seedbench seed={seed} people={people} orgs={organizations} stints={stints} until={until}"
    )


def seeded_marker() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description('talent_stint'::regclass, 'pg_class')")
        return cursor.fetchone()[0] or ""


def bench_world_seed(
    *,
    people: int = 200_000,
    organizations: int = 5_000,
    stints: int = 1_000_000,
    seed: int = 1,
    until: dt.date = dt.date(2026, 6, 30),
    chunk: int = 10_000,
    progress: Callable[[str], None] = lambda line: None,
) -> SeedReport:
    """Replace every person, organization and career with a generated world."""
    started = timezone.now()
    rng = random.Random(seed)
    report = SeedReport()
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE talent_move, talent_presence, talent_headcountmonth, talent_flowmonth, "
            "talent_teamflowmonth, "
            "talent_source_stints, talent_source, talent_stint, "
            "talent_personalias, talent_personlink, talent_person, talent_team, "
            "talent_organizationalias, talent_organization, talent_announcement, "
            "talent_report, talent_correction, talent_merge RESTART IDENTITY CASCADE"
        )
        orgs = _seed_organizations(cursor, rng, organizations, now)
        report.organizations = len(orgs["kind"])
        report.teams = _seed_teams(cursor, rng, orgs, now)
        progress(f"{report.organizations} organizations, {report.teams} teams")

        # How many stints each person has: about five, at least one, summing exactly.
        counts = [max(1, min(14, round(rng.gauss(stints / people, 2.2)))) for _ in range(people)]
        surplus = sum(counts) - stints
        i = 0
        while surplus:
            step = 1 if surplus > 0 else -1
            if step < 0 or counts[i % people] > 1:
                counts[i % people] -= step
                surplus -= step
            i += 1
        ids = {"stint": 0, "move": 0}
        for begin in range(0, people, chunk):
            batch = range(begin, min(people, begin + chunk))
            _seed_people(cursor, rng, batch, counts, orgs, ids, until, now, report)
            progress(
                f"people {report.people:,}/{people:,}, stints {report.stints:,}, "
                f"moves {report.moves:,}"
            )
        for table, column in (
            ("talent_organization", "id"),
            ("talent_team", "id"),
            ("talent_person", "id"),
            ("talent_personalias", "id"),
            ("talent_stint", "id"),
            ("talent_source", "id"),
            ("talent_source_stints", "id"),
            ("talent_move", "id"),
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)"
            )
        # The monthly summaries were kept by their triggers (migration 0015) as rows came in.
        cursor.execute(
            "COMMENT ON TABLE talent_stint IS %s",
            [
                marker(
                    seed=seed,
                    people=people,
                    organizations=organizations,
                    stints=stints,
                    until=until,
                )
            ],
        )
    progress("vacuum analyze")
    with connection.cursor() as cursor:
        for table in (
            "talent_organization",
            "talent_organizationalias",
            "talent_team",
            "talent_person",
            "talent_personalias",
            "talent_stint",
            "talent_source",
            "talent_source_stints",
            "talent_move",
            "talent_presence",
            "talent_headcountmonth",
            "talent_flowmonth",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    report.seconds = (timezone.now() - started).total_seconds()
    return report


def _seed_organizations(cursor, rng: random.Random, count: int, now) -> dict[str, list]:
    """A few big labs and big tech companies (with units), universities, and a long tail of
    startups. Returned as columns: kind, weight (how often careers pass through), parent."""
    kinds, names, parents, countries = [], [], [], []
    big_labs = max(2, count // 600)
    bigtech = max(2, count // 400)
    academia = max(2, count // 16)
    for i in range(count):
        if i < big_labs:
            kind, name = "lab", f"{WORDS[i % len(WORDS)]} AI"
        elif i < big_labs + bigtech:
            kind, name = "bigtech", f"{WORDS[(i * 7) % len(WORDS)]} {WORDS[(i * 3) % len(WORDS)]}"
        elif i < big_labs + bigtech + academia:
            kind, name = "academia", f"University of {rng.choice(WORDS)}{rng.choice(LAST)}"
        else:
            kind = _weighted(
                rng, [("startup", 80), ("lab", 6), ("investor", 5), ("nonprofit", 4), ("other", 5)]
            )
            suffix = rng.choice(["Labs", "AI", "Systems", "Robotics", "Inc"])
            name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {suffix}"
        kinds.append(kind)
        names.append(f"{name} {i + 1}" if i >= big_labs + bigtech else name)
        countries.append(_weighted(rng, COUNTRIES))
        parents.append(None)
    # Units: the big companies own a few organizations each (a lab inside big tech...).
    units_from = big_labs + bigtech + academia
    unit = units_from
    for parent in range(big_labs + bigtech):
        for _ in range(rng.randint(2, 4)):
            if unit >= count:
                break
            parents[unit] = parent + 1
            kinds[unit] = "lab" if rng.random() < 0.6 else kinds[parent]
            part = rng.choice(["Research", "Brain", "Labs", "Cloud AI", "Robotics"])
            names[unit] = f"{names[parent]} {part} {unit + 1}"
            unit += 1
    # Careers pass through big organizations far more often: a Zipf-like skew by rank.
    weights = [1.0 / (rank + 6) for rank in range(count)]
    with cursor.copy(
        "COPY talent_organization (id, slug, name, kind, country, domain, parent_id, "
        "description, created, updated) FROM STDIN"
    ) as copy:
        for i in range(count):
            copy.write_row(
                (
                    i + 1,
                    f"org-{i + 1}",
                    names[i],
                    kinds[i],
                    countries[i],
                    f"org{i + 1}.example.com",
                    parents[i],
                    "",
                    now,
                    now,
                )
            )
    with cursor.copy("COPY talent_organizationalias (organization_id, name) FROM STDIN") as copy:
        for i in range(0, count, 7):
            copy.write_row((i + 1, f"{names[i]} Group"))
    return {"kind": kinds, "weight": weights, "parent": parents, "teams": {}}


def _seed_teams(cursor, rng: random.Random, orgs: dict, now) -> int:
    team_id = 0
    with cursor.copy(
        "COPY talent_team (id, organization_id, slug, name, parent_id, description, updated) "
        "FROM STDIN"
    ) as copy:
        for org in range(min(120, len(orgs["kind"]))):
            ids = []
            for t in range(rng.randint(3, 12)):
                team_id += 1
                name = f"{rng.choice(WORDS)} {rng.choice(['Team', 'Group', 'Research', 'Infra'])}"
                copy.write_row(
                    (team_id, org + 1, f"team-{t + 1}", f"{name} {t + 1}", None, "", now)
                )
                ids.append(team_id)
            orgs["teams"][org + 1] = ids
    return team_id


def _seed_people(cursor, rng, batch, counts, orgs, ids, until, now, report) -> None:
    org_count = len(orgs["kind"])
    population = range(1, org_count + 1)
    weights = orgs["weight"]
    cumulative = list(_accumulate(weights))
    people_rows, alias_rows, stint_rows, source_rows, link_rows = [], [], [], [], []
    careers: list[list[_Stint]] = []
    for index in batch:
        person_id = index + 1
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name = f"{first} {last}"
        people_rows.append((person_id, f"{first}-{last}-{person_id}".lower(), name, "", now, now))
        if rng.random() < 0.03:
            alias_rows.append((person_id, f"{first[0]}. {last} {person_id}"))
        # Careers start up to 35 years ago, more of them recently, and fit before ``until``.
        k = counts[index]
        years_back = max(min(35, int(rng.expovariate(1 / 9)) + 1), k // 3 + 1)
        day = dt.date(until.year - years_back, rng.randint(1, 12), rng.randint(1, 28))
        available = (until - day).days / 30.4
        raw = [rng.lognormvariate(0, 0.6) for _ in range(k)]
        scale = available * rng.uniform(0.55, 0.95) / sum(raw)
        career: list[_Stint] = []
        visited: list[int] = []
        for n in range(k):
            ids["stint"] += 1
            roll = rng.random()
            if visited and roll < 0.10:
                org = career[-1].organization_id  # a new role at the same place
            elif len(visited) > 1 and roll < 0.17:
                org = rng.choice(visited[:-1])  # a boomerang
            else:
                org = rng.choices(population, cum_weights=cumulative)[0]
            visited.append(org)
            start_precision = _weighted(
                rng, [("day", 30), ("month", 50), ("year", 17), ("unknown", 3)]
            )
            months = max(1, int(raw[n] * scale))
            end_day = min(_month_add(day, months).replace(day=rng.randint(1, 28)), until)
            if n == k - 1 and rng.random() < 0.75:
                end_precision, end_date = "present", None
            elif rng.random() < 0.02:
                end_precision, end_date = "unknown", None
            else:
                end_precision = _weighted(rng, [("day", 30), ("month", 55), ("year", 15)])
                end_date = _at_precision(end_day, end_precision)
            start_date = _at_precision(day, start_precision)
            if end_date is not None and start_date is not None:
                end_date = max(end_date, _at_precision(start_date, end_precision))
            teams = orgs["teams"].get(org)
            team = rng.choice(teams) if teams and rng.random() < 0.7 else None
            founder = orgs["kind"][org - 1] == "startup" and n > 0 and rng.random() < 0.04
            stint = _Stint(
                ids["stint"],
                person_id,
                org,
                team,
                rng.choice(TITLES),
                founder,
                start_date,
                start_precision,
                end_date,
                end_precision,
            )
            career.append(stint)
            stint_rows.append(
                (
                    stint.id,
                    person_id,
                    org,
                    team,
                    stint.title,
                    None,
                    founder,
                    start_date,
                    start_precision,
                    end_date,
                    end_precision,
                    now,
                    now,
                )
            )
            reported = day + dt.timedelta(days=int(rng.lognormvariate(2.2, 1.1)) - 3)
            source_rows.append(
                (
                    stint.id,
                    f"https://news{stint.id % 97}.example.org/{stint.id}",
                    f"{name} joins organization {org}",
                    _weighted(rng, OUTLETS),
                    reported,
                    f"{name} has joined organization {org}.",
                    timezone.make_aware(
                        dt.datetime.combine(reported, dt.time(6))
                        + dt.timedelta(hours=rng.randint(0, 96))
                    ),
                )
            )
            link_rows.append((stint.id, stint.id, stint.id))
            # The next job starts about when this one ended, sometimes a little before.
            day = min(end_day + dt.timedelta(days=rng.randint(-20, 60)), until)
        careers.append(career)
        report.stints += len(career)
    with cursor.copy(
        "COPY talent_person (id, slug, name, bio, created, updated) FROM STDIN"
    ) as copy:
        for row in people_rows:
            copy.write_row(row)
    with cursor.copy("COPY talent_personalias (person_id, name) FROM STDIN") as copy:
        for row in alias_rows:
            copy.write_row(row)
    with cursor.copy(
        "COPY talent_stint (id, person_id, organization_id, team_id, title, manager_id, "
        "is_founder, start_date, start_precision, end_date, end_precision, created, updated) "
        "FROM STDIN"
    ) as copy:
        for row in stint_rows:
            copy.write_row(row)
    with cursor.copy(
        "COPY talent_source (id, url, title, publisher, published_on, evidence, first_seen) "
        "FROM STDIN"
    ) as copy:
        for row in source_rows:
            copy.write_row(row)
    with cursor.copy("COPY talent_source_stints (id, source_id, stint_id) FROM STDIN") as copy:
        for row in link_rows:
            copy.write_row(row)
    with cursor.copy(
        "COPY talent_move (id, person_id, kind, from_org_id, to_org_id, from_stint_id, "
        "to_stint_id, team_id, from_team_id, title, date, date_precision, updated) FROM STDIN"
    ) as copy:
        for career in careers:
            for move in derive_moves(career):
                ids["move"] += 1
                copy.write_row(
                    (
                        ids["move"],
                        move.person_id,
                        move.kind,
                        move.from_org_id,
                        move.to_org_id,
                        move.from_stint_id,
                        move.to_stint_id,
                        move.team_id,
                        move.from_team_id,
                        move.title,
                        move.date,
                        move.date_precision,
                        now,
                    )
                )
    with cursor.copy(
        "COPY talent_presence (person_id, organization_id, start, leave) FROM STDIN"
    ) as copy:
        for career in careers:
            for spell in derive_presence(career):
                copy.write_row(spell)
    report.people += len(people_rows)
    report.moves = ids["move"]


def _accumulate(weights):
    total = 0.0
    for w in weights:
        total += w
        yield total


__all__ = ["SeedReport", "bench_world_seed", "marker", "seeded_marker"]

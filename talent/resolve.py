"""Resolving names in text to known records: exact and alias matches first (ignoring case,
accents, punctuation and suffixes such as Inc., Labs, AI), then fuzzy matches above a high
threshold. An unknown or ambiguous name stays unresolved: never a wrong match."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from talent.models import Organization, OrganizationAlias, Person, PersonAlias, Team
from talent.names import fold, org_key, person_key

PERSON_FUZZY_CUTOFF = 92
ORG_FUZZY_CUTOFF = 93


@dataclass(frozen=True)
class Match:
    id: int
    name: str
    how: str  # "exact", "alias", "fuzzy"


@dataclass
class Gazetteer:
    """Every person, organization and team name the database knows, held in memory for one
    batch of extraction (tens of thousands of names load in well under a second)."""

    people: dict[str, set[int]] = field(default_factory=dict)
    person_names: dict[int, str] = field(default_factory=dict)
    orgs: dict[str, set[int]] = field(default_factory=dict)
    org_names: dict[int, str] = field(default_factory=dict)
    org_variants: list[str] | tuple[str, ...] = field(default_factory=list)
    teams: dict[tuple[int, str], int] = field(default_factory=dict)
    team_names: dict[int, str] = field(default_factory=dict)
    org_parents: dict[str, str] = field(default_factory=dict)  # child name -> parent name
    _person_keys: list[str] = field(default_factory=list)
    # Each key with its words sorted: token_sort_ratio(a, b) is ratio(sorted a, sorted b), so
    # sorting the known names once spares sorting 10,000 of them for every unknown name.
    _person_sorted: list[str] = field(default_factory=list)
    # The same, ordered by length (then as loaded), with each one's length and index: a
    # ratio of two strings is at most 200·shorter/(sum of lengths), so only names of a close
    # length can reach the cutoff, and they lie side by side here.
    _by_length: list[str] = field(default_factory=list)
    _lengths: list[int] = field(default_factory=list)
    _order: list[int] = field(default_factory=list)
    _org_keys: list[str] = field(default_factory=list)

    @classmethod
    def load(cls) -> Gazetteer:
        g = cls()
        for pk, name in Person.objects.values_list("pk", "name"):
            g.person_names[pk] = name
            g.people.setdefault(person_key(name), set()).add(pk)
        for pk, name in PersonAlias.objects.values_list("person_id", "name"):
            g.people.setdefault(person_key(name), set()).add(pk)
        for pk, name in Organization.objects.values_list("pk", "name"):
            g.org_names[pk] = name
            g.org_variants.append(name)
            g.orgs.setdefault(org_key(name), set()).add(pk)
        for pk, name in OrganizationAlias.objects.values_list("organization_id", "name"):
            g.org_variants.append(name)
            g.orgs.setdefault(org_key(name), set()).add(pk)
        for pk, org_id, name, slug in Team.objects.values_list(
            "pk", "organization_id", "name", "slug"
        ):
            g.team_names[pk] = name
            g.teams[(org_id, org_key(name))] = pk
            g.teams[(org_id, org_key(slug.replace("-", " ")))] = pk
        g.org_parents = dict(
            Organization.objects.filter(parent__isnull=False).values_list("name", "parent__name")
        )
        g.org_variants = tuple(g.org_variants)  # hashable: the extractor caches by it
        g._person_keys = list(g.people)
        g._person_sorted = [_sorted_words(key) for key in g._person_keys]
        g._order = sorted(range(len(g._person_sorted)), key=lambda i: len(g._person_sorted[i]))
        g._by_length = [g._person_sorted[i] for i in g._order]
        g._lengths = [len(name) for name in g._by_length]
        g._org_keys = list(g.orgs)
        return g

    @classmethod
    def load_organizations(cls) -> Gazetteer:
        """Organizations only: enough to match one organization's name when applying."""
        g = cls()
        for pk, name in Organization.objects.values_list("pk", "name"):
            g.org_names[pk] = name
            g.orgs.setdefault(org_key(name), set()).add(pk)
        for pk, name in OrganizationAlias.objects.values_list("organization_id", "name"):
            g.orgs.setdefault(org_key(name), set()).add(pk)
        g._org_keys = list(g.orgs)
        return g

    # The extractor's view (feeds.extract.base.Gazetteer).
    def organization_names(self) -> tuple[str, ...]:
        return self.org_variants

    def organization_parents(self) -> dict[str, str]:
        return self.org_parents

    def resolve_person(self, name: str | None) -> Match | None:
        if not name:
            return None
        key = person_key(name)
        ids = self.people.get(key)
        if ids:
            return self._single(ids, self.person_names, "exact")
        if len(key.split()) < 2 or not self._person_keys:
            return None  # a lone surname is too weak to fuzzy-match
        index = self._most_like(_sorted_words(key))
        if index is None:
            return None
        return self._single(self.people[self._person_keys[index]], self.person_names, "fuzzy")

    def _most_like(self, query: str) -> int | None:
        """The index of the known person key most like the query, at or above the cutoff
        (the first loaded on a tie): what extractOne over all of them answers, comparing the
        query only with the keys of a length that can reach the cutoff."""
        share = PERSON_FUZZY_CUTOFF / 100
        lo = bisect_left(self._lengths, len(query) * share / (2 - share) - 1)
        hi = bisect_right(self._lengths, len(query) * (2 - share) / share + 1)
        found = process.extract(
            query,
            self._by_length[lo:hi],
            scorer=fuzz.ratio,
            score_cutoff=PERSON_FUZZY_CUTOFF,
            limit=None,
        )
        if not found:
            return None
        _, first = max((score, -self._order[lo + at]) for _, score, at in found)
        return -first

    def resolve_org(self, name: str | None) -> Match | None:
        if not name:
            return None
        key = org_key(name)
        ids = self.orgs.get(key)
        if ids:
            return self._single(ids, self.org_names, "exact")
        if len(key) < 5 or not self._org_keys:
            return None
        found = process.extractOne(
            key, self._org_keys, scorer=fuzz.ratio, score_cutoff=ORG_FUZZY_CUTOFF
        )
        if not found:
            return None
        return self._single(self.orgs[found[0]], self.org_names, "fuzzy")

    def resolve_team(self, org_id: int | None, name: str | None) -> Match | None:
        if not org_id or not name:
            return None
        key = org_key(name)
        for candidate in (key, key.removesuffix(" team").strip()):
            pk = self.teams.get((org_id, candidate))
            if pk:
                return Match(pk, self.team_names[pk], "exact")
        return None

    @staticmethod
    def _single(ids: set[int], names: dict[int, str], how: str) -> Match | None:
        if len(ids) != 1:
            return None  # two records answer to this name: leave it to a curator
        pk = next(iter(ids))
        return Match(pk, names.get(pk, ""), how)


__all__ = ["Gazetteer", "Match", "fold"]


def _sorted_words(key: str) -> str:
    return " ".join(sorted(key.split()))

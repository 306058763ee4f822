from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache

from talent.models import Stint
from talent.openapi import SCHEMAS
from tests import factories as f

pytestmark = pytest.mark.django_db


def conforms(value, schema: dict, path: str = "$") -> None:
    """A small validator for the JSON Schema subset our OpenAPI document uses."""
    if "$ref" in schema:
        return conforms(value, SCHEMAS[schema["$ref"].rsplit("/", 1)[1]], path)
    if "allOf" in schema:
        for part in schema["allOf"]:
            conforms(value, part, path)
        return None
    if "oneOf" in schema:
        errors = []
        for option in schema["oneOf"]:
            try:
                conforms(value, option, path)
                return None
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(f"{path}: matches no option: {errors}")
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds] if kinds else []
    python = {
        "object": dict,
        "array": list,
        "string": str,
        "integer": int,
        "boolean": bool,
        "null": type(None),
    }
    if kinds:
        assert any(
            isinstance(value, python[k]) and not (k == "integer" and isinstance(value, bool))
            for k in kinds
        ), f"{path}: {value!r} is not {kinds}"
    if "enum" in schema:
        assert value in schema["enum"], f"{path}: {value!r} not in {schema['enum']}"
    if "pattern" in schema and isinstance(value, str):
        assert re.search(schema["pattern"], value), f"{path}: {value!r}"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{path}: missing {key}"
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                conforms(value[key], sub, f"{path}.{key}")
        if "additionalProperties" in schema:
            for key, item in value.items():
                conforms(item, schema["additionalProperties"], f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            conforms(item, schema["items"], f"{path}[{i}]")
    return None


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def world():
    lab, rival = f.org("Hub Lab", country="US"), f.org("Rival Lab")
    f.org("Hub Unit", parent=lab)
    team = f.team(lab, "Pre-training")
    people = []
    for i in range(5):
        who = f.person(f"Researcher {i}")
        f.stint(who, rival, "2015", f"2020-0{i + 1}")
        f.stint(who, lab, f"2020-0{i + 1}", "present", team=team)
        people.append(who)
    return {"lab": lab, "team": team, "people": people}


ENDPOINTS = {
    "/api/": "Index",
    "/api/people/": "PersonPage",
    "/api/people/researcher-0/": "PersonDetail",
    "/api/organizations/": "OrganizationPage",
    "/api/organizations/hub-lab/": "OrganizationDetail",
    "/api/teams/?organization=hub-lab": "TeamPage",
    "/api/stints/?organization=hub-lab": "StintPage",
    "/api/stints/?organization=hub-lab&on=2021-01-01": "StintPage",
    "/api/moves/?company=hub-lab": "MovePage",
    "/api/moves/?updated_since=2000-01-01": "MovePage",
    "/api/flows/?start=2020-01&end=2020-12": "FlowMatrix",
    "/api/flows/hub-lab/?start=2020-01&end=2020-12": "CompanyFlows",
}


@pytest.mark.parametrize("url", sorted(ENDPOINTS))
def test_every_endpoint_answers_as_its_openapi_description_says(client, world, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/json"
    conforms(response.json(), {"$ref": f"#/components/schemas/{ENDPOINTS[url]}"})


def test_the_schema_describes_every_path(client, world):
    document = client.get("/api/schema/").json()
    assert document["openapi"].startswith("3.1")
    described = {p.split("?")[0] for p in document["paths"]}
    for url in ENDPOINTS:
        path = re.sub(r"^/api", "", url.split("?")[0])
        path = re.sub(r"/(people|organizations|flows)/[\w-]+/$", r"/\1/{slug}/", path)
        assert path in described, path
    for schema in document["components"]["schemas"].values():
        assert schema  # every $ref resolves (conforms would raise otherwise)


def test_lists_page_by_keyset_to_the_end(client, world):
    seen, url = [], "/api/moves/?company=hub-lab&limit=2"
    while url:
        page = client.get(url).json()
        seen += [m["id"] for m in page["results"]]
        url = page["next"]
    everything = client.get("/api/moves/?company=hub-lab&limit=200").json()["results"]
    assert seen == [m["id"] for m in everything] and len(seen) == 5
    people, url = [], "/api/people/?limit=2"
    while url:
        page = client.get(url).json()
        people += [p["slug"] for p in page["results"]]
        url = page["next"]
    assert len(people) == len(set(people)) == 5


def test_a_matching_etag_gets_304(client, world):
    first = client.get("/api/flows/hub-lab/?start=2020-01&end=2020-12")
    again = client.get(
        "/api/flows/hub-lab/?start=2020-01&end=2020-12", HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert again.status_code == 304 and not again.content


def test_updated_since_returns_what_changed_in_the_order_it_changed(client, world):
    since = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)).isoformat()
    assert client.get("/api/stints/", {"updated_since": since}).json()["results"] == []
    stint = Stint.objects.filter(person=world["people"][2], end_precision="present").get()
    Stint.objects.filter(pk=stint.pk).update(
        title="Lead", updated=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)
    )
    changed = client.get("/api/stints/", {"updated_since": since}).json()["results"]
    assert [s["id"] for s in changed] == [stint.pk] and changed[0]["title"] == "Lead"


def test_the_moves_api_has_the_pages_numbers(client, world):
    flows = client.get("/api/flows/hub-lab/?start=2020-01&end=2020-12").json()
    joins = client.get(
        "/api/moves/?company=hub-lab&units=include&direction=in&start=2020-01&end=2020-12"
    ).json()["results"]
    assert flows["totals"]["joins"] == len(joins) == 5
    assert {m["from"] for m in joins} == {"rival-lab"}
    assert all(m["sources"] for m in joins)


def test_bad_input_gets_a_json_error_not_a_500(client, world):
    for url in (
        "/api/moves/?start=2020-13",
        "/api/moves/?after=garbage",
        "/api/people/?after=x",
        "/api/people/?limit=many",
        "/api/stints/?on=yesterday&organization=hub-lab",
        "/api/flows/?kind=castle",
        "/api/moves/?updated_since=soon",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "error" in response.json()
    assert client.get("/api/people/nobody/").status_code == 404
    assert client.post("/api/people/").status_code == 405


def test_each_client_has_a_budget(client, world, settings):
    settings.API_RATE = "3/m"
    codes = [client.get("/api/people/").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    response = client.get("/api/people/", REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200  # another client
    limited = client.get("/api/people/")
    assert limited["Retry-After"] == "60" and "error" in limited.json()


def test_keyset_pages_cross_from_dated_to_undated_moves_without_loss_or_repeat(client):
    lab = f.org("Undated Lab")
    for i in range(3):
        f.stint(f.person(f"Dated {i}"), lab, f"2020-0{i + 1}", "present")
        f.stint(f.person(f"Undated {i}"), lab, "unknown", "unknown")  # a join and a departure
    seen, url = [], "/api/moves/?company=undated-lab&limit=2"
    while url:
        page = client.get(url).json()
        seen += [(m["date"]["date"], m["id"]) for m in page["results"]]
        url = page["next"]
    assert len(seen) == len({pk for _, pk in seen}) == 9
    dated = [d for d, _ in seen if d]
    assert dated == sorted(dated, reverse=True) and seen[: len(dated)] == [
        s for s in seen if s[0]
    ]  # newest first, undated last
    undated_ids = [pk for d, pk in seen if d is None]
    assert undated_ids == sorted(undated_ids, reverse=True)

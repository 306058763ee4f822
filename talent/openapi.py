"""The OpenAPI 3.1 description of /api/, written by hand next to the views it describes
(tests check every endpoint's responses against it)."""

from __future__ import annotations


def _s(kind: str, **extra) -> dict:
    return {"type": kind, **extra}


def _nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


def _page(item: str, **extra) -> dict:
    return _obj(
        {
            "results": _s("array", items=_ref(item)),
            "next": _nullable("string", format="uri", description="the next page, or null"),
            **extra,
        }
    )


SLUG = _s("string", pattern="^[-a-zA-Z0-9_]+$")
TIME = _s("string", format="date-time")

SCHEMAS = {
    "Error": _obj({"error": _s("string")}),
    "PartialDate": _obj(
        {
            "date": _nullable("string", format="date", description="first day of the period"),
            "precision": _s("string", enum=["day", "month", "year", "unknown", "present"]),
            "text": _s("string"),
        }
    ),
    "Source": _obj(
        {
            "url": _s("string", format="uri"),
            "title": _s("string"),
            "publisher": _s("string"),
            "published_on": _nullable("string", format="date"),
            "evidence": _s("string"),
        }
    ),
    "Person": _obj({"slug": SLUG, "name": _s("string"), "url": _s("string"), "updated": TIME}),
    "PersonDetail": {
        "allOf": [
            _ref("Person"),
            _obj(
                {
                    "aliases": _s("array", items=_s("string")),
                    "links": _s("array", items=_s("string")),
                    "stints": _s("array", items=_ref("Stint")),
                }
            ),
        ]
    },
    "Organization": _obj(
        {
            "slug": SLUG,
            "name": _s("string"),
            "kind": _s(
                "string",
                enum=["lab", "bigtech", "startup", "academia", "nonprofit", "investor", "other"],
            ),
            "country": _s("string", description="ISO 3166-1 alpha-2, or empty"),
            "domain": _s("string"),
            "parent": _nullable("string"),
            "url": _s("string"),
            "updated": TIME,
        }
    ),
    "OrganizationDetail": {
        "allOf": [
            _ref("Organization"),
            _obj(
                {
                    "aliases": _s("array", items=_s("string")),
                    "units": _s("array", items=SLUG),
                    "people_now": _s("integer"),
                }
            ),
        ]
    },
    "Team": _obj(
        {
            "slug": SLUG,
            "name": _s("string"),
            "organization": SLUG,
            "parent": _nullable("string"),
            "updated": TIME,
        }
    ),
    "Stint": _obj(
        {
            "id": _s("integer"),
            "person": SLUG,
            "organization": SLUG,
            "team": _nullable("string"),
            "title": _s("string"),
            "manager": _nullable("string"),
            "is_founder": _s("boolean"),
            "start": _ref("PartialDate"),
            "end": _ref("PartialDate"),
            "sources": _s("array", items=_ref("Source")),
            "updated": TIME,
        }
    ),
    "Move": _obj(
        {
            "id": _s("integer"),
            "kind": _s("string", enum=["join", "depart", "promotion", "founding", "return"]),
            "person": SLUG,
            "from": _nullable("string"),
            "to": _nullable("string"),
            "team": _nullable("string"),
            "title": _s("string"),
            "date": _ref("PartialDate"),
            "sources": _s("array", items=_ref("Source")),
            "updated": TIME,
        }
    ),
    "PersonPage": _page("Person"),
    "OrganizationPage": _page("Organization"),
    "TeamPage": _page("Team"),
    "StintPage": _page("Stint"),
    "MovePage": _page("Move"),
    "OrgRef": _obj({"slug": SLUG, "name": _s("string")}),
    "CompanyFlows": _obj(
        {
            "organization": _ref("OrgRef"),
            "start": _s("string", format="date"),
            "end": _s("string", format="date"),
            "by": _s("string", enum=["month", "quarter", "year"]),
            "units": _s("string", enum=["include", "apart"]),
            "organizations": _s("array", items=_s("integer")),
            "totals": _obj(
                {
                    "joins": _s("integer"),
                    "departures": _s("integer"),
                    "net": _s("integer"),
                    "boomerangs": _s("integer"),
                }
            ),
            "undated": _s("integer"),
            "periods": _s(
                "array",
                items=_obj(
                    {
                        "label": _s("string"),
                        "start": _s("string", format="date"),
                        "end": _s("string", format="date"),
                        "joins": _s("integer"),
                        "departures": _s("integer"),
                        "net": _s("integer"),
                        "boomerangs": _s("integer"),
                        "headcount": _s("integer"),
                    }
                ),
            ),
            "year_only": _s(
                "array",
                items=_obj(
                    {
                        "year": _s("integer"),
                        "joins": _s("integer"),
                        "departures": _s("integer"),
                        "inside": _s("boolean", description="the whole year lies in the range"),
                    }
                ),
            ),
            "sources": _s(
                "array",
                items=_obj(
                    {
                        "organization": {"oneOf": [_ref("OrgRef"), _s("null")]},
                        "joins": _s("integer"),
                    }
                ),
            ),
            "destinations": _s(
                "array",
                items=_obj(
                    {
                        "organization": {"oneOf": [_ref("OrgRef"), _s("null")]},
                        "departures": _s("integer"),
                    }
                ),
            ),
            "teams": _s(
                "array",
                items=_obj(
                    {
                        "slug": SLUG,
                        "name": _s("string"),
                        "joins": _s("integer"),
                        "departures": _s("integer"),
                    }
                ),
            ),
            "unit_figures": _s(
                "array",
                items=_obj(
                    {
                        "organization": _ref("OrgRef"),
                        "joins": _s("integer"),
                        "departures": _s("integer"),
                    }
                ),
            ),
        }
    ),
    "FlowMatrix": _obj(
        {
            "start": _s("string", format="date"),
            "end": _s("string", format="date"),
            "kind": _nullable("string"),
            "organizations": _s(
                "array",
                items={"allOf": [_ref("Organization"), _obj({"moves": _s("integer")})]},
            ),
            "cells": _s("array", items=_obj({"from": SLUG, "to": SLUG, "count": _s("integer")})),
            "gains": _s(
                "array",
                items=_obj(
                    {
                        "gainer": SLUG,
                        "from": SLUG,
                        "net": _s("integer"),
                        "moves_in": _s("integer"),
                        "moves_out": _s("integer"),
                    }
                ),
            ),
        }
    ),
    "Index": {"type": "object", "additionalProperties": _s("string", format="uri")},
}


def _param(name: str, where: str = "query", description: str = "", **schema) -> dict:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "description": description,
        "schema": schema or _s("string"),
    }


PAGING = [
    _param("after", description="cursor from the previous page's next link"),
    _param("limit", description="rows per page, 1 to 200 (50)", type="integer"),
    _param("updated_since", description="only rows changed since (ISO date or date-time)"),
]
RANGE = [
    _param("start", description="first month, YYYY-MM"),
    _param("end", description="last month, YYYY-MM"),
]


def _op(summary: str, schema: str, parameters: list | None = None) -> dict:
    ok = {"description": "OK", "content": {"application/json": {"schema": _ref(schema)}}}
    error = {"description": "Error", "content": {"application/json": {"schema": _ref("Error")}}}
    responses = {
        "200": ok,
        "304": {"description": "Not modified (If-None-Match matched the ETag)"},
        "400": error,
        "429": error,
    }
    if any(p["in"] == "path" for p in parameters or []):
        responses["404"] = error
    return {"get": {"summary": summary, "parameters": parameters or [], "responses": responses}}


SLUG_PARAM = _param("slug", "path")


def document(server: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Talent Tracker API",
            "version": "1",
            "description": "Read-only and anonymous. Lists page by keyset: follow `next`. "
            "Responses carry an ETag; each client address may send API_RATE requests.",
        },
        "servers": [{"url": server}],
        "paths": {
            "/": _op("Links to every list", "Index"),
            "/people/": _op("People", "PersonPage", PAGING),
            "/people/{slug}/": _op("A person and their career", "PersonDetail", [SLUG_PARAM]),
            "/organizations/": _op(
                "Organizations",
                "OrganizationPage",
                [*PAGING, _param("kind"), _param("country")],
            ),
            "/organizations/{slug}/": _op("An organization", "OrganizationDetail", [SLUG_PARAM]),
            "/teams/": _op("Teams", "TeamPage", [*PAGING, _param("organization")]),
            "/stints/": _op(
                "Stints",
                "StintPage",
                [
                    *PAGING,
                    _param("organization"),
                    _param("person"),
                    _param("team"),
                    _param("current", description="1: only stints still running"),
                    _param("on", description="YYYY-MM-DD, with organization: who was there"),
                ],
            ),
            "/moves/": _op(
                "Moves, newest first",
                "MovePage",
                [
                    *PAGING,
                    *RANGE,
                    _param("company", description="an organization's slug (to or from it)"),
                    _param("units", description="include: with the organizations under it"),
                    _param("direction", description="in, out or both (with company)"),
                    _param("from", description="origin's slug, or none"),
                    _param("to", description="destination's slug, or none"),
                    _param("kind"),
                    _param("person"),
                    _param("team", description="a team's slug (with company)"),
                    _param("precision", description="day, month, year or unknown"),
                ],
            ),
            "/flows/": _op(
                "Moves among the top organizations of a range",
                "FlowMatrix",
                [*RANGE, _param("kind"), _param("top", type="integer")],
            ),
            "/flows/{slug}/": _op(
                "A company's flows, as on its flows page",
                "CompanyFlows",
                [
                    SLUG_PARAM,
                    *RANGE,
                    _param("by", description="month, quarter or year"),
                    _param("units", description="include (default) or apart"),
                ],
            ),
            "/schema/": {
                "get": {"summary": "This document", "responses": {"200": {"description": "OK"}}}
            },
        },
        "components": {"schemas": SCHEMAS},
    }

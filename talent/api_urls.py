from __future__ import annotations

from django.urls import path

from talent import api

app_name = "api"

urlpatterns = [
    path("", api.index, name="index"),
    path("schema/", api.schema, name="schema"),
    path("people/", api.people, name="people"),
    path("people/<slug:slug>/", api.person, name="person"),
    path("organizations/", api.organizations, name="organizations"),
    path("organizations/<slug:slug>/", api.organization, name="organization"),
    path("teams/", api.teams, name="teams"),
    path("stints/", api.stints, name="stints"),
    path("moves/", api.moves, name="moves"),
    path("flows/", api.flows, name="flows"),
    path("flows/<slug:slug>/", api.company_flows, name="company-flows"),
]

from __future__ import annotations

from django.urls import path

from talent import views

app_name = "talent"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("moves/", views.moves, name="moves"),
    path("people/<slug:slug>/", views.person, name="person"),
    path("companies/<slug:slug>/", views.company, name="company"),
    path("companies/<slug:slug>/at/", views.company_at, name="company-at"),
    path("companies/<slug:slug>/teams/<slug:team_slug>/", views.team, name="team"),
    path("healthz", views.healthz, name="healthz"),
]

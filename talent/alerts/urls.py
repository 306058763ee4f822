"""Included from talent.urls (namespace ``talent``)."""

from __future__ import annotations

from django.urls import path

from talent.alerts import atom, views

urlpatterns = [
    path("alerts/follow/", views.follow, name="alerts-follow"),
    path("alerts/direction/", views.direction, name="alerts-direction"),
    path("alerts/confirm/<str:token>/", views.confirm, name="alerts-confirm"),
    path("alerts/manage/<str:token>/", views.manage, name="alerts-manage"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="alerts-unsubscribe"),
    path("alerts/mine/", views.mine, name="alerts-mine"),
    path("alerts/webhooks/bounce/", views.bounce_webhook, name="alerts-bounce-webhook"),
    path("moves/feed.atom", atom.moves, name="feed-moves"),
    path("people/<slug:slug>/feed.atom", atom.person, name="feed-person"),
    path("companies/<slug:slug>/feed.atom", atom.company, name="feed-company"),
    path("companies/<slug:slug>/teams/<slug:team_slug>/feed.atom", atom.team, name="feed-team"),
    path("corrections/feed.atom", atom.corrections, name="feed-corrections"),
]

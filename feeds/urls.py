from __future__ import annotations

from django.urls import path

from feeds import lag, views

app_name = "feeds"

urlpatterns = [
    path("", views.health, name="health"),
    path("add/", views.add, name="add"),
    path("<int:feed_id>/retry/", views.retry, name="retry"),
    path("lag/", lag.lag, name="lag"),
]

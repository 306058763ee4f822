"""The project's URLs plus /bench/minimal/: the base layout around one indexed query, the
floor every page's latency is measured against."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as project_urls
from talent.models import Person

_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<h1>{{ person.name }}</h1>{% endblock %}'
)


def minimal(request: HttpRequest) -> HttpResponse:
    person = Person.objects.only("name").filter(pk=1).first()  # the primary key's index
    return HttpResponse(_PAGE.render({"person": person}, request))


urlpatterns = [path("bench/minimal/", minimal), *project_urls]

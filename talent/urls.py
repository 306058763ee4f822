from __future__ import annotations

from django.urls import path

from talent import review, views, views_flows
from talent.alerts.urls import urlpatterns as alert_urls

app_name = "talent"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("moves/", views.moves, name="moves"),
    path("people/", views.people_index, name="people"),
    path("companies/", views.company_index, name="companies"),
    path("people/<slug:slug>/", views.person, name="person"),
    path("companies/<slug:slug>/", views.company, name="company"),
    path("companies/<slug:slug>/at/", views.company_at, name="company-at"),
    path("companies/<slug:slug>/flows/", views_flows.company_flows_page, name="company-flows"),
    path("companies/<slug:slug>/alumni/", views_flows.alumni_page, name="alumni"),
    path("flows/", views_flows.flows_matrix_page, name="flows"),
    path("flows/trends/", views_flows.trends_page, name="trends"),
    path("flows/lag/", views_flows.lag_page, name="lag"),
    path("companies/<slug:slug>/teams/<slug:team_slug>/", views.team, name="team"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "<str:kind>/<slug:slug>/corrections/", views.suggest_correction, name="suggest-correction"
    ),
    path("review/", review.queue, name="review"),
    path("review/bulk-approve/", review.bulk_approve, name="review-bulk-approve"),
    path("review/<int:pk>/approve/", review.approve, name="review-approve"),
    path("review/<int:pk>/reject/", review.reject, name="review-reject"),
    path("review/<int:pk>/duplicate/", review.duplicate, name="review-duplicate"),
    path("review/<int:pk>/skip/", review.skip, name="review-skip"),
    path("review/<int:pk>/edit/", review.edit, name="review-edit"),
    path(
        "review/corrections/<int:pk>/resolve/",
        review.correction_decide,
        {"state": "resolved"},
        name="correction-resolve",
    ),
    path(
        "review/corrections/<int:pk>/dismiss/",
        review.correction_decide,
        {"state": "dismissed"},
        name="correction-dismiss",
    ),
    *alert_urls,
]

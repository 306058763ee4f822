from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from talent.login import login

urlpatterns = [
    path("admin/login/", login, name="login"),  # the admin's own, rate-limited
    path("admin/", admin.site.urls),
    path("feeds/", include("feeds.urls")),
    path("api/", include("talent.api_urls")),
    path("", include("talent.urls")),
]

# Our own error answers: a page, or a message in place for htmx (talent/views.py).
handler400 = "talent.views.bad_request"
handler403 = "talent.views.permission_denied"
handler404 = "talent.views.page_not_found"
handler500 = "talent.views.server_error"

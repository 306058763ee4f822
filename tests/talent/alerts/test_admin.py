from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from talent.alerts.models import Subscriber
from tests.talent.alerts.conftest import follower

pytestmark = pytest.mark.django_db


def _staff(*permissions: str):
    user = get_user_model().objects.create_user("helper", "h@example.org", "x", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="talent", codename__in=permissions)
    )
    return user


def test_it_requires_the_change_permission_to_stop_mail_to_an_address(client):
    reader = follower("reader@example.org")
    client.force_login(_staff("view_subscriber"))
    data = {"action": "suppress_selected", "_selected_action": [reader.pk]}
    client.post("/admin/talent/subscriber/", data)
    assert not Subscriber.objects.get().is_suppressed
    get_user_model().objects.get(username="helper").user_permissions.add(
        Permission.objects.get(codename="change_subscriber")
    )
    client.post("/admin/talent/subscriber/", data)
    assert Subscriber.objects.get().is_suppressed


def test_the_outbox_is_read_only_in_the_admin(client, curator):
    client.force_login(curator)
    assert client.get("/admin/talent/delivery/").status_code == 200
    assert client.get("/admin/talent/delivery/add/").status_code == 403
    assert client.get("/admin/talent/follow/").status_code == 200

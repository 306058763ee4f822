from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from talent.permissions import CURATORS


class Command(BaseCommand):
    help = "Create (or reset) the demo curator account for `make run`. Refused unless DEMO is on."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="curator")
        parser.add_argument("--password", default="curator")

    def handle(self, *args, username: str, password: str, **options) -> None:
        if not settings.DEMO:
            raise CommandError(
                "the demo curator (a known password) is for demos only: set DEMO=1 to make it"
            )
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.is_superuser = False  # a curator's rights, as a real one would have
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=CURATORS))
        self.stdout.write(
            f"demo curator: {username} / {password} (log in at /admin/, review at /review/)"
        )

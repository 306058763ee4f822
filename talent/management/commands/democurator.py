from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create (or reset) the demo curator account for `make run`. Refused unless DEBUG is on."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="curator")
        parser.add_argument("--password", default="curator")

    def handle(self, *args, username: str, password: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("the demo curator is for local demos only (DEBUG is off)")
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            f"demo curator: {username} / {password} (log in at /admin/, review at /review/)"
        )

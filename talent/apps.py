from __future__ import annotations

from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = "Talent"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from talent.permissions import curators_group_sync

        # Connected to feeds as the sender, which migrates last: by then both apps'
        # permissions exist.
        post_migrate.connect(curators_group_sync, sender=self.apps.get_app_config("feeds"))

from __future__ import annotations

from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = "Talent"

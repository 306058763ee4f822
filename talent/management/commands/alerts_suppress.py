"""Stop all mail to addresses that hard-bounced or complained (from a provider's report)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from talent.alerts.services import subscriber_suppress


class Command(BaseCommand):
    help = "Stop all alert mail to these addresses (hard bounces, complaints)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("emails", nargs="+")
        parser.add_argument("--reason", default="hard bounce", help="recorded with the address")

    def handle(self, *args, emails: list[str], reason: str, **options) -> None:
        for address in emails:
            subscriber = subscriber_suppress(email=address, reason=reason)
            state = "suppressed" if subscriber else "unknown address, nothing to stop"
            self.stdout.write(f"{address.strip().lower()}: {state}")

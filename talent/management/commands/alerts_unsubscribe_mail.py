"""Act on one message sent to List-Unsubscribe's mailto: address (an MTA pipes it in)."""

from __future__ import annotations

import email
import email.policy
import re
import sys

from django.core.management.base import BaseCommand

from talent.alerts import services, tokens

# The token our List-Unsubscribe mailto: puts in the subject: "unsubscribe <token>".
TOKEN = re.compile(r"unsubscribe\s+(\S+)", re.IGNORECASE)


class Command(BaseCommand):
    help = "Read one e-mail on standard input; if it carries our unsubscribe token, stop."

    def handle(self, *args, **options) -> None:
        message = email.message_from_binary_file(sys.stdin.buffer, policy=email.policy.default)
        match = TOKEN.search(str(message.get("Subject", "")))
        if not match:
            self.stdout.write("no unsubscribe token in the subject: ignored")
            return
        try:
            subscriber, follow_ids = tokens.read_unsubscribe(match.group(1))
        except tokens.BadLink as exc:
            self.stdout.write(f"token refused ({exc}): ignored")
            return
        stopped = services.follows_stop(subscriber=subscriber, follow_ids=follow_ids or None)
        self.stdout.write(f"{subscriber.email}: stopped {stopped}")

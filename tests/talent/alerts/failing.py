"""E-mail backends that refuse, as SMTP servers do (for the outbox's failure paths)."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class TemporaryFailure(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused(
            {m.to[0]: (421, b"try again later") for m in email_messages}
        )


class UnknownUser(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused(
            {m.to[0]: (550, b"no such user") for m in email_messages}
        )

"""An e-mail backend that writes each message as one .eml file (what `make run` uses, under
.local/mail/): open one in any mail client to see exactly what would have been sent."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class EmailBackend(BaseEmailBackend):
    _lock = threading.Lock()
    _counter = 0

    def __init__(self, *args, file_path: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.directory = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            with self._lock:
                EmailBackend._counter += 1
                number = EmailBackend._counter
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
            to = re.sub(r"[^A-Za-z0-9@._-]", "_", ",".join(message.recipients()))[:80]
            path = self.directory / f"{stamp}-{number:05d}-{to}.eml"
            path.write_bytes(message.message().as_bytes(linesep="\r\n"))
            sent += 1
        return sent

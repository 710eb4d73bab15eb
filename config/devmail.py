"""Email in development: readable in the terminal, kept under var/mail/, listed on a page.

Django's console backend prints the MIME message as sent: base64 bodies and encoded subjects,
so a newcomer cannot click the sign-up verification link. This backend prints the decoded
headers and the text body instead, and keeps each message as a plain UTF-8 file that the
DEBUG-only page /<lang>/dev/emails/ shows with its links clickable.
"""

import secrets
import sys
import threading
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import strip_tags

SHOWN = 20  # the newest emails on the page
RULE = "-" * 79


def readable(message, sent_at: datetime) -> str:
    """One message as text: decoded headers, a blank line, the plain body."""
    headers = {
        "Date": sent_at.isoformat(timespec="seconds"),
        "From": message.from_email,
        "To": ", ".join(message.to),
        "Cc": ", ".join(message.cc),
        "Reply-To": ", ".join(message.reply_to),
        "Subject": message.subject,
        **{str(k): str(v) for k, v in message.extra_headers.items()},
    }
    body = message.body if message.content_subtype == "plain" else strip_tags(message.body)
    notes = []
    if getattr(message, "alternatives", None):
        notes.append("[Also sent as HTML.]")
    for attachment in message.attachments:
        name = getattr(attachment, "filename", None) or "(unnamed)"
        notes.append(f"[Attachment: {name}]")
    lines = [f"{name}: {value}" for name, value in headers.items() if value]
    return "\n".join([*lines, "", body.rstrip(), *notes]) + "\n"


def parse(text: str) -> dict:
    head, _, body = text.partition("\n\n")
    headers = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    return {"headers": headers, "subject": headers.get("Subject", ""), "body": body}


class EmailBackend(BaseEmailBackend):
    """MAILERS backend: OPTIONS {"directory": where the files go, "stream": default stdout}."""

    def __init__(self, *, directory, stream=None, **kwargs):
        super().__init__(**kwargs)
        self.directory = Path(directory)
        self.stream = stream or sys.stdout
        self._lock = threading.Lock()

    def send_messages(self, email_messages):
        self.directory.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            message.message()  # the same header checks as a real send
            now = timezone.localtime()
            text = readable(message, now)
            # Names sort by time; the random tail keeps two emails in one microsecond apart.
            name = f"{now:%Y%m%d-%H%M%S-%f}-{secrets.token_hex(3)}.txt"
            (self.directory / name).write_text(text, encoding="utf-8")
            with self._lock:
                self.stream.write(f"{RULE}\n{text}{RULE}\n")
                self.stream.flush()
        return len(email_messages)


def email_list(request: HttpRequest) -> HttpResponse:
    """The newest dev emails, readable, links clickable. Only in debug: 404 otherwise."""
    if not settings.DEBUG:
        raise Http404
    directory = Path(settings.DEV_MAIL_DIR)
    paths = sorted(directory.glob("*.txt"), reverse=True)[:SHOWN] if directory.is_dir() else []
    emails = [
        {"name": path.stem, **parse(path.read_text(encoding="utf-8", errors="replace"))}
        for path in paths
    ]
    return render(request, "dev/emails.html", {"emails": emails, "directory": directory})

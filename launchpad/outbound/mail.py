"""Email over SMTP (`smtp://` or `smtps://`, optional user:password, `?starttls=1`).

The Message-ID is derived from the outbox key, so a retried delivery carries the same id
and mail clients (and people) can tell it is the same notification.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from urllib.parse import parse_qs, unquote, urlsplit


class MailError(RuntimeError):
    """The message was not accepted; `permanent` when retrying cannot help (5xx)."""

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code

    @property
    def permanent(self) -> bool:
        return self.code is not None and 500 <= self.code < 600


@dataclass(frozen=True, slots=True)
class Letter:
    sender: str
    recipients: tuple[str, ...]
    subject: str
    text: str
    message_id: str  # without angle brackets: `<key>@<host>`
    date: datetime


def build_message(letter: Letter) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr(("Launchpad", letter.sender))
    message["To"] = ", ".join(letter.recipients)
    message["Subject"] = letter.subject
    message["Message-ID"] = f"<{letter.message_id}>"
    message["Date"] = format_datetime(letter.date)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(letter.text)
    return message


def send(smtp_url: str, letter: Letter, timeout: float) -> None:
    """Hand the letter to the SMTP server; raises MailError with the server's code."""
    parts = urlsplit(smtp_url)
    options = parse_qs(parts.query)
    secure = parts.scheme == "smtps"
    port = parts.port or (465 if secure else 25)
    client_class = smtplib.SMTP_SSL if secure else smtplib.SMTP
    try:
        with client_class(parts.hostname or "localhost", port, timeout=timeout) as client:
            if options.get("starttls") == ["1"]:
                client.starttls()
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(build_message(letter))
    except smtplib.SMTPResponseException as error:
        raise MailError(
            f"SMTP {error.smtp_code}: {error.smtp_error!r}", code=error.smtp_code
        ) from error
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        raise MailError(f"recipients refused: {error.recipients}", code=min(codes)) from error
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(f"SMTP failed: {error}") from error

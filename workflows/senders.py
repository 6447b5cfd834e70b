"""The network side of a delivery: a signed webhook, a Slack post or an email.

Each returns what came back (a status, an error, Retry-After) and never raises for a
receiver's fault: deciding what that means is the retry policy's job.
"""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import urlsplit

from launchpad.config import Settings
from launchpad.outbound import formats, http, mail, signing
from launchpad.outbound.formats import Rendered
from launchpad.planning.delivery_policy import parse_retry_after
from launchpad.services.deliveries import AttemptResult, Delivery
from launchpad.tuning import Tuning

log = logging.getLogger(__name__)
SMTP_PERMANENT, SMTP_TRANSIENT, SMTP_OK = 400, 503, 250  # SMTP replies in HTTP terms


def send(
    delivery: Delivery, rendered: Rendered, settings: Settings, tuning: Tuning, now: datetime
) -> AttemptResult:
    if delivery.kind == "email":
        return _email(delivery, rendered, settings, tuning, now)
    if delivery.kind == "slack":
        body, headers = formats.slack_body(rendered), {}
    else:
        body = formats.webhook_body(delivery.event_type, delivery.payload, delivery.created_at)
        headers = signing.signed_headers(
            delivery.secret or "", delivery.key, int(now.timestamp()), body
        )
    return _post(delivery, body, headers, tuning, now)


def _post(
    delivery: Delivery, body: bytes, headers: dict[str, str], tuning: Tuning, now: datetime
) -> AttemptResult:
    limits = http.Limits(
        tuning.connect_timeout, tuning.read_timeout, 64 * 1024, delivery.allow_private
    )
    sent = {"Content-Type": "application/json", **headers}
    try:
        answer = http.request("POST", delivery.address, limits, body, sent)
    except http.OutboundError as error:
        return AttemptResult(now, None, str(error), permanent=error.refused)
    failure = None if 200 <= answer.status < 300 else f"HTTP {answer.status}: {answer.body[:200]!r}"
    retry_after = parse_retry_after(answer.headers.get("retry-after"), now)
    return AttemptResult(now, answer.status, failure, retry_after)


def _email(
    delivery: Delivery, rendered: Rendered, settings: Settings, tuning: Tuning, now: datetime
) -> AttemptResult:
    host = urlsplit(settings.base_url).hostname or "launchpad.local"
    letter = mail.Letter(
        sender=f"launchpad@{host}",
        recipients=tuple(a.strip() for a in delivery.address.split(",") if a.strip()),
        subject=f"[Launchpad] {rendered.title}",
        text=rendered.text,
        message_id=f"{delivery.key}@{host}",
        date=delivery.created_at,
    )
    if settings.smtp_url is None:
        log.info(
            "no LAUNCHPAD_SMTP_URL: email %s to %s not sent:\n%s",
            letter.message_id,
            ", ".join(letter.recipients),
            rendered.text,
        )
        return AttemptResult(now, SMTP_OK, "written to the log: no SMTP server configured")
    try:
        mail.send(settings.smtp_url, letter, tuning.connect_timeout + tuning.read_timeout)
    except mail.MailError as error:
        status = SMTP_PERMANENT if error.permanent else (SMTP_TRANSIENT if error.code else None)
        return AttemptResult(now, status, str(error))
    return AttemptResult(now, SMTP_OK)

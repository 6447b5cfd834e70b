"""How an outbox event reads in each medium: email text, Slack payload, webhook body.

Payloads are frozen when the event is written; rendering only adds the base URL, so a
retried delivery says exactly what the first attempt said.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

_KPI_TITLES = {
    "kpi.missed": "KPI missed",
    "kpi.met": "KPI met",
    "kpi.resolved": "KPI back on target",
    "kpi.no_data": "KPI has no data",
    "kpi.error": "KPI check failed",
    "kpi.reminder": "KPI still off target",
    "kpi.final": "KPI final verdict",
    "kpi.test": "Test notification",
}


@dataclass(frozen=True, slots=True)
class Rendered:
    title: str
    text: str
    link: str


def render(event_type: str, payload: dict[str, Any], base_url: str) -> Rendered:
    """A title, a few plain-text lines and a link, for any event type."""
    link = base_url + str(payload.get("path", "/"))
    if event_type.startswith("kpi.") and "target" in payload:
        return _kpi(event_type, payload, link)
    if event_type == "digest.tasks":
        return _digest(payload, link)
    title = str(payload.get("title") or f"Launchpad event {event_type}")
    text = str(payload.get("text") or json.dumps(payload, indent=2, sort_keys=True, default=str))
    return Rendered(title, f"{text}\n\n{link}", link)


def webhook_body(event_type: str, payload: dict[str, Any], created_at: datetime) -> bytes:
    """Standard Webhooks' suggested envelope; identical on every retry."""
    envelope = {"type": event_type, "timestamp": created_at.isoformat(), "data": payload}
    return json.dumps(envelope, sort_keys=True, separators=(",", ":")).encode()


def slack_body(rendered: Rendered) -> bytes:
    """Slack's incoming-webhook payload: `text` for notifications, a block for the message."""
    text = f"*{rendered.title}*\n{rendered.text}"
    block = {"type": "section", "text": {"type": "mrkdwn", "text": text[:2900]}}
    return json.dumps({"text": f"{rendered.title}: {rendered.link}", "blocks": [block]}).encode()


def _kpi(event_type: str, payload: dict[str, Any], link: str) -> Rendered:
    target, check, launch = payload["target"], payload["check"], payload["launch"]
    expression = f"{target['metric']} {target['comparator']} {target['threshold']:g}"
    value = "no value" if check.get("value") is None else f"{check['value']:g} {target['unit']}"
    title = f"{_KPI_TITLES.get(event_type, event_type)}: {target['name']} ({launch['name']})"
    lines = [
        f"Target: {expression}",
        f"Checked at {check['due_at']}: {value} -> {check['outcome']}",
        f"State: {payload.get('previous_status')} -> {payload.get('status')}",
    ]
    if payload.get("verdict"):
        lines.append(f"Final verdict: {payload['verdict']}")
    if check.get("detail"):
        lines.append(f"Detail: {check['detail']}")
    return Rendered(title, "\n".join([*lines, "", link]), link)


def _digest(payload: dict[str, Any], link: str) -> Rendered:
    sections = [("Overdue", payload.get("overdue", [])), ("Due soon", payload.get("due_soon", []))]
    lines = []
    for heading, tasks in sections:
        if tasks:
            lines.append(f"{heading}:")
            lines += [f"  - {t['due_date']}  {t['title']}  ({t['launch']})" for t in tasks]
    count = sum(len(tasks) for _, tasks in sections)
    return Rendered(
        f"Your tasks for {payload.get('day')}: {count}", "\n".join([*lines, "", link]), link
    )

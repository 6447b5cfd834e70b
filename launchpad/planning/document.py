"""A template as one canonical, include-free document: what a launch stores and hashes."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from launchpad.planning.spec import PHASES, KpiSpec, TaskSpec, TemplateSpec


def to_document(spec: TemplateSpec) -> dict[str, Any]:
    """The resolved template as plain data; `spec_from_document` reads it back."""
    document: dict[str, Any] = {
        "key": spec.key,
        "name": spec.name,
        "version": spec.version,
        "description": spec.description,
        "parameters": {
            name: _compact(
                {"type": p.type, "label": p.label, "choices": list(p.choices), "default": p.default}
            )
            for name, p in spec.parameters.items()
        },
        "roles": dict(spec.roles),
        "teams": list(spec.teams),
        "calendar": _compact(
            {"workdays": list(spec.calendar.workdays), "holidays": spec.calendar.holidays}
        ),
        "phases": {phase: [_task(t) for t in spec.tasks if t.phase == phase] for phase in PHASES},
        "kpis": [_kpi(k) for k in spec.kpis],
    }
    return document


def canonical_json(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _task(task: TaskSpec) -> dict[str, Any]:
    return _compact(
        {
            "key": task.key,
            "title": task.title,
            "description": task.description,
            "owner": task.owner,
            "due": str(task.due),
            "start": _text(task.start),
            "duration": _text(task.duration),
            "depends_on": list(task.depends_on),
            "gate": task.gate,
            "milestone": task.milestone,
            "when": task.when.text if task.when else None,
            "roll": task.roll.value if task.roll else None,
        }
    )


def _kpi(kpi: KpiSpec) -> dict[str, Any]:
    return _compact(
        {
            "key": kpi.key,
            "name": kpi.name,
            "check": kpi.check,
            "at": _text(kpi.at),
            "every": _text(kpi.every),
            "from": _text(kpi.start),
            "until": _text(kpi.until),
            "owner": kpi.owner,
            "unit": kpi.unit,
            "when": kpi.when.text if kpi.when else None,
        }
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty optional values so the document stays small and stable."""
    return {k: v for k, v in values.items() if v not in (None, "", [], False) or k == "default"}

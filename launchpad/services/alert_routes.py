"""Who hears about a KPI target: its destinations by audience, and its owners in-app.

Loaded once per evaluation batch (a few queries, whatever the batch size), then asked per
notice. The outbox key is `kpi-<target>-<incident>-<event>-<n>-<destination>`, so a
notice re-derived by a retried evaluation lands on the same row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from launchpad.models import Destination, KpiTarget, Launch, LaunchRole
from launchpad.planning.alert_states import Notice
from launchpad.services.outbox import OutboxEntry
from launchpad.services.people import team_leads


@dataclass
class Routes:
    by_launch: dict[int | None, list[Destination]] = field(default_factory=dict)
    owners: dict[int, list[int]] = field(default_factory=dict)  # target id -> user ids

    @classmethod
    def load(
        cls, session: Session, targets: list[KpiTarget], launches: dict[int, Launch]
    ) -> Routes:
        launch_ids = {target.launch_id for target in targets}
        query = select(Destination).where(
            Destination.enabled,
            Destination.user_id.is_(None),
            or_(Destination.launch_id.is_(None), Destination.launch_id.in_(launch_ids)),
        )
        by_launch: defaultdict[int | None, list[Destination]] = defaultdict(list)
        for destination in session.scalars(query.order_by(Destination.id)):
            if wants_kpi_alerts(destination):
                by_launch[destination.launch_id].append(destination)
        return cls(dict(by_launch), _owners(session, targets, launches))

    def entries(
        self, target: KpiTarget, notice: Notice, payload: dict[str, Any]
    ) -> list[OutboxEntry]:
        """One outbox entry per destination whose audience the notice is for."""
        destinations = [*self.by_launch.get(None, []), *self.by_launch.get(target.launch_id, [])]
        body = {**payload, "recipients": self.owners.get(target.id, [])}
        stem = f"kpi-{target.id}-{notice.incident}-{notice.event.value}-{notice.n}"
        return [
            OutboxEntry(f"{stem}-{d.id}", d.id, f"kpi.{notice.event.value}", body)
            for d in destinations
            if d.audience in notice.audiences
        ]


def wants_kpi_alerts(destination: Destination) -> bool:
    """No event list (every destination before launch events) or one naming `kpi.*`."""
    events = destination.events
    return events is None or any(event.startswith("kpi.") for event in events)


def _owners(
    session: Session, targets: list[KpiTarget], launches: dict[int, Launch]
) -> dict[int, list[int]]:
    """The role's person (else its team lead), the owning team's lead and the launch's creator."""
    launch_ids = {target.launch_id for target in targets}
    roles = {
        (row.launch_id, row.role): row
        for row in session.scalars(select(LaunchRole).where(LaunchRole.launch_id.in_(launch_ids)))
    }
    team_ids = {row.team_id for row in roles.values()} | {t.team_id for t in targets if t.team_id}
    leads = team_leads(session, team_ids)
    owners: dict[int, list[int]] = {}
    for target in targets:
        role = roles.get((target.launch_id, target.role or ""))
        people = [
            role.user_id or leads.get(role.team_id) if role else None,
            leads.get(target.team_id) if target.team_id else None,
            launches[target.launch_id].created_by_id,
        ]
        owners[target.id] = sorted({person for person in people if person is not None})
    return owners

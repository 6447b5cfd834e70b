"""Typed SQLAlchemy models, one module per aggregate; importing this registers them all."""

from launchpad.models.api_tokens import ApiToken
from launchpad.models.audit import AuditEvent
from launchpad.models.feeds import FeedToken, TaskEvent
from launchpad.models.inbox import Notification, TaskDigest
from launchpad.models.invitations import Invitation
from launchpad.models.kpi_checks import KpiAlert, ScheduledCheck
from launchpad.models.kpis import KpiTarget
from launchpad.models.launches import Launch, LaunchRole, LaunchSignoff
from launchpad.models.measurements import Measurement, MeasurementSource
from launchpad.models.notifications import DeliveryAttempt, Destination, OutboxMessage
from launchpad.models.people import Membership, Team, User
from launchpad.models.secrets import StoredSecret
from launchpad.models.tasks import Task, TaskDependency
from launchpad.models.template_versions import TemplateVersion

__all__ = [
    "ApiToken",
    "AuditEvent",
    "DeliveryAttempt",
    "Destination",
    "FeedToken",
    "Invitation",
    "KpiAlert",
    "KpiTarget",
    "Launch",
    "LaunchRole",
    "LaunchSignoff",
    "Measurement",
    "MeasurementSource",
    "Membership",
    "Notification",
    "OutboxMessage",
    "ScheduledCheck",
    "StoredSecret",
    "Task",
    "TaskDependency",
    "TaskDigest",
    "TaskEvent",
    "Team",
    "TemplateVersion",
    "User",
]

"""Typed SQLAlchemy models, one module per aggregate; importing this registers them all."""

from launchpad.models.api_tokens import ApiToken
from launchpad.models.audit import AuditEvent
from launchpad.models.feeds import FeedToken, TaskEvent
from launchpad.models.kpis import KpiTarget
from launchpad.models.launches import Launch, LaunchRole, LaunchSignoff
from launchpad.models.people import Membership, Team, User
from launchpad.models.tasks import Task, TaskDependency
from launchpad.models.template_versions import TemplateVersion

__all__ = [
    "ApiToken",
    "AuditEvent",
    "FeedToken",
    "KpiTarget",
    "Launch",
    "LaunchRole",
    "LaunchSignoff",
    "Membership",
    "Task",
    "TaskDependency",
    "TaskEvent",
    "Team",
    "TemplateVersion",
    "User",
]

"""Server-rendered UI: blueprints, forms, Jinja pages in ``templates/``, assets in ``static/``.

One parent blueprint carries the static files, the sign-in requirement, CSRF and the
error pages; each page family is a child blueprint in its own module.
"""

from __future__ import annotations

from typing import cast

from flask import Blueprint, Flask
from flask.blueprints import BlueprintSetupState

from launchpad.web import (
    account,
    admin,
    alert_destinations,
    api_tokens,
    dashboard,
    errors,
    filters,
    invites,
    kpi_pages,
    launch_actions,
    launch_pages,
    launch_roles,
    library,
    my_tasks,
    notifications_pages,
    security,
    subscriptions,
    tasks,
    wizard,
)

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
for child in (
    account.bp,
    admin.bp,
    alert_destinations.bp,
    api_tokens.bp,
    dashboard.bp,
    invites.bp,
    kpi_pages.bp,
    launch_actions.bp,
    launch_pages.bp,
    launch_roles.bp,
    library.bp,
    my_tasks.bp,
    notifications_pages.bp,
    subscriptions.bp,
    tasks.bp,
    wizard.bp,
):
    bp.register_blueprint(child)
security.guard(bp)
errors.page_errors(bp)


@bp.record_once
def _set_up(state: BlueprintSetupState) -> None:
    """Sessions, CSRF, headers and error pages, once per app that registers the UI."""
    app = cast(Flask, state.app)
    security.init_security(app)
    errors.init_errors(app)
    filters.init_filters(app)

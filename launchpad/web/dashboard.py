"""The portfolio dashboard: launches a page at a time, filters, and the month calendar."""

from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, render_template, request
from sqlalchemy import func, select

from launchpad.models import Launch, Team
from launchpad.models.launches import LAUNCH_STATUSES
from launchpad.services.errors import InvalidInput
from launchpad.services.portfolio import portfolio_page
from launchpad.services.portfolio_calendar import portfolio_month
from launchpad.services.portfolio_filters import PortfolioFilter, checked_filter, quarter_of
from launchpad.web.support import allowed, page_number, today

bp = Blueprint("dashboard", __name__)
_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@bp.get("/")
def index() -> tuple[str, int]:
    _user, session = allowed("launch.view")
    args = {
        key: request.args.get(key, "").replace("\x00", "").strip()[:100]
        for key in ("status", "team", "quarter", "show")
    }
    show_finished = args["show"] == "all"  # closed and cancelled launches are hidden by default
    args["show"] = "all" if show_finished else ""
    problems: dict[str, str] = {}
    try:
        wanted = checked_filter(args["status"], args["team"], args["quarter"], show_finished)
    except InvalidInput as error:
        problems.update(error.problems)
        wanted = PortfolioFilter(show_finished=show_finished)
    month = _month(request.args.get("month", ""), problems)
    now_day = today()
    first, last = session.execute(
        select(func.min(Launch.launch_date), func.max(Launch.launch_date))
    ).one()
    keep = {k: v for k, v in args.items() if v and k not in problems}
    listed = portfolio_page(session, wanted, now_day, page_number(request.args.get("page", "")))
    page = render_template(
        "dashboard/index.html",
        rows=listed.rows,
        listed=listed,
        month=portfolio_month(session, wanted, month or now_day),
        teams=session.scalars(select(Team).order_by(Team.name)).all(),
        statuses=LAUNCH_STATUSES,
        quarters=_quarters(first, last, now_day),
        args=args,
        keep=keep,
        page_keep={**keep, **({"month": month.strftime("%Y-%m")} if month else {})},
        month_arg=request.args.get("month", "")[:20],
        problems=problems,
        today=now_day,
    )
    return page, 400 if problems else 200


def _month(raw: str, problems: dict[str, str]) -> date | None:
    if not raw:
        return None
    match = _MONTH_RE.match(raw)
    if match is None or not 1900 < int(match[1]) < 9000:
        problems["month"] = f"'{raw[:20]}' is not a month like 2027-03"
        return None
    return date(int(match[1]), int(match[2]), 1)


def _quarters(first: date | None, last: date | None, now_day: date) -> list[str]:
    """Every quarter from the earliest launch to the latest (and the current one)."""
    start, end = min(first or now_day, now_day), max(last or now_day, now_day)
    quarters, year, number = [], start.year, (start.month - 1) // 3 + 1
    while (year, number) <= (end.year, (end.month - 1) // 3 + 1):
        quarters.append(f"{year}-Q{number}")
        year, number = (year + 1, 1) if number == 4 else (year, number + 1)
    return quarters if quarter_of(now_day) in quarters else [*quarters, quarter_of(now_day)]

"""Server-rendered UI: blueprints, forms, Jinja pages in ``templates/``, assets in ``static/``."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)


@bp.get("/")
def home() -> str:
    """Placeholder home page until the portfolio dashboard lands."""
    return render_template("home.html")

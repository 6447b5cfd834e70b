"""The app factory: health check and the home page (sign-in for visitors)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from launchpad.extensions import get_session, get_state


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_home_page_asks_visitors_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=/"
    page = client.get("/sign-in")
    assert page.status_code == 200
    assert "Sign in" in page.get_data(as_text=True)


def test_static_assets_are_served_by_the_app(client: FlaskClient) -> None:
    response = client.get("/static/app.css")
    assert response.status_code == 200
    response.close()


def test_app_carries_its_settings(app: Flask) -> None:
    state = get_state(app)
    assert app.config["SECRET_KEY"] == state.settings.secret_key
    assert app.testing


def test_request_session_is_shared_within_a_context_and_closed_after(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        assert get_session() is session
        assert session.execute(text("SELECT 1")).scalar_one() == 1
        assert session.in_transaction()
    assert not session.in_transaction()

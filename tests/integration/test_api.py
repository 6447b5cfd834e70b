"""The REST API: tokens, problems, pagination, ETag / If-Match, launches and tasks."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from launchpad import create_app
from launchpad.config import Settings
from launchpad.extensions import get_state
from launchpad.models import ApiToken, Launch
from launchpad.services.api_tokens import create_token, revoke_token
from launchpad.services.people import create_user

from .conftest import Call, MakeLaunch, Org, complete_task, token_for


def test_requests_without_a_usable_token_get_401_problems(
    client: FlaskClient, session: Session, org: Org
) -> None:
    missing = client.get("/api/v1/launches")
    assert missing.status_code == 401
    assert missing.content_type == "application/problem+json"
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert missing.json["status"] == 401 and "Bearer" in missing.json["detail"]
    secret = token_for(session, org.pm)
    ok = client.get("/api/v1/launches", headers={"Authorization": f"Bearer {secret}"})
    assert ok.status_code == 200
    token_id = session.scalar(select(ApiToken.id).where(ApiToken.user_id == org.pm.id))
    assert token_id is not None
    revoke_token(session, token_id, actor=org.pm, now=datetime.now(UTC))
    session.commit()
    revoked = client.get("/api/v1/launches", headers={"Authorization": f"Bearer {secret}"})
    assert revoked.status_code == 401


def test_expired_and_read_only_tokens(client: FlaskClient, session: Session, org: Org) -> None:
    reader = token_for(session, org.pm, read_only=True)
    headers = {"Authorization": f"Bearer {reader}"}
    assert client.get("/api/v1/templates", headers=headers).status_code == 200
    body = {"template": "feature-release", "name": "X", "launch_date": "2027-03-02"}
    refused = client.post("/api/v1/launches", json=body, headers=headers)
    assert refused.status_code == 403 and "read-only" in refused.json["detail"]
    expired = create_token(
        session,
        org.pm,
        label="old",
        read_only=False,
        expires_days=1,
        now=datetime.now(UTC) - timedelta(days=2),
    )
    session.commit()
    late = client.get("/api/v1/templates", headers={"Authorization": f"Bearer {expired.secret}"})
    assert late.status_code == 401


def test_create_read_reschedule_and_complete(api: Call, session: Session) -> None:
    created = api(
        "POST",
        "/api/v1/launches",
        json={
            "template": "feature-release",
            "name": "Comet",
            "launch_date": "2027-03-02",
            "timezone": "Europe/Berlin",
            "holidays": "DE",
            "parameters": {"rollout": "staged"},
        },
    )
    assert created.status_code == 201, created.json
    launch_id = created.json["id"]
    assert created.headers["Location"] == f"/api/v1/launches/{launch_id}"
    assert created.headers["ETag"] == f'"launch-{launch_id}-v1"'
    detail = api("GET", f"/api/v1/launches/{launch_id}")
    assert detail.json["readiness"]["go"] is False
    assert detail.json["created_at"].endswith("+00:00")
    not_modified = api(
        "GET", f"/api/v1/launches/{launch_id}", headers={"If-None-Match": detail.headers["ETag"]}
    )
    assert not_modified.status_code == 304
    assert not_modified.headers["ETag"] == detail.headers["ETag"]
    assert detail.headers["ETag"].startswith(f'"launch-{launch_id}-v1.')

    path = f"/api/v1/launches/{launch_id}/reschedule"
    preview = api("POST", f"{path}?dry_run=true", json={"launch_date": "2027-03-09"})
    assert preview.status_code == 200 and not preview.json["applied"] and preview.json["moves"]
    no_precondition = api("POST", path, json={"launch_date": "2027-03-09"})
    assert no_precondition.status_code == 428
    applied = api(
        "POST",
        path,
        json={"launch_date": "2027-03-09"},
        headers={"If-Match": detail.headers["ETag"]},  # the detail's tag names version 1
    )
    assert applied.status_code == 200 and applied.json["applied"]
    stale = api(
        "POST",
        path,
        json={"launch_date": "2027-03-16"},
        headers={"If-Match": f'"launch-{launch_id}-v1"'},
    )
    assert stale.status_code == 412
    assert (
        session.scalar(select(Launch.launch_date).where(Launch.id == launch_id)).isoformat()
        == "2027-03-09"
    )

    tasks = api("GET", f"/api/v1/tasks?launch={launch_id}&per_page=5")
    assert tasks.json["pagination"]["total"] > 5 and len(tasks.json["items"]) == 5
    assert 'rel="next"' in tasks.headers["Link"]
    task = tasks.json["items"][0]
    done = complete_task(api, task)
    assert done.status_code == 200 and done.json["status"] == "done"
    assert done.json["version"] == task["version"] + 1


@pytest.mark.parametrize(
    ("body", "status", "where"),
    [
        ({"name": "X", "launch_date": "2027-03-02"}, 422, "template"),
        (
            {"template": "feature-release", "name": "X", "launch_date": "2027-02-30"},
            422,
            "launch_date",
        ),
        (
            {
                "template": "feature-release",
                "name": "X",
                "launch_date": "2027-03-02",
                "colour": "red",
            },
            422,
            "colour",
        ),
        (
            {
                "template": "feature-release",
                "name": "X",
                "launch_date": "2027-03-02",
                "timezone": "Mars/Base",
            },
            422,
            "timezone",
        ),
        ({"template": "nope", "name": "X", "launch_date": "2027-03-02"}, 404, None),
    ],
)
def test_bad_input_is_a_problem_that_says_where(
    api: Call, session: Session, body: dict[str, Any], status: int, where: str | None
) -> None:
    response = api("POST", "/api/v1/launches", json=body)
    assert response.status_code == status, response.json
    assert response.content_type == "application/problem+json"
    if where:
        assert where in str(response.json["errors"])
    assert session.scalar(select(func.count()).select_from(Launch)) == 0


def test_malformed_json_and_huge_bodies(api: Call) -> None:
    broken = api(
        "POST", "/api/v1/launches", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code in (400, 422) and broken.content_type == "application/problem+json"
    huge = api(
        "POST",
        "/api/v1/launches",
        data="x" * (2 * 1024 * 1024),
        headers={"Content-Type": "application/json"},
    )
    assert huge.status_code == 413 and huge.content_type == "application/problem+json"


def test_unknown_query_parameters_and_routes(api: Call) -> None:
    assert api("GET", "/api/v1/tasks?colour=red").status_code == 422
    assert api("GET", "/api/v1/launches/999").status_code == 404
    assert api("DELETE", "/api/v1/templates").status_code == 405


def test_task_list_query_count_does_not_grow(
    api: Call, make_launch: MakeLaunch, app: Flask
) -> None:
    make_launch()
    engine = get_state(app).engine
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    api("GET", "/api/v1/tasks?per_page=1")  # the first use of a token records last_used_at
    counts = []
    for per_page in (5, 50):
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert api("GET", f"/api/v1/tasks?per_page={per_page}").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        counts.append(len(statements))
    assert counts[0] == counts[1], statements


def test_openapi_document_is_complete(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").json
    assert document["openapi"].startswith("3.1")
    assert "bearerAuth" in document["components"]["securitySchemes"]
    for path in (
        "/api/v1/launches",
        "/api/v1/launches/{launch_id}/reschedule",
        "/api/v1/tasks/{task_id}",
        "/api/v1/templates/{key}/preview",
        "/api/v1/teams",
        "/api/v1/people",
        "/api/v1/launches/{launch_id}/events",
    ):
        assert path in document["paths"], path
    assert client.get("/api/docs").status_code == 200


def test_each_token_has_its_own_rate_limit(
    settings: Settings, database_url: str, session: Session, org: Org
) -> None:
    app = create_app(dataclasses.replace(settings, api_rate_limit="3 per minute"))
    client = app.test_client()
    first, second = token_for(session, org.pm), token_for(session, org.pm)
    statuses = [
        client.get("/api/v1/templates", headers={"Authorization": f"Bearer {first}"}).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/templates", headers={"Authorization": f"Bearer {first}"})
    assert limited.content_type == "application/problem+json"
    assert int(limited.headers["Retry-After"]) > 0
    other = client.get("/api/v1/templates", headers={"Authorization": f"Bearer {second}"})
    assert other.status_code == 200
    get_state(app).engine.dispose()


def test_tokens_are_listed_without_secrets_and_revocable(api: Call, org: Org) -> None:
    created = api("POST", "/api/v1/tokens", json={"label": "ci", "expires_days": 30})
    assert created.status_code == 201 and created.json["token"].startswith("lp_")
    assert created.headers["Cache-Control"] == "no-store"
    listed = api("GET", "/api/v1/tokens").json["items"]
    assert {t["label"] for t in listed} >= {"ci"} and all("token" not in t for t in listed)
    revoked = api("DELETE", f"/api/v1/tokens/{created.json['id']}")
    assert revoked.status_code == 200 and revoked.json["revoked_at"]
    someone_else = api("DELETE", f"/api/v1/tokens/{created.json['id']}", as_=org.leads["sales"])
    assert someone_else.status_code == 404


@pytest.mark.parametrize(
    ("role", "method", "path", "allowed"),
    [
        ("viewer", "GET", "/api/v1/launches", True),
        ("viewer", "POST", "/api/v1/launches", False),
        ("member", "POST", "/api/v1/launches", False),
        ("pm", "POST", "/api/v1/teams", False),
        ("admin", "POST", "/api/v1/teams", True),
    ],
)
def test_the_api_enforces_the_same_permissions_as_the_ui(
    api: Call, session: Session, role: str, method: str, path: str, allowed: bool
) -> None:
    person = create_user(
        session, email=f"{role}@example.org", password=None, role=role, now=datetime.now(UTC)
    )
    session.commit()
    bodies = {
        "/api/v1/launches": {
            "template": "feature-release",
            "name": "X",
            "launch_date": "2027-03-02",
        },
        "/api/v1/teams": {"key": "legal"},
    }
    response = api(method, path, as_=person, json=bodies.get(path) if method == "POST" else None)
    assert (response.status_code < 400) is allowed, response.json
    if not allowed:
        assert response.status_code == 403


def test_measurements_push_single_and_batch_with_idempotency_keys(
    api: Call, make_launch: MakeLaunch, session: Session
) -> None:
    launch = make_launch()
    path = f"/api/v1/launches/{launch.id}/measurements"
    value = {"metric": "signups", "value": 120, "observed_at": "2026-11-20T09:00:00+01:00"}
    first = api("POST", path, json=value, headers={"Idempotency-Key": "push-1"})
    assert first.status_code == 201 and first.json["replayed"] is False
    assert first.json["observed_at"] == "2026-11-20T08:00:00+00:00"
    replay = api("POST", path, json=value, headers={"Idempotency-Key": "push-1"})
    assert replay.status_code == 200 and replay.json["id"] == first.json["id"]
    assert replay.json["replayed"] is True
    clash = api("POST", path, json={**value, "value": 999}, headers={"Idempotency-Key": "push-1"})
    assert clash.status_code == 409
    batch = {"items": [{"metric": "signups", "value": n} for n in (130, 140)]}
    stored = api("POST", f"{path}/batch", json=batch, headers={"Idempotency-Key": "b"})
    again = api("POST", f"{path}/batch", json=batch, headers={"Idempotency-Key": "b"})
    assert [i["replayed"] for i in stored.json["items"]] == [False, False]
    assert [i["replayed"] for i in again.json["items"]] == [True, True]
    bad = api("POST", f"{path}/batch", json={"items": [{"metric": "Sign Ups", "value": "x"}]})
    assert bad.status_code == 422 and "metric" in str(bad.json["errors"])
    listed = api("GET", f"{path}?metric=signups").json
    assert listed["pagination"]["total"] == 3


def test_kpi_targets_can_be_added_changed_and_removed(
    api: Call, make_launch: MakeLaunch, session: Session
) -> None:
    launch = make_launch()
    path = f"/api/v1/launches/{launch.id}/kpis"
    before = api("GET", path).json["pagination"]["total"]
    created = api(
        "POST",
        path,
        json={
            "key": "trials",
            "check": "trials >= 40",
            "at": "+14d",
            "owner": "pmm",
            "pending_evals": 2,
        },
    )
    assert created.status_code == 201, created.json
    target = created.json
    assert (target["metric"], target["threshold"], target["owner"]) == ("trials", 40, "pmm")
    duplicate = api("POST", path, json={"key": "trials", "check": "x >= 1", "at": "+1d"})
    assert duplicate.status_code == 422 and "already has" in str(duplicate.json["errors"])
    bad = api(
        "POST", path, json={"key": "k", "check": "trials >= lots", "at": "+1d", "every": "1d"}
    )
    assert bad.status_code == 422
    assert {"check", "at"} <= set(bad.json["errors"]["json"])
    changed = api(
        "PATCH",
        f"/api/v1/kpis/{target['id']}",
        json={"every": "1d", "from": "+1d", "until": "+30d", "at": None},
    )
    assert changed.status_code == 200 and changed.json["every"] == "1d", changed.json
    assert changed.json["max_age_seconds"] is None  # any age, until set
    policy = {"max_age_seconds": 7200, "grace_seconds": 60, "repeat_interval_seconds": 3600}
    tuned = api("PATCH", f"/api/v1/kpis/{target['id']}", json=policy)
    assert tuned.status_code == 200, tuned.json
    assert {name: tuned.json[name] for name in policy} == policy
    for name, value in (("max_age_seconds", 59), ("grace_seconds", 7 * 86400 + 1)):
        refused = api("PATCH", f"/api/v1/kpis/{target['id']}", json={name: value})
        assert refused.status_code == 422 and name in refused.json["errors"]["json"]
    assert api("GET", f"/api/v1/kpis/{target['id']}").json["max_age_seconds"] == 7200
    assert api("GET", path).json["pagination"]["total"] == before + 1
    assert api("DELETE", f"/api/v1/kpis/{target['id']}").status_code == 204
    assert api("GET", f"/api/v1/kpis/{target['id']}").status_code == 404


def test_calendar_feeds_can_be_created_listed_rotated_and_revoked(
    api: Call, client: FlaskClient, make_launch: MakeLaunch, org: Org
) -> None:
    launch = make_launch()
    created = api(
        "POST", "/api/v1/feeds", json={"scope": f"launch:{launch.id}", "label": "work laptop"}
    )
    assert created.status_code == 201, created.json
    url = created.json["url"]
    assert created.json["webcal"].startswith("webcal://")
    assert "calendar.google.com" in created.json["google"]
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{path}").status_code == 200
    listed = api("GET", "/api/v1/feeds").json["items"]
    assert [f["label"] for f in listed] == ["work laptop"] and "url" not in listed[0]
    rotated = api("POST", f"/api/v1/feeds/{created.json['id']}/rotate")
    assert rotated.status_code == 201 and rotated.json["url"] != url
    assert client.get(f"/{path}").status_code == 404
    revoked = api("DELETE", f"/api/v1/feeds/{rotated.json['id']}")
    assert revoked.status_code == 200 and revoked.json["revoked_at"]
    foreign = api(
        "POST", "/api/v1/feeds", json={"scope": "team:sales"}, as_=org.members["marketing"]
    )
    assert foreign.status_code == 403
    bad = api("POST", "/api/v1/feeds", json={"scope": "launch:99999999999999"})
    assert bad.status_code == 422


def test_launch_detail_etag_moves_with_its_tasks_readiness(api: Call) -> None:
    """The launch's version does not change when a task does; its readiness does."""
    body = {"template": "feature-release", "name": "Comet", "launch_date": "2027-03-02"}
    launch_id = api("POST", "/api/v1/launches", json=body).json["id"]
    path = f"/api/v1/launches/{launch_id}"
    before = api("GET", path)
    task = api("GET", f"/api/v1/tasks?launch={launch_id}&per_page=1").json["items"][0]
    done = complete_task(api, task)
    assert done.status_code == 200
    after = api("GET", path, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200, "a 304 here would keep the old readiness"
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.json["version"] == before.json["version"]
    done_before = before.json["readiness"]["overall"]["done"]
    assert after.json["readiness"]["overall"]["done"] == done_before + 1
    other = f'"launch-{launch_id}-v1.{"0" * 16}"'
    assert api("GET", path, headers={"If-None-Match": other}).status_code == 200

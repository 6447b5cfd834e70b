"""The KPI panel's forms: CSV upload, times in the person's own zone, grace and max age."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from launchpad.models import KpiTarget, Launch, Measurement, User

from ..web_support import People, Web, fresh, people_fixture, web_as_fixture  # noqa: F401
from .conftest import MakeTarget

WebAs = Callable[[User | None], Web]
LIMIT = 2 * 1024 * 1024


def upload(web: Web, launch: Launch, body: bytes, url: str = "") -> TestResponse:
    """POST `body` as the file field, with a CSRF token. The multipart body is built in
    memory: from a dict, the test client spools a large one to a file it never closes."""
    fields = {"csrf_token": web.token(), "file": FileStorage(io.BytesIO(body), "values.csv")}
    boundary, data = encode_multipart(fields)
    content_type = f"multipart/form-data; boundary={boundary}"
    return web.client.post(
        url or f"/launches/{launch.id}/kpis/upload", data=data, content_type=content_type
    )


def stored(session: Session, launch: Launch) -> list[Measurement]:
    fresh(session)
    query = select(Measurement).where(Measurement.launch_id == launch.id)
    return list(session.scalars(query.order_by(Measurement.observed_at)))


def in_zone(session: Session, user: User, zone: str) -> None:
    user.timezone = zone
    session.commit()


# --- CSV upload ------------------------------------------------------------------------


def test_a_csv_upload_stores_the_rows_as_csv_and_reports_duplicates(
    web_as: WebAs, people: People, launch: Launch, make_target: MakeTarget, session: Session
) -> None:
    make_target()
    web = web_as(people.member)
    page = web.text(f"/launches/{launch.id}/kpis")
    assert 'enctype="multipart/form-data"' in page and "metric,value,observed_at" in page
    body = (
        "\ufeffmetric,value,observed_at,idempotency_key\n"
        "signups,10,2026-03-08T08:00:00Z,\n"
        "signups,25,2026-03-09T09:00:00+01:00,nightly-9\n"
        "signups,10,2026-03-08T08:00:00Z,\n"  # the same fact again: skipped
    ).encode()
    response = upload(web, launch, body)
    assert response.status_code == 302
    assert "Imported 2 values; 1 duplicate skipped." in web.text(f"/launches/{launch.id}/kpis")
    rows = stored(session, launch)
    assert [(m.metric, m.value, m.observed_at, m.source) for m in rows] == [
        ("signups", 10.0, datetime(2026, 3, 8, 8, 0, tzinfo=UTC), "csv"),
        ("signups", 25.0, datetime(2026, 3, 9, 8, 0, tzinfo=UTC), "csv"),
    ]
    assert {m.recorded_by_id for m in rows} == {people.member.id}
    assert rows[1].idempotency_key == "nightly-9"
    assert upload(web, launch, body).status_code == 302
    assert "Imported 0 values; 3 duplicates skipped." in web.text(f"/launches/{launch.id}/kpis")
    assert len(stored(session, launch)) == 2


def test_a_bad_csv_names_its_lines_and_stores_nothing(
    web_as: WebAs, people: People, launch: Launch, make_target: MakeTarget, session: Session
) -> None:
    make_target()
    web = web_as(people.member)
    body = (
        b"metric,value,observed_at\n"
        b"signups,10,2026-03-08T08:00:00Z\n"
        b"signups,lots,2026-03-08T09:00:00Z\n"
        b"signups,12,2026-03-08 10:00\n"
    )
    response = upload(web, launch, body)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Line 3: value &#39;lots&#39; is not a number" in page
    assert "Line 4: observed_at needs a UTC offset" in page
    assert "Line 2" not in page and "Nothing was imported" in page
    assert stored(session, launch) == []
    header = upload(web, launch, b"name,amount\nsignups,1\n")
    assert header.status_code == 400
    assert "first line must name the columns" in header.get_data(as_text=True)
    latin1 = upload(web, launch, "metric,value,observed_at\nsignüps,1,x\n".encode("latin-1"))
    assert latin1.status_code == 400 and "not UTF-8" in latin1.get_data(as_text=True)
    huge_field = b"metric,value,observed_at,note\nsignups,1,2026-03-08T08:00:00Z," + b"x" * 200_000
    unreadable = upload(web, launch, huge_field)
    assert unreadable.status_code == 400
    assert "Line 2: not readable as CSV" in unreadable.get_data(as_text=True)
    assert stored(session, launch) == []


def test_an_upload_that_fails_while_storing_leaves_nothing_behind(
    web_as: WebAs, people: People, launch: Launch, make_target: MakeTarget, session: Session
) -> None:
    """Every line is fine on its own; the third reuses a key for another value."""
    make_target()
    body = (
        b"metric,value,observed_at,idempotency_key\n"
        b"signups,10,2026-03-08T08:00:00Z,k-1\n"
        b"signups,11,2026-03-08T09:00:00Z,k-2\n"
        b"signups,99,2026-03-08T09:00:00Z,k-1\n"
    )
    response = upload(web_as(people.member), launch, body)
    assert response.status_code == 400
    assert "Nothing was imported" in response.get_data(as_text=True)
    assert stored(session, launch) == []


def test_an_upload_over_two_mib_is_refused_and_under_it_is_taken(
    web_as: WebAs, people: People, launch: Launch, make_target: MakeTarget, session: Session
) -> None:
    make_target()
    web = web_as(people.member)
    row = b"signups,1,2026-03-08T08:00:00Z\n"
    head = b"metric,value,observed_at\n"
    too_big = head + row * ((LIMIT - len(head)) // len(row) + 1)
    assert len(too_big) > LIMIT
    refused = upload(web, launch, too_big)
    assert refused.status_code == 400 and "larger than 2 MiB" in refused.get_data(as_text=True)
    assert stored(session, launch) == []
    # Over the app's usual 1 MiB request cap but under 2 MiB: one value, padded with blanks.
    padded = head + row + b"\n" * (1536 * 1024)
    assert upload(web, launch, padded).status_code == 302
    assert len(stored(session, launch)) == 1
    assert upload(web, launch, b"x" * (LIMIT + 1024**2)).status_code == 413
    elsewhere = upload(web, launch, padded, url=f"/launches/{launch.id}/kpis/values")
    assert elsewhere.status_code == 413  # other forms keep the app's 1 MiB cap
    assert len(stored(session, launch)) == 1


def test_uploading_needs_csrf_a_file_and_the_right_to_push(
    web_as: WebAs, people: People, launch: Launch, make_target: MakeTarget, session: Session
) -> None:
    make_target()
    url = f"/launches/{launch.id}/kpis/upload"
    body = b"metric,value,observed_at\nsignups,1,2026-03-08T08:00:00Z\n"
    member = web_as(people.member)
    forged = member.client.post(url, data={"file": (io.BytesIO(body), "values.csv")})
    assert forged.status_code == 400
    wrong = member.client.post(
        url, data={"csrf_token": "forged", "file": (io.BytesIO(body), "values.csv")}
    )
    assert wrong.status_code == 400
    missing = member.post(url, {})
    assert missing.status_code == 400 and "Choose a CSV file." in missing.get_data(as_text=True)
    viewer = web_as(people.viewer)
    assert "Upload values" not in viewer.text(f"/launches/{launch.id}/kpis")
    assert upload(viewer, launch, body).status_code == 403
    assert stored(session, launch) == []


# --- times in the person's zone ----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "utc"),
    [
        ("2026-01-15T10:00", datetime(2026, 1, 15, 9, 0, tzinfo=UTC)),  # CET, +01:00
        ("2026-07-01T10:00", datetime(2026, 7, 1, 8, 0, tzinfo=UTC)),  # CEST, +02:00
        ("2026-03-29T02:30", datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),  # skipped: moved on
        ("2026-10-25T02:30", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # twice: the first
    ],
)
def test_a_typed_in_time_is_read_in_the_persons_zone(
    web_as: WebAs,
    people: People,
    launch: Launch,
    make_target: MakeTarget,
    session: Session,
    typed: str,
    utc: datetime,
) -> None:
    make_target()
    in_zone(session, people.member, "Europe/Berlin")
    web = web_as(people.member)
    assert "Observed at (Europe/Berlin, optional)" in web.text(f"/launches/{launch.id}/kpis")
    response = web.post(
        f"/launches/{launch.id}/kpis/values",
        {"metric": "signups", "value": "7", "observed_at": typed},
    )
    assert response.status_code == 302
    (measurement,) = stored(session, launch)
    assert measurement.observed_at == utc and measurement.source == "manual"


def test_a_mute_is_typed_and_shown_in_the_persons_zone(
    web_as: WebAs, people: People, launch: Launch, make_target: MakeTarget, session: Session
) -> None:
    target = make_target()
    in_zone(session, people.pm, "America/New_York")
    zone = ZoneInfo("America/New_York")
    web = web_as(people.pm)
    base = f"/launches/{launch.id}/kpis"
    assert "Mute until (America/New_York)" in web.text(base)
    local = (datetime.now(zone) + timedelta(days=2)).replace(second=0, microsecond=0)
    typed = local.strftime("%Y-%m-%dT%H:%M")
    response = web.post(
        f"{base}/{target.id}/mute", {f"m{target.id}-until": typed, f"m{target.id}-mute": "Mute"}
    )
    assert response.status_code == 302
    fresh(session)
    saved = session.get_one(KpiTarget, target.id)
    assert saved.muted_until == local.astimezone(UTC)
    assert saved.muted_until != local.replace(tzinfo=UTC)  # not read as UTC
    page = web.text(base)
    assert f"muted until {local:%Y-%m-%d %H:%M} America/New_York" in page
    assert f'value="{typed}"' in page  # the mute form shows the current end, locally
    in_zone(session, people.pm, "Asia/Tokyo")
    tokyo = local.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"muted until {tokyo:%Y-%m-%d %H:%M} Asia/Tokyo" in web.text(base)


# --- grace and max age in the policy form --------------------------------------------------


def test_the_policy_form_saves_grace_and_max_age_within_bounds(
    web_as: WebAs, people: People, launch: Launch, make_target: MakeTarget, session: Session
) -> None:
    target = make_target(grace_seconds=300)
    web = web_as(people.pm)
    url = f"/launches/{launch.id}/kpis/{target.id}/policy"
    page = web.text(f"/launches/{launch.id}/kpis")
    grace = re.search(rf'<input[^>]*name="t{target.id}-grace_seconds"[^>]*>', page)
    assert grace and 'value="300"' in grace.group(0)
    base = {
        f"t{target.id}-pending_evals": "2",
        f"t{target.id}-keep_firing_evals": "1",
        f"t{target.id}-repeat_minutes": "",
    }
    saved = web.post(
        url, {**base, f"t{target.id}-grace_seconds": "900", f"t{target.id}-max_age_minutes": "90"}
    )
    assert saved.status_code == 302
    fresh(session)
    after = session.get_one(KpiTarget, target.id)
    assert (after.pending_evals, after.grace_seconds, after.max_age_seconds) == (2, 900, 5400)
    for field, value, message in (
        ("grace_seconds", "604801", "Use 0 to 604800 seconds (7 days)."),
        ("grace_seconds", "-1", "Use 0 to 604800 seconds (7 days)."),
        ("max_age_minutes", "0", "Use 1 to 129600 minutes (90 days)."),
        ("max_age_minutes", "129601", "Use 1 to 129600 minutes (90 days)."),
    ):
        values = {
            **base,
            f"t{target.id}-grace_seconds": "60",
            f"t{target.id}-max_age_minutes": "30",
            f"t{target.id}-{field}": value,
        }
        refused = web.post(url, values)
        body = refused.get_data(as_text=True)
        assert refused.status_code == 400, (field, value)
        problem = body.split(f'id="t{target.id}-{field}-msg"', 1)[1].split("</p>", 1)[0]
        assert message in problem, (field, value)
    fresh(session)
    unchanged = session.get_one(KpiTarget, target.id)
    assert (unchanged.grace_seconds, unchanged.max_age_seconds) == (900, 5400)
    cleared = web.post(
        url, {**base, f"t{target.id}-grace_seconds": "", f"t{target.id}-max_age_minutes": ""}
    )
    assert cleared.status_code == 302
    fresh(session)
    final = session.get_one(KpiTarget, target.id)
    assert (final.grace_seconds, final.max_age_seconds) == (0, None)

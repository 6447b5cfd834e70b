"""Standard Webhooks signatures, the SSRF address guard and message formats."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest

from launchpad.outbound.addresses import AddressRefused, check_url, is_public, parse_target
from launchpad.outbound.formats import render, slack_body, webhook_body
from launchpad.outbound.signing import new_secret, sign, signed_headers, verify

BODY = b'{"type":"kpi.missed"}'


def test_a_signature_is_hmac_sha256_of_id_timestamp_body() -> None:
    secret = "whsec_" + base64.b64encode(b"k" * 32).decode()
    expected = hmac.new(b"k" * 32, b"msg_1.1700000000." + BODY, hashlib.sha256).digest()
    assert sign(secret, "msg_1", 1700000000, BODY) == "v1," + base64.b64encode(expected).decode()


def test_verify_accepts_the_headers_and_rejects_tampering_and_old_timestamps() -> None:
    secret = new_secret()
    headers = signed_headers(secret, "msg_1", 1700000000, BODY)
    assert verify(secret, headers, BODY, 1700000100)
    assert not verify(secret, headers, BODY + b" ", 1700000100)
    assert not verify(new_secret(), headers, BODY, 1700000100)
    assert not verify(secret, headers, BODY, 1700000000 + 301)
    several = {**headers, "webhook-signature": "v1,bogus " + headers["webhook-signature"]}
    assert verify(secret, several, BODY, 1700000000)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("224.0.0.1", False),
        ("0.0.0.0", False),
    ],
)
def test_is_public(address: str, public: bool) -> None:
    assert is_public(address) is public


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://localhost:8080/",
        "http://[::1]/",
        "ftp://example.com/",
        "http://user:pw@example.com/",
        "http://10.0.0.1/",
    ],
)
def test_check_url_refuses_without_an_allowance(url: str) -> None:
    with pytest.raises(AddressRefused):
        check_url(url, allow_private=False)


def test_an_allowance_lets_a_local_receiver_through() -> None:
    assert check_url("http://127.0.0.1:8765/h?x=1", allow_private=True).path == "/h?x=1"
    assert parse_target("https://example.com").port == 443


def test_kpi_events_read_well_everywhere() -> None:
    payload = {
        "target": {
            "name": "Sign-ups",
            "metric": "signups",
            "comparator": ">=",
            "threshold": 1000.0,
            "unit": "users",
        },
        "launch": {"name": "Apollo"},
        "check": {"due_at": "2027-03-09T08:00:00+00:00", "value": 410.0, "outcome": "MISSED"},
        "status": "FIRING",
        "previous_status": "OK",
        "path": "/launches/1",
    }
    rendered = render("kpi.missed", payload, "https://lp.example.com")
    assert rendered.title == "KPI missed: Sign-ups (Apollo)"
    assert "signups >= 1000" in rendered.text and "410 users -> MISSED" in rendered.text
    assert rendered.link == "https://lp.example.com/launches/1"
    slack = json.loads(slack_body(rendered))
    assert slack["text"].startswith("KPI missed") and slack["blocks"][0]["type"] == "section"
    created = datetime(2027, 3, 9, tzinfo=UTC)
    assert webhook_body("kpi.missed", payload, created) == webhook_body(
        "kpi.missed", payload, created
    )

"""The canonical, include-free template document that launches store and hash."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from launchpad.planning.document import canonical_json, content_hash, to_document
from launchpad.planning.errors import TemplateInvalid
from launchpad.planning.loader import load_template, spec_from_document
from launchpad.planning.spec import TemplateSpec

WriteFile = Callable[[str, str], Path]
SHIPPED = sorted((Path(__file__).resolve().parents[2] / "templates").glob("*.yaml"))


def without_locations(spec: TemplateSpec) -> TemplateSpec:
    """The spec minus where things were written (a stored body has no lines)."""
    return dataclasses.replace(
        spec,
        location=None,  # type: ignore[arg-type]
        calendar=dataclasses.replace(spec.calendar, location=None),
        parameters={
            name: dataclasses.replace(p, location=None) for name, p in spec.parameters.items()
        },
        tasks=tuple(dataclasses.replace(t, location=None) for t in spec.tasks),  # type: ignore[arg-type]
        kpis=tuple(dataclasses.replace(k, location=None) for k in spec.kpis),  # type: ignore[arg-type]
    )


def round_trip(spec: TemplateSpec) -> TemplateSpec:
    return spec_from_document(json.loads(canonical_json(to_document(spec))), "stored")


def body_hash(spec: TemplateSpec) -> str:
    return content_hash(canonical_json(to_document(spec)))


@pytest.fixture(params=SHIPPED, ids=lambda p: p.stem)
def shipped(request: pytest.FixtureRequest) -> TemplateSpec:
    return load_template(request.param)


def test_round_trip_gives_an_equivalent_spec(shipped: TemplateSpec) -> None:
    back = round_trip(shipped)
    assert without_locations(back) == without_locations(shipped)


def test_round_trip_keeps_the_task_order(shipped: TemplateSpec) -> None:
    """Task order is plan order (`position`); a stored body must rebuild the same plan."""
    assert [t.key for t in round_trip(shipped).tasks] == [t.key for t in shipped.tasks]


def test_round_trip_keeps_the_content_hash(shipped: TemplateSpec) -> None:
    assert body_hash(round_trip(shipped)) == body_hash(shipped)


def test_document_has_no_includes_and_holds_fragment_tasks(shipped: TemplateSpec) -> None:
    document = to_document(shipped)
    assert "include" not in document
    keys = [t["key"] for phase in document["phases"].values() for t in phase]
    assert sorted(keys) == sorted(t.key for t in shipped.tasks)


def test_hash_changes_when_a_title_changes(shipped: TemplateSpec) -> None:
    first = shipped.tasks[0]
    retitled = dataclasses.replace(
        shipped, tasks=(dataclasses.replace(first, title=first.title + "!"), *shipped.tasks[1:])
    )
    assert body_hash(retitled) != body_hash(shipped)


@pytest.mark.parametrize(
    "change",
    [
        {"version": 99},
        {"name": "Renamed"},
        {"roles": {}},
    ],
    ids=["version", "name", "roles"],
)
def test_hash_changes_with_any_content(shipped: TemplateSpec, change: dict[str, Any]) -> None:
    assert body_hash(dataclasses.replace(shipped, **change)) != body_hash(shipped)


def test_hash_ignores_file_locations(shipped: TemplateSpec) -> None:
    assert body_hash(without_locations(shipped)) == body_hash(shipped)


def test_canonical_json_is_compact_sorted_and_unicode() -> None:
    assert canonical_json({"b": 1, "a": ["é", {"d": 2, "c": 3}]}) == (
        '{"a":["é",{"c":3,"d":2}],"b":1}'
    )


def test_content_hash_is_sha256_hex_of_utf8() -> None:
    assert content_hash("") == ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    assert len(content_hash("é")) == 64


DOC_TEMPLATE = """\
key: doc
name: Document test
version: 3
parameters:
  paid_media:
    type: bool
    default: false
  codename:
    type: text
    default: ""
roles:
  pm: product
phases:
  pre-launch:
    - key: prep
      title: Prepare
      owner: pm
      due: -1w
      roll: none
      duration: 3bd
  launch:
    - key: go
      title: Go
      owner: pm
      due: 0d 9:00
      gate: true
      milestone: true
      depends_on: [prep]
      when: not paid_media
kpis:
  - key: revenue
    check: revenue >= 1234567
    every: 12h
    from: 0d
    until: +2w
"""


def test_document_keeps_false_and_empty_defaults_but_drops_empty_options(
    write_file: WriteFile,
) -> None:
    spec = load_template(write_file("doc.yaml", DOC_TEMPLATE))
    document = to_document(spec)
    assert document["parameters"] == {
        "paid_media": {"type": "bool", "default": False},
        "codename": {"type": "text", "default": ""},
    }
    prep, go = document["phases"]["pre-launch"][0], document["phases"]["launch"][0]
    assert prep == {
        "key": "prep",
        "title": "Prepare",
        "owner": "pm",
        "due": "-1w",
        "duration": "3bd",
        "roll": "none",
    }
    assert go["due"] == "0d 09:00"
    assert go["gate"] is True and go["milestone"] is True
    assert go["when"] == "not paid_media"
    assert document["phases"]["post-launch"] == []
    assert document["kpis"] == [
        {
            "key": "revenue",
            "check": "revenue >= 1234567",
            "every": "12h",
            "from": "0d",
            "until": "+2w",
        }
    ]
    assert document["calendar"] == {"workdays": ["mon", "tue", "wed", "thu", "fri"]}


def test_small_template_round_trips_exactly(write_file: WriteFile) -> None:
    spec = load_template(write_file("doc.yaml", DOC_TEMPLATE))
    back = round_trip(spec)
    assert without_locations(back) == without_locations(spec)
    assert back.kpis[0].threshold == 1234567


def test_fragment_include_condition_survives_the_round_trip(write_file: WriteFile) -> None:
    write_file(
        "fragments/extra.yaml",
        "fragment: extra\nphases:\n  pre-launch:\n"
        "    - {key: ads, title: Ads, owner: pm, due: -2bd, when: codename == 'x'}\n",
    )
    text = DOC_TEMPLATE.replace(
        "phases:\n", "include:\n  - {file: fragments/extra.yaml, when: paid_media}\nphases:\n"
    )
    spec = load_template(write_file("doc.yaml", text))
    ads = next(t for t in round_trip(spec).tasks if t.key == "ads")
    assert ads.when is not None
    assert ads.when.text == "(paid_media) and (codename == 'x')"
    assert ads.when.evaluate({"paid_media": True, "codename": "x"}) is True
    assert ads.when.evaluate({"paid_media": False, "codename": "x"}) is False


def test_a_broken_stored_body_is_rejected_with_the_label() -> None:
    with pytest.raises(TemplateInvalid) as caught:
        spec_from_document({"key": "x", "name": "X", "version": 1, "colour": "red"}, "x@1")
    assert [(e.file, e.message) for e in caught.value.errors] == [("x@1", "unknown key `colour`")]


def test_a_stored_body_is_checked_semantically_without_a_file_name() -> None:
    body = {
        "key": "anything",
        "name": "X",
        "version": 1,
        "phases": {"pre-launch": [{"key": "a", "title": "A", "owner": "nobody", "due": "-1d"}]},
    }
    with pytest.raises(TemplateInvalid) as caught:
        spec_from_document(body, "anything@1")
    assert [e.message for e in caught.value.errors] == ["task `a`: unknown owner `nobody`"]

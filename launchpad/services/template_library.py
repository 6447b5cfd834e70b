"""The launch template library on disk and the versions launches were made from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from launchpad.models import TemplateVersion
from launchpad.planning.document import canonical_json, content_hash, to_document
from launchpad.planning.errors import TemplateError, TemplateInvalid
from launchpad.planning.loader import load_template, spec_from_document
from launchpad.planning.spec import TemplateSpec
from launchpad.services.errors import InvalidInput, NotFound


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    """One template file: its spec when valid, its errors when not."""

    key: str
    path: Path
    spec: TemplateSpec | None
    errors: tuple[TemplateError, ...] = ()


def template_files(directory: Path) -> list[Path]:
    """Top-level `*.yaml` files; fragments live in subfolders and are not templates."""
    return sorted(p for p in directory.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def list_library(directory: Path) -> list[LibraryEntry]:
    entries = []
    for path in template_files(directory):
        try:
            entries.append(LibraryEntry(path.stem, path, _cached_load(path, _stamp(path))))
        except TemplateInvalid as invalid:
            entries.append(LibraryEntry(path.stem, path, None, tuple(invalid.errors)))
    return entries


def load_library_template(directory: Path, key: str) -> TemplateSpec:
    """The template `key` from the library; NotFound or InvalidInput with every error."""
    path = directory / f"{key}.yaml"
    if not key or "/" in key or "\\" in key or key.startswith(".") or not path.is_file():
        known = ", ".join(p.stem for p in template_files(directory)) or "none"
        raise NotFound("launch template", f"'{key}' (known: {known})")
    try:
        return _cached_load(path, _stamp(path))
    except TemplateInvalid as invalid:
        raise InvalidInput([str(error) for error in invalid.errors]) from invalid


def register_version(session: Session, spec: TemplateSpec, now: datetime) -> TemplateVersion:
    """The stored version for `spec`'s exact content, created on first use."""
    body, digest = stored_body(spec)
    existing = session.scalar(
        select(TemplateVersion).where(
            TemplateVersion.key == spec.key, TemplateVersion.content_hash == digest
        )
    )
    if existing is not None:
        return existing
    version = TemplateVersion(
        key=spec.key,
        version=spec.version,
        name=spec.name,
        content_hash=digest,
        body=body,
        created_at=now,
    )
    session.add(version)
    session.flush()
    return version


def stored_body(spec: TemplateSpec) -> tuple[str, str]:
    """The canonical body and its hash, computed once per loaded spec."""
    cached = _bodies.get(id(spec))
    if cached is None or cached[0] is not spec:
        body = canonical_json(to_document(spec))
        if len(_bodies) > _MAX_BODIES:
            _bodies.clear()
        cached = _bodies[id(spec)] = (spec, body, content_hash(body))
    return cached[1], cached[2]


_MAX_BODIES = 64
# id(spec) -> (spec, body, hash); the spec is kept so its id cannot be reused meanwhile.
_bodies: dict[int, tuple[TemplateSpec, str, str]] = {}


def spec_of(version: TemplateVersion) -> TemplateSpec:
    """The spec a launch was made from, rebuilt from its stored body."""
    return _spec_from_body(version.content_hash, version.body, f"{version.key}@{version.version}")


@lru_cache(maxsize=64)
def _spec_from_body(digest: str, body: str, label: str) -> TemplateSpec:
    return spec_from_document(json.loads(body), label)


def _stamp(path: Path) -> tuple[int, int]:
    """Cache key that changes when the file (or a fragment folder) changes."""
    stats = [path.stat(), *(p.stat() for p in path.parent.rglob("*.y*ml") if p != path)]
    return max(s.st_mtime_ns for s in stats), sum(s.st_size for s in stats)


@lru_cache(maxsize=64)
def _cached_load(path: Path, stamp: tuple[int, int]) -> TemplateSpec:
    return load_template(path)

"""CSV upload of measurements: `metric,value,observed_at[,idempotency_key]`, all or nothing.

Every line is checked before anything is stored and every problem is reported with its
line number. Rows without a key get one derived from their content, so uploading the same
file twice stores nothing new.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from sqlalchemy.orm import Session

from launchpad.models import User
from launchpad.services.errors import InvalidInput
from launchpad.services.measurements import (
    NewMeasurement,
    Recorded,
    check_measurement,
    record_measurement,
)

REQUIRED = ("metric", "value", "observed_at")
MAX_ROWS = 50_000


def import_csv(
    session: Session, launch_id: int, text: str, *, now: datetime, actor: User | None = None
) -> list[Recorded]:
    """Parse and store the file; InvalidInput names each bad line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput(
            {"header": f"the first line must name the columns {', '.join(REQUIRED)}"}
        )
    items: list[NewMeasurement] = []
    problems: dict[str, str] = {}
    line = 1  # the header
    try:
        for line, row in enumerate(reader, start=2):
            if len(items) >= MAX_ROWS:
                raise InvalidInput({"file": f"at most {MAX_ROWS} rows per upload"})
            try:
                item = _item(row)
                check_measurement(item, now)
                items.append(item)
            except (ValueError, InvalidInput) as error:
                problems[f"line {line}"] = str(error)
    except csv.Error as error:  # e.g. a field over the csv module's size limit
        problems[f"line {line + 1}"] = f"not readable as CSV ({error})"
    if problems:
        raise InvalidInput(problems)
    return [
        record_measurement(session, launch_id, item, source="csv", now=now, actor=actor)
        for item in items
    ]


def _item(row: dict[str, str | None]) -> NewMeasurement:
    observed = datetime.fromisoformat((row.get("observed_at") or "").strip().replace("Z", "+00:00"))
    if observed.tzinfo is None:
        raise ValueError("observed_at needs a UTC offset, e.g. 2027-03-09T08:00:00Z")
    try:
        value = float((row.get("value") or "").strip())
    except ValueError:
        raise ValueError(f"value '{row.get('value')}' is not a number") from None
    key = (row.get("idempotency_key") or "").strip() or None
    return NewMeasurement((row.get("metric") or "").strip(), value, observed, key)

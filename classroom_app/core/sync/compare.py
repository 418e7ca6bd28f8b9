"""When are two statements the same? The xAPI rule both ends of a sync need.

The hub uses it to accept a retried statement instead of refusing it (409); the client
uses it when an LRS answers 409 to a retry: if the copy it holds equals ours, the
statement arrived earlier and is acknowledged.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from classroom_app.core.sync.validation import StatementError, parse_timestamp

LRS_SET = ("stored", "authority", "version")


def same_statement(a: str, b: str) -> bool:
    """Equal apart from what an LRS sets (``stored``, ``authority``, ``version``); ids
    compare without case and timestamps as instants."""
    if a == b:
        return True
    try:
        return _comparable(json.loads(a)) == _comparable(json.loads(b))
    except (ValueError, TypeError, AttributeError):
        return False


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in data.items() if k not in LRS_SET}
    data["id"] = str(data.get("id", "")).lower()
    if "timestamp" in data:
        with contextlib.suppress(StatementError, TypeError, ValueError):
            data["timestamp"] = parse_timestamp(data["timestamp"])
    return data

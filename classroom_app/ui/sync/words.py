"""Sync in words a teacher understands: local times, what a statement records, and why
a sync stopped (the hub's own answer kept as the detail)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from classroom_app.core.i18n import pick, tr


def local_time(stamp: str | None) -> str:
    """An ISO time (UTC) as this PC's local date and time, e.g. 2026-11-23 14:05."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def verb_word(verb_id: str) -> str:
    name = verb_id.rstrip("/").rsplit("/", 1)[-1]
    words = {"attempted": tr("started"), "completed": tr("completed"),
             "answered": tr("answered"), "responded": tr("responded"),
             "attended": tr("attended")}
    return words.get(name, name or "?")


def _part(data: Any, key: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def describe(text: str, learner_name: Callable[[str], str]) -> tuple[str, str, str]:
    """Who (name and student number), what (verb and activity) and when a statement
    records. Refused statements may be malformed: whatever is missing is left out."""
    try:
        data = json.loads(text)
    except ValueError:
        return "", tr("(unreadable record)"), ""
    number = str(_part(_part(data, "actor"), "account").get("name", ""))
    name = learner_name(number) if number else ""
    who = f"{name} ({number})" if name else number
    obj = _part(data, "object")
    titles = _part(_part(obj, "definition"), "name")
    title = pick({"zh_CN": str(titles.get("zh-CN", "")), "en": str(titles.get("en-US", ""))})
    what = tr("{verb}: {activity}").format(verb=verb_word(str(_part(data, "verb").get("id", ""))),
                                           activity=title or obj.get("id", ""))
    stamp = data.get("timestamp") if isinstance(data, dict) else None
    return who, what, local_time(stamp if isinstance(stamp, str) else None)


def explain(error: str, detail: bool = True) -> str:
    """Why a sync stopped or a record was refused, with the hub's own words as the
    detail in brackets (or without them, where they are shown as a tooltip)."""
    if error == "cancelled":
        return tr("Stopped before the end; the rest waits for the next sync.")
    reasons = [("HTTP 401", tr("The hub did not accept this PC's username or password.")),
               ("HTTP 404", tr("There is no hub at this address: check the address.")),
               ("no answer from", tr("The hub did not answer: is it switched on, and is this "
                                     "PC on its network?")),
               ("HTTP 403", tr("The hub does not accept records of this school from this "
                               "PC: check the school web address in Settings.")),
               ("HTTP 400", tr("The record is not valid.")),
               ("HTTP 413", tr("The record is too large for the hub.")),
               ("HTTP 409", tr("The hub already holds a different record with the same "
                               "id.")),
               ("HTTP 5", tr("The hub has a problem: try again later.")),
               ("HTTP 429", tr("The hub is busy: try again later.")),
               ("no sync address", tr("No hub address is set.")),
               ("unreachable", tr("The hub did not answer: is it switched on, and is this "
                                  "PC on its network?")),
               ("not an http(s) address", tr("The hub address must start with http:// or "
                                             "https://."))]
    if "different statement with this id" in error:
        reasons.append((error, tr("The hub already holds a different record with the same "
                                  "id.")))
    if "CERTIFICATE" in error.upper():  # HTTPS to a hub whose certificate is not trusted
        reasons.insert(0, ("", tr("The hub's certificate is not trusted on this PC: ask "
                                  "the hub's administrator.")))
    for start, words in reasons:
        if error.startswith(start):
            return f"{words} ({error[:300]})" if detail else words
    return error

"""From xAPI statements to the few facts the evaluation reads.

Each :class:`Fact` keeps the id of the statement it came from, so every hour and every
competency level can be traced back to statements. Statements this evaluation does not
use (another platform's, or ones it cannot read) are skipped, never fatal: one odd
statement synced from elsewhere must not stop a district report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import orjson

from classroom_app.core import xapi
from classroom_app.core.evaluation.periods import local_date
from classroom_app.core.lessons.model import ASPECTS, LEVELS, STEP_KINDS

ADL = xapi.ADL
_DURATION = re.compile(r"^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?"
                       r"(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
_LESSON_PREFIX = f"{xapi.ID_PREFIX}:lesson:"
_EXPERIMENT_PREFIX = f"{xapi.ID_PREFIX}:experiment:"
COMPETENCY_PREFIX = f"{xapi.ID_PREFIX}:competency:"
SUMMARY_PREFIX = f"{xapi.ID_PREFIX}:term-summary:"
COMMENT_ACTIVITY = f"{xapi.ID_PREFIX}:teacher-comment"


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    kind: str
    learner: str  # the account name (student number); "" for a teacher's confirmation
    home_page: str
    when: datetime
    day: date  # in China Standard Time
    activity: str = ""  # the object's id
    lesson: str = ""
    step: str = ""
    registration: str = ""
    seconds: float = 0.0
    score: float | None = None  # scaled 0..1 (quiz, experiment); a level 0..3 (rating)
    response: str = ""
    tags: tuple[str, ...] = ()
    planned_minutes: int | None = None
    periods: int | None = None  # the lesson's class periods (课时); None in older statements
    step_count: int = 0  # the lesson's steps, with ``periods``
    steps_done: tuple[str, ...] = ()  # an attendance: the steps the class did
    team: str = ""  # the class's name
    stage: str = ""
    classes: int = 0  # an experiment's number of classes (a trained model)
    period: str = ""  # a teacher's judgement: the period it is about, e.g. "2025-autumn"
    name: dict[str, str] = field(default_factory=dict)  # the activity's name by language
    extra: dict[str, Any] = field(default_factory=dict)  # a confirmation's summary


def parse_duration(text: Any) -> float:
    """Seconds in an ISO 8601 duration such as ``PT1H2M5.5S``; 0 for anything else."""
    if not isinstance(text, str):
        return 0.0
    match = _DURATION.match(text)
    if match is None:
        return 0.0
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return days * 86400 + hours * 3600 + minutes * 60 + seconds


def valid_tag(tag: Any) -> bool:
    if not isinstance(tag, str):
        return False
    aspect, _, level = tag.partition(":")
    return aspect in ASPECTS and level in LEVELS


def _kind(verb: str, object_id: str, object_type: str) -> str | None:
    short = verb[len(ADL):] if verb.startswith(ADL) else verb
    if verb == xapi.CONFIRM_VERB["id"]:
        return "confirmed" if object_id.startswith(SUMMARY_PREFIX) else None
    if object_id.startswith(COMPETENCY_PREFIX):
        return "rating" if short == "scored" else None
    if object_id == COMMENT_ACTIVITY:
        return "comment" if short == "commented" else None
    if object_id.startswith(_EXPERIMENT_PREFIX):
        return "experiment" if short == "completed" else None
    if not object_id.startswith(_LESSON_PREFIX):
        return None
    if ":question:" in object_id:
        return "answered" if short == "answered" else None
    if ":step:" in object_id:
        return _step_evidence(short, object_type)
    return {"attended": "attended", "attempted": "lesson-attempted",
            "completed": "lesson-completed"}.get(short)


def _step_evidence(verb: str, object_type: str) -> str | None:
    """The fact a step's completion records: its kind's, found by the verb and the
    activity type; one of unknown type counts as the first kind with its verb."""
    kinds = [kind for kind in STEP_KINDS.values() if kind.verb == verb]
    typed = [kind for kind in kinds if xapi.ACTIVITY_TYPES[kind.activity_type] == object_type]
    return (typed or kinds)[0].evidence if kinds else None


def _lesson_and_step(object_id: str) -> tuple[str, str]:
    rest = object_id[len(_LESSON_PREFIX):]
    lesson, _, tail = rest.partition(":step:")
    step = tail.partition(":question:")[0]
    return lesson, step


def fact_from(data: dict[str, Any], timestamp: str | None = None) -> Fact | None:
    """The fact ``data`` (a parsed statement) records, or None if it records none."""
    try:
        obj = data["object"]
        object_id = obj["id"]
        definition = obj.get("definition") or {}
        kind = _kind(data["verb"]["id"], object_id, definition.get("type", ""))
        if kind is None:
            return None
        when = datetime.fromisoformat(timestamp or data["timestamp"])
        return _build(data, kind, object_id, definition, when)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _build(data: dict[str, Any], kind: str, object_id: str, definition: dict[str, Any],
           when: datetime) -> Fact:
    ctx = data.get("context") or {}
    ext = ctx.get("extensions") or {}
    result = data.get("result") or {}
    account = data["actor"].get("account") or {}
    learner = account.get("name", "") if kind != "confirmed" else ""
    score_data = result.get("score") or {}
    score = score_data.get("scaled")
    lesson = step = ""
    if object_id.startswith(_LESSON_PREFIX):
        lesson, step = _lesson_and_step(object_id)
    parents = (ctx.get("contextActivities") or {}).get("parent") or []
    if kind == "experiment" and parents:
        parent = parents[0].get("id", "")
        if parent.startswith(_LESSON_PREFIX):
            lesson, step = _lesson_and_step(parent)
    if kind == "rating":
        score = score_data.get("raw")
        step = object_id[len(COMPETENCY_PREFIX):]  # the aspect rated
    if kind in ("confirmed", "comment"):
        step = object_id  # the summary's (or comment's) key
    classes = result.get("extensions", {}).get(xapi.CLASSES_EXTENSION) or []
    team = (ctx.get("team") or {}).get("name", "")
    planned = ext.get(xapi.PLANNED_MINUTES_EXTENSION)
    periods, step_count = ext.get(xapi.PERIODS_EXTENSION), ext.get(xapi.STEP_COUNT_EXTENSION)
    counted = _whole(periods) is not None and _whole(step_count) is not None
    done = (result.get("extensions") or {}).get(xapi.STEPS_DONE_EXTENSION) or ()
    response = result.get("response", "")
    return Fact(
        id=data["id"], kind=kind, learner=learner, home_page=account.get("homePage", ""),
        when=when, day=local_date(when), activity=object_id, lesson=lesson, step=step,
        registration=ctx.get("registration", ""),
        seconds=parse_duration(result.get("duration")),
        score=float(score) if isinstance(score, int | float) else None,
        response=response if isinstance(response, str) else "",
        tags=tuple(t for t in ext.get(xapi.COMPETENCIES_EXTENSION) or () if valid_tag(t)),
        planned_minutes=_whole(planned),
        periods=_whole(periods) if counted else None,
        step_count=_whole(step_count) or 0 if counted else 0,
        steps_done=tuple(s for s in done if isinstance(s, str)) if isinstance(done, list)
        else (),
        team=team if isinstance(team, str) else "",
        stage=str(ext.get(xapi.STAGE_EXTENSION, "")),
        classes=len(classes) if isinstance(classes, list) else 0,
        period=str(ext.get(xapi.PERIOD_EXTENSION, "")),
        name=definition.get("name") or {},
        extra=({**(result.get("extensions") or {}), "teacher": data["actor"].get("name", "")}
               if kind == "confirmed" else {}))


def _whole(value: Any) -> int | None:
    """A positive whole number from a statement, or None."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 \
        else None


def facts_from_texts(texts: Iterable[str | bytes],
                     keep: Callable[[Fact], bool] | None = None) -> Iterator[Fact]:
    """Facts from statement texts; unreadable texts are skipped."""
    for text in texts:
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError:
            continue
        if not isinstance(data, dict):
            continue
        fact = fact_from(data)
        if fact is not None and (keep is None or keep(fact)):
            yield fact

"""xAPI 1.0.3 statements (IEEE 9274.1.1) for every learning event.

Learners are an ``account`` on the school's home page named by the student number, so
names never leave the school. Activity ids are stable URNs built from lesson and step
ids. Each statement gets its UUID here, on the device: a retry of the same text is the
same statement to any LRS. The stored text is canonical JSON, sent byte for byte.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from classroom_app.core.lessons.model import Lesson, Question, Step

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    "attempted": "attempted",
    "completed": "completed",
    "answered": "answered",
    "responded": "responded",
    "attended": "attended",
    "scored": "scored",
    "commented": "commented",
}
# Activity Streams' "confirm": a teacher confirming a term summary.
CONFIRM_VERB: dict[str, Any] = {"id": "http://activitystrea.ms/schema/1.0/confirm",
                "display": {"en-US": "confirmed"}}
ACTIVITY_TYPES = {
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "step": "http://adlnet.gov/expapi/activities/module",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "question": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "experiment": "http://adlnet.gov/expapi/activities/simulation",
    "competency": "http://adlnet.gov/expapi/activities/objective",
    "summary": "http://adlnet.gov/expapi/activities/performance",
}
ID_PREFIX = "urn:ai-classroom"
PLATFORM = "AI Classroom"
STAGE_EXTENSION = f"{ID_PREFIX}:extension:stage"
CLASSES_EXTENSION = f"{ID_PREFIX}:extension:classes"
SAMPLES_EXTENSION = f"{ID_PREFIX}:extension:samples-per-class"
TEST_SAMPLES_EXTENSION = f"{ID_PREFIX}:extension:test-samples"
# Evidence carries what the evaluation needs, so the hub needs no lesson packs: the
# competency tags of the step, the lesson's planned length, the class (as context.team).
COMPETENCIES_EXTENSION = f"{ID_PREFIX}:extension:competencies"
PLANNED_MINUTES_EXTENSION = f"{ID_PREFIX}:extension:planned-minutes"
# A lesson counts as its class periods (课时), in proportion to the share of its steps
# done: the context carries both, an attendance the steps the class did.
PERIODS_EXTENSION = f"{ID_PREFIX}:extension:periods"
STEP_COUNT_EXTENSION = f"{ID_PREFIX}:extension:step-count"
STEPS_DONE_EXTENSION = f"{ID_PREFIX}:extension:steps-done"
SUMMARY_EXTENSION = f"{ID_PREFIX}:extension:summary"
DIGEST_EXTENSION = f"{ID_PREFIX}:extension:summary-sha256"
# The school year or term a teacher's rating, comment or confirmation is about (given in
# January about the autumn term, or in September about the year before).
PERIOD_EXTENSION = f"{ID_PREFIX}:extension:period"


@dataclass(frozen=True)
class Statement:
    id: str
    text: str
    timestamp: str


_clock: ContextVar[Callable[[], datetime] | None] = ContextVar("xapi_clock", default=None)


def now() -> datetime:
    """The time every record is stamped with: the PC's clock, or the one
    :func:`clock` put in place (``classroom sample-data`` replays a school year)."""
    override = _clock.get()
    return override() if override is not None else datetime.now(UTC)


@contextmanager
def clock(source: Callable[[], datetime]) -> Iterator[None]:
    """Stamp everything recorded inside the block with times from ``source`` (aware)."""
    token = _clock.set(source)
    try:
        yield
    finally:
        _clock.reset(token)


def format_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def now_timestamp() -> str:
    return format_timestamp(now())


def duration(seconds: float) -> str:
    """ISO 8601 duration with 0.01 s precision, as xAPI recommends."""
    centis = max(0, round(seconds * 100))
    hours, rest = divmod(centis, 360000)
    minutes, rest = divmod(rest, 6000)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    secs = rest / 100
    return text + (f"{secs:g}S" if secs or text == "PT" else "")


def actor(home_page: str, student_number: str) -> dict[str, Any]:
    """The learner as an xAPI agent: the student number on the school's home page and
    nothing else. Names and the gender stay in the roster on this PC; never add them."""
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": student_number}}


def verb(name: str) -> dict[str, Any]:
    return {"id": ADL + VERBS[name], "display": {"en-US": name}}


def lesson_activity(lesson: Lesson) -> dict[str, Any]:
    return {"objectType": "Activity", "id": f"{ID_PREFIX}:lesson:{lesson.id}",
            "definition": {"type": ACTIVITY_TYPES["lesson"],
                           "name": {"zh-CN": lesson.title.get("zh_CN", ""),
                                    "en-US": lesson.title.get("en", "")}}}


def step_activity(lesson: Lesson, step: Step) -> dict[str, Any]:
    return {"objectType": "Activity", "id": f"{ID_PREFIX}:lesson:{lesson.id}:step:{step.id}",
            "definition": {"type": ACTIVITY_TYPES[step.kind.activity_type],
                           "name": {"zh-CN": step.title.get("zh_CN", ""),
                                    "en-US": step.title.get("en", "")}}}


def experiment_activity(demo_id: str, title: dict[str, str]) -> dict[str, Any]:
    """A hands-on experiment in a demo, e.g. training one's own model."""
    return {"objectType": "Activity", "id": f"{ID_PREFIX}:experiment:{demo_id}",
            "definition": {"type": ACTIVITY_TYPES["experiment"],
                           "name": {"zh-CN": title.get("zh_CN", ""),
                                    "en-US": title.get("en", "")}}}


def experiment_result(classes: list[str], samples_per_class: list[int], test_samples: int,
                      test_accuracy: float) -> dict[str, Any]:
    """A trained model's result: evidence for the evaluation."""
    return {"completion": True, "score": {"scaled": round(test_accuracy, 4)},
            "extensions": {CLASSES_EXTENSION: classes, SAMPLES_EXTENSION: samples_per_class,
                           TEST_SAMPLES_EXTENSION: test_samples}}


def demo_context(registration: str, stage: str | None, parent_id: str | None,
                 tags: tuple[str, ...] = (), team_: dict[str, Any] | None = None
                 ) -> dict[str, Any]:
    ctx: dict[str, Any] = {"registration": registration, "platform": PLATFORM}
    extensions: dict[str, Any] = {}
    if stage:
        extensions[STAGE_EXTENSION] = stage
    if tags:
        extensions[COMPETENCIES_EXTENSION] = list(tags)
    if extensions:
        ctx["extensions"] = extensions
    if parent_id:
        ctx["contextActivities"] = {"parent": [{"objectType": "Activity", "id": parent_id}]}
    if team_:
        ctx["team"] = team_
    return ctx


def question_activity(lesson: Lesson, step: Step, index: int) -> dict[str, Any]:
    question: Question = step.questions[index]
    definition: dict[str, Any] = {
        "type": ACTIVITY_TYPES["question"],
        "name": {"zh-CN": question.prompt.get("zh_CN", ""), "en-US": question.prompt.get("en", "")},
    }
    if question.kind == "truefalse":
        definition["interactionType"] = "true-false"
        definition["correctResponsesPattern"] = ["true" if 0 in question.correct else "false"]
    else:
        definition["interactionType"] = "choice"
        definition["correctResponsesPattern"] = [response_text(question, question.correct)]
        zh, en = question.options.get("zh_CN", ()), question.options.get("en", ())
        definition["choices"] = [
            {"id": str(i), "description": {"zh-CN": zh[i] if i < len(zh) else "",
                                           "en-US": en[i] if i < len(en) else ""}}
            for i in range(max(len(zh), len(en)))]
    return {"objectType": "Activity",
            "id": f"{ID_PREFIX}:lesson:{lesson.id}:step:{step.id}:question:{index + 1}",
            "definition": definition}


def response_text(question: Question, chosen: frozenset[int]) -> str:
    if question.kind == "truefalse":
        return "true" if chosen == frozenset({0}) else "false"
    return "[,]".join(str(i) for i in sorted(chosen))


def team(home_page: str, class_name: str) -> dict[str, Any]:
    """The class as an identified xAPI Group: a learner who moves class carries the
    class of each lesson with the statement that records it."""
    return {"objectType": "Group", "name": class_name,
            "account": {"homePage": home_page, "name": f"class:{class_name}"}}


def step_competencies(lesson: Lesson, step: Step | None) -> tuple[str, ...]:
    """What a step builds: its own tags, else the lesson's."""
    if step is None:
        return ()
    return step.competencies or lesson.competencies


def context(lesson: Lesson, registration: str, parent: bool, step: Step | None = None,
            team_: dict[str, Any] | None = None) -> dict[str, Any]:
    extensions: dict[str, Any] = {STAGE_EXTENSION: lesson.stage,
                                  PLANNED_MINUTES_EXTENSION: lesson.minutes,
                                  PERIODS_EXTENSION: lesson.periods,
                                  STEP_COUNT_EXTENSION: len(lesson.steps)}
    tags = step_competencies(lesson, step)
    if tags:
        extensions[COMPETENCIES_EXTENSION] = list(tags)
    ctx: dict[str, Any] = {"registration": registration, "platform": PLATFORM,
                           "extensions": extensions}
    if parent:
        ctx["contextActivities"] = {"parent": [{"objectType": "Activity",
                                                "id": f"{ID_PREFIX}:lesson:{lesson.id}"}]}
    if team_:
        ctx["team"] = team_
    return ctx


def make_statement(actor_: dict[str, Any], verb_name: str, obj: dict[str, Any],
                   ctx: dict[str, Any], result: dict[str, Any] | None = None) -> Statement:
    """A complete statement with its id and timestamp, as canonical JSON text."""
    statement_id = str(uuid.uuid4())
    timestamp = now_timestamp()
    verb_ = CONFIRM_VERB if verb_name == "confirmed" else verb(verb_name)
    body: dict[str, Any] = {"id": statement_id, "actor": actor_, "verb": verb_,
                            "object": obj, "context": ctx, "timestamp": timestamp}
    if result is not None:
        body["result"] = result
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Statement(statement_id, text, timestamp)

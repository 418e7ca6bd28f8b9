"""A class's evaluation on this PC: its roster, each learner's standing from every
statement recorded here (its own, and those the class hub received from student PCs),
and whether the teacher has confirmed the summary as it stands."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote

import orjson

from classroom_app.core import xapi
from classroom_app.core.evaluation.facts import SUMMARY_PREFIX, Fact, facts_from_texts
from classroom_app.core.evaluation.periods import Period
from classroom_app.core.evaluation.standing import (
    LearnerEvaluation,
    evaluate,
    summary_of,
)
from classroom_app.core.lessons.library import LessonLibrary
from classroom_app.core.lessons.model import LEVELS
from classroom_app.core.store import ClassInfo, Learner, Store


class LibraryCatalog:
    """Planned lengths and competency tags from the lesson library, for statements
    recorded before they carried them."""

    def __init__(self, library: LessonLibrary) -> None:
        self.library = library

    def planned_minutes(self, lesson_id: str) -> int | None:
        lesson = self.library.get(lesson_id)
        return lesson.minutes if lesson else None

    def tags(self, lesson_id: str, step_id: str) -> tuple[str, ...]:
        lesson = self.library.get(lesson_id)
        if lesson is None:
            return ()
        step = next((s for s in lesson.steps if s.id == step_id), None)
        return xapi.step_competencies(lesson, step)


@dataclass(frozen=True)
class Confirmation:
    statement: str
    teacher: str
    when: str  # the statement's timestamp
    digest: str


@dataclass(frozen=True)
class ClassReport:
    info: ClassInfo
    period: Period
    rows: tuple[tuple[Learner, LearnerEvaluation], ...]
    digest: str
    confirmation: Confirmation | None

    @property
    def confirmed(self) -> bool:
        """Confirmed, and nothing has changed since."""
        return self.confirmation is not None and self.confirmation.digest == self.digest

    @property
    def reached(self) -> int:
        return sum(1 for _, e in self.rows if e.reached)

    def level_counts(self, aspect: str) -> list[int]:
        """How many learners stand at none, understand, apply, create in ``aspect``."""
        counts = [0] * (len(LEVELS) + 1)
        for _, evaluation in self.rows:
            counts[evaluation.aspects[aspect].level] += 1
        return counts

    def learner(self, student_number: str) -> tuple[Learner, LearnerEvaluation] | None:
        return next((r for r in self.rows if r[0].student_number == student_number), None)


def summary_activity_id(class_name: str, period: Period) -> str:
    return f"{SUMMARY_PREFIX}{period.key}:{quote(class_name, safe='')}"


def digest(summary: dict) -> str:
    return hashlib.sha256(orjson.dumps(summary, option=orjson.OPT_SORT_KEYS)).hexdigest()


def year_facts(store: Store, period: Period, learners: set[str]) -> list[Fact]:
    """Facts of ``period``'s school year about ``learners``, and confirmations."""
    start, end = Period(period.year).utc_bounds()
    # a day's margin: statements from elsewhere may carry other offsets; days are exact
    low = (date.fromisoformat(start[:10]) - timedelta(days=1)).isoformat()
    high = (date.fromisoformat(end[:10]) + timedelta(days=1)).isoformat()
    # and the teacher's later judgements about this year (rated in September, say)
    about = f'%"{xapi.PERIOD_EXTENSION}":"{period.year}-%'
    texts = store.statement_texts_created(low, high, about)
    return list(facts_from_texts(texts, lambda f: f.learner in learners or f.kind == "confirmed"))


def class_report(store: Store, library: LessonLibrary, class_id: int,
                 period: Period) -> ClassReport:
    info = store.get_class(class_id)
    if info is None:
        raise KeyError(class_id)
    learners = store.learners(class_id)
    numbers = {learner.student_number for learner in learners}
    facts = year_facts(store, period, numbers)
    evaluations = evaluate(facts, period, LibraryCatalog(library), numbers)
    rows = tuple((learner, evaluations[learner.student_number]) for learner in learners)
    current = digest(summary_of(e for _, e in rows))
    wanted = summary_activity_id(info.name, period)
    confirmations = [f for f in facts if f.kind == "confirmed" and f.step == wanted]
    last = max(confirmations, key=lambda f: (f.when, f.id)) if confirmations else None
    confirmation = None
    if last is not None:
        confirmation = Confirmation(last.id, str(last.extra.get("teacher", "")),
                                    xapi.format_timestamp(last.when),
                                    str(last.extra.get(xapi.DIGEST_EXTENSION, "")))
    return ClassReport(info, period, rows, current, confirmation)


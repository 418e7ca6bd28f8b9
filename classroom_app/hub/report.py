"""The district's report on the hub: every school, class and student in a school year or
term, from everything synced.

The figures are the evaluation's own (:func:`~classroom_app.core.evaluation.standing.evaluate`)
so a student's class periods and levels on the hub are exactly what their teacher's PC shows
for the same statements. Each school is evaluated on its own, from the statements
stored under it: student numbers are unique within a school, not across the district.
A student belongs to the class of their latest statement, so one who moved class
mid-year is counted once, there, with all their class periods.

Speed: a district holds hundreds of thousands of statements. Only what the evaluation
uses is read (no answers to single questions, nothing voided, nothing outside the school
year), in pages by ``seq`` so memory holds one page of text at a time, one school's
facts at a time, and the garbage collector is paused while facts pile up (it would
otherwise rescan all of them again and again, for nothing: facts hold no cycles).
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import orjson

from classroom_app.core import xapi
from classroom_app.core.evaluation.class_report import summary_activity_id
from classroom_app.core.evaluation.facts import Fact, fact_from
from classroom_app.core.evaluation.periods import SCHOOL_TZ, Period
from classroom_app.core.evaluation.standing import (
    LearnerEvaluation,
    LessonCatalog,
    evaluate,
)
from classroom_app.core.i18n import tr
from classroom_app.core.lessons.model import ASPECTS, LEVELS
from classroom_app.hub.storage import HubStorage

PAGE = 5000  # statements per read: ~5 MB of text
# The verbs of the facts the evaluation uses ("answered" is a fact, but it counts for
# nothing: a question's answer is evidence only through its quiz's completion).
READ_VERBS = tuple(xapi.ADL + verb for verb in (
    "attended", "attempted", "completed", "responded", "scored", "commented")) + (
    xapi.CONFIRM_VERB["id"],)
Distribution = tuple[int, int, int, int]  # students at none, understand, apply, create


class ReportError(Exception):
    """Nothing to report on (an unknown school, an empty hub); the message says why."""


@dataclass(frozen=True)
class Confirmation:
    """The teacher's latest confirmation of a class's summary for the period. (The hub
    cannot compare its digest as the teacher's PC does: it has no class roster, and the
    PC's summary also lists students without statements. It shows who confirmed, when,
    and which students the confirmed summary lists.)"""

    statement: str
    teacher: str
    when: datetime
    learners: frozenset[str] | None  # the students it lists (None: it lists none)

    def covers(self, learner: str) -> bool:
        return self.learners is None or learner in self.learners


@dataclass(frozen=True)
class StudentRow:
    school: str
    team: str  # the class's name, "" when no statement names one
    student: str  # the student number (the hub has no names)
    periods: float  # class periods (课时) in the period
    year_periods: float
    reached: bool  # the required class periods in the school year
    lessons_done: int
    levels: tuple[int, ...]  # per aspect, in ASPECTS order: 0 none .. 3 create
    confirmed: bool  # the teacher confirmed the class's summary with this student in it


@dataclass(frozen=True)
class ClassRow:
    school: str
    team: str
    learners: int
    reached: int
    mean_periods: float  # in the period
    levels: dict[str, Distribution]  # per aspect
    confirmation: Confirmation | None

    @property
    def share(self) -> float:
        return self.reached / self.learners if self.learners else 0.0

    @property
    def label(self) -> str:
        return class_label(self.team)


@dataclass(frozen=True)
class SchoolReport:
    school: str
    classes: tuple[ClassRow, ...]
    students: tuple[StudentRow, ...]
    learners: int
    reached: int
    mean_periods: float
    levels: dict[str, Distribution]
    statements: int  # statements read for it

    @property
    def share(self) -> float:
        return self.reached / self.learners if self.learners else 0.0


@dataclass(frozen=True)
class DistrictReport:
    period: Period
    generated: datetime
    schools: tuple[SchoolReport, ...]

    @property
    def learners(self) -> int:
        return sum(s.learners for s in self.schools)

    @property
    def reached(self) -> int:
        return sum(s.reached for s in self.schools)

    @property
    def share(self) -> float:
        return self.reached / self.learners if self.learners else 0.0

    @property
    def classes(self) -> int:
        return sum(len(s.classes) for s in self.schools)

    @property
    def statements(self) -> int:
        return sum(s.statements for s in self.schools)


@dataclass
class SchoolFacts:
    """What is read for one school: learners' facts and term-summary confirmations."""

    facts: list[Fact]
    confirmations: list[Fact]
    statements: int


def class_label(team: str) -> str:
    return team or tr("(no class)")


def class_order(team: str) -> tuple[bool, list[str | int]]:
    """Classes in the order a school lists them: 四年级（2）班 before 四年级（10）班, and
    students whose statements name no class last."""
    return team == "", [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", team)]


def default_period(today: date | None = None) -> Period:
    """The school year holding ``today`` (China time)."""
    return Period.containing(today or datetime.now(SCHOOL_TZ).date())


def schools(storage: HubStorage) -> list[str]:
    """Every school with statements on the hub."""
    return storage.schools()


def find_school(storage: HubStorage, school: str) -> str | None:
    """The school as stored: ``school`` itself, or with/without its final slash."""
    for candidate in dict.fromkeys((school, school.rstrip("/"), school.rstrip("/") + "/")):
        if storage.has_school(candidate):
            return candidate
    return None


@contextmanager
def gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _window(period: Period) -> tuple[str, str]:
    """The school year's stored times with a day's margin either side: statements from
    elsewhere may carry other offsets; the evaluation takes days exactly."""
    start, end = Period(period.year).utc_bounds()
    low = date.fromisoformat(start[:10]) - timedelta(days=1)
    high = date.fromisoformat(end[:10]) + timedelta(days=1)
    return low.isoformat(), high.isoformat()


def read_facts(storage: HubStorage, school: str, period: Period,
               page: int = PAGE) -> SchoolFacts:
    """The facts of ``school``'s statements in ``period``'s school year, not voided, and
    the teacher's judgements made later (a summary of the year may well be confirmed, or
    a term rated, after it ended: the evaluation places them by the period they name)."""
    low, high = _window(period)
    judgements = (xapi.ADL + "scored", xapi.ADL + "commented")
    found = SchoolFacts([], [], 0)
    loads, decode_error, add_fact = orjson.loads, orjson.JSONDecodeError, found.facts.append
    after = 0
    while True:
        rows = storage.report_page(school, READ_VERBS, low, high, READ_VERBS[-1], judgements,
                                   after, page)
        for _, timestamp, body in rows:
            try:
                data = loads(body)
            except decode_error:
                continue  # one unreadable statement must not stop the district's report
            fact = fact_from(data, timestamp) if isinstance(data, dict) else None
            if fact is None:
                continue
            if fact.kind == "confirmed":
                found.confirmations.append(fact)
            elif fact.learner:
                add_fact(fact)
        found.statements += len(rows)
        if len(rows) < page:
            return found
        after = rows[-1][0]


def latest_confirmations(confirmations: Iterable[Fact]) -> dict[str, Confirmation]:
    """The latest confirmation of each summary (by its activity id)."""
    latest: dict[str, Fact] = {}
    for fact in confirmations:
        held = latest.get(fact.step)
        if held is None or (fact.when, fact.id) > (held.when, held.id):
            latest[fact.step] = fact
    return {step: Confirmation(f.id, str(f.extra.get("teacher", "")), f.when,
                               _listed(f.extra.get(xapi.SUMMARY_EXTENSION)))
            for step, f in latest.items()}


def _listed(summary: Any) -> frozenset[str] | None:
    return frozenset(summary) if isinstance(summary, dict) and summary else None


def distribution(rows: Sequence[StudentRow]) -> dict[str, Distribution]:
    """How many of ``rows`` stand at each level of each aspect."""
    result = {}
    for index, aspect in enumerate(ASPECTS):
        counts = [0] * (len(LEVELS) + 1)
        for row in rows:
            counts[row.levels[index]] += 1
        result[aspect] = (counts[0], counts[1], counts[2], counts[3])
    return result


def _mean_periods(rows: Sequence[StudentRow]) -> float:
    return sum(r.periods for r in rows) / len(rows) if rows else 0.0


def _student(school: str, evaluation: LearnerEvaluation,
             confirmation: Confirmation | None) -> StudentRow:
    return StudentRow(
        school=school, team=evaluation.team, student=evaluation.learner,
        periods=evaluation.periods, year_periods=evaluation.year_periods,
        reached=evaluation.reached,
        lessons_done=evaluation.lessons_done,
        levels=tuple(evaluation.aspects[aspect].level for aspect in ASPECTS),
        confirmed=confirmation is not None and confirmation.covers(evaluation.learner))


def school_report(school: str, found: SchoolFacts, period: Period,
                  catalog: LessonCatalog | None = None) -> SchoolReport:
    """One school's classes and students from its facts."""
    evaluations = evaluate(found.facts, period, catalog)
    confirmed = latest_confirmations(found.confirmations)
    by_class: dict[str, list[StudentRow]] = defaultdict(list)
    of_class: dict[str, Confirmation | None] = {}
    for evaluation in evaluations.values():
        team = evaluation.team
        if team not in of_class:
            of_class[team] = confirmed.get(summary_activity_id(team, period)) if team else None
        by_class[team].append(_student(school, evaluation, of_class[team]))
    classes = []
    students: list[StudentRow] = []
    for team in sorted(by_class, key=class_order):
        rows = sorted(by_class[team], key=lambda r: r.student)
        students.extend(rows)
        classes.append(ClassRow(school, team, len(rows), sum(r.reached for r in rows),
                                _mean_periods(rows), distribution(rows), of_class[team]))
    return SchoolReport(school, tuple(classes), tuple(students), len(students),
                        sum(r.reached for r in students), _mean_periods(students),
                        distribution(students), found.statements)


def build_report(storage: HubStorage, period: Period, school: str | None = None,
                 catalog: LessonCatalog | None = None,
                 now: datetime | None = None) -> DistrictReport:
    """The report for ``school`` (its home page), or for every school on the hub.

    Raises ReportError when the hub has no statements of the school (or none at all)."""
    if school is not None:
        stored = find_school(storage, school)
        if stored is None:
            raise ReportError(tr("The hub has no statements of the school {school}.")
                              .format(school=school))
        chosen = [stored]
    else:
        chosen = schools(storage)
        if not chosen:
            raise ReportError(tr("The hub has no statements yet."))
    reports = []
    for name in chosen:
        with gc_paused():
            reports.append(school_report(name, read_facts(storage, name, period), period,
                                         catalog))
    return DistrictReport(period, now or datetime.now(SCHOOL_TZ), tuple(reports))

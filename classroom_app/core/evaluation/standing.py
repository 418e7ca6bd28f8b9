"""A learner's standing: hours in a period and the four competency aspects.

Hours
    A lesson counts at most its planned length per school year, however often it was
    attended or studied (a lesson attended twice counts once). Time is the attended
    class time plus the learner's own study: in one sitting, the lesson's recorded
    duration, or the steps done when it was left half way (which counts the time spent
    but is not a lesson done). Minutes belong to the day they were spent, so the two
    terms add up to the year.

Competencies (UNESCO AI Competency Framework for Students, 2024)
    Evidence is a quiz (shown at 60 % or more), a reflection (shown when it has at least
    eight written characters), an experiment (a trained model shown at 60 % test
    accuracy with at least two classes; other experiments by taking part) and the
    teacher's rating. Each counts for the competency tags of its lesson step, and a
    redone quiz, reflection or experiment counts once, by its latest result. A level of
    an aspect is reached with two pieces of evidence shown at that level; the aspect
    stands at the highest level reached, unless the teacher rated it, whose rating
    stands (both are shown).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from classroom_app.core.evaluation.facts import Fact
from classroom_app.core.evaluation.periods import Period, school_year_of
from classroom_app.core.lessons.model import ASPECTS, LEVELS, STAGES

REQUIRED_HOURS = 8
DEFAULT_LESSON_MINUTES = 45
QUIZ_PASS = 0.6
MODEL_PASS = 0.6
REFLECTION_CHARACTERS = 8
EVIDENCE_PER_LEVEL = 2
_EVIDENCE_KINDS = ("quiz", "reflection", "experiment")


class LessonCatalog(Protocol):
    """What the shipped or imported lessons say, for statements that do not carry it."""

    def planned_minutes(self, lesson_id: str) -> int | None: ...

    def tags(self, lesson_id: str, step_id: str) -> tuple[str, ...]: ...


class NoCatalog:
    def planned_minutes(self, lesson_id: str) -> int | None:
        return None

    def tags(self, lesson_id: str, step_id: str) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class LessonTime:
    lesson: str
    name: dict[str, str]
    minutes: float
    planned: int
    done: bool
    statements: tuple[str, ...]


@dataclass(frozen=True)
class Evidence:
    statement: str
    kind: str  # quiz | reflection | experiment | rating
    when: datetime
    lesson: str
    step: str
    name: dict[str, str]
    tags: tuple[str, ...]
    value: float | None  # the score (0..1), or the rated level
    shown: bool
    response: str = ""
    classes: int = 0


@dataclass(frozen=True)
class AspectStanding:
    aspect: str
    computed: int  # 0 none, 1 understand, 2 apply, 3 create
    rated: int | None
    counts: tuple[int, int, int]  # evidence shown at each level
    statements: tuple[str, ...]  # the evidence behind ``computed`` and ``rated``

    @property
    def level(self) -> int:
        return self.rated if self.rated is not None else self.computed

    @property
    def radar(self) -> float:
        """0..3 for the radar chart: the level, or the way towards a level not yet
        reached (one piece of evidence at "apply" is half way from understand to apply)."""
        if self.rated is not None:
            return float(self.rated)
        partial = (i + min(1.0, n / EVIDENCE_PER_LEVEL) for i, n in enumerate(self.counts) if n)
        return max(float(self.computed), *partial, 0.0)


@dataclass(frozen=True)
class LearnerEvaluation:
    learner: str
    team: str
    period: Period
    hours: float
    year_hours: float
    lessons: tuple[LessonTime, ...]
    aspects: dict[str, AspectStanding]
    evidence: tuple[Evidence, ...]
    comment: str = ""
    comment_statement: str = ""
    stage: str = ""

    @property
    def reached(self) -> bool:
        return self.year_hours >= REQUIRED_HOURS - 1e-9

    @property
    def lessons_done(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.done)

    def levels(self) -> dict[str, int]:
        return {aspect: standing.level for aspect, standing in self.aspects.items()}


@dataclass
class _Hours:
    """Running totals while a learner's year is replayed in time order."""

    used: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    sitting: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    period: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    done: set[str] = field(default_factory=set)
    statements: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    planned: dict[str, int] = field(default_factory=dict)
    year_seconds: float = 0.0


def stage_level(stage: str) -> str:
    """The framework's level for a stage: understand, apply, create."""
    return LEVELS[STAGES.index(stage)] if stage in STAGES else LEVELS[0]


def judged_period(fact: Fact) -> Period | None:
    """The period a teacher's judgement names (None for other facts or a bad name)."""
    try:
        return Period.parse(fact.period) if fact.period else None
    except ValueError:
        return None


def year_of(fact: Fact) -> int:
    named = judged_period(fact)
    return named.year if named else school_year_of(fact.day)


def applies(fact: Fact, period: Period) -> bool:
    """Whether ``fact`` belongs to ``period``: by its day, or for a judgement by the
    period it names (a term's judgement also stands for its whole year)."""
    named = judged_period(fact)
    if named is None:
        return period.contains(fact.day)
    return named == period or (period.term == "year" and named.year == period.year)


def evaluate(facts: Iterable[Fact], period: Period, catalog: LessonCatalog | None = None,
             learners: Iterable[str] | None = None) -> dict[str, LearnerEvaluation]:
    """Each learner's standing in ``period`` from ``facts`` (any order; facts outside the
    period's school year are ignored). ``learners`` limits and completes the result: a
    listed learner with no facts gets an empty standing."""
    catalog = catalog or NoCatalog()
    wanted = set(learners) if learners is not None else None
    by_learner: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        if not fact.learner or year_of(fact) != period.year:
            continue
        if wanted is None or fact.learner in wanted:
            by_learner[fact.learner].append(fact)
    names = sorted(wanted) if wanted is not None else sorted(by_learner)
    return {name: evaluate_learner(name, by_learner.get(name, []), period, catalog)
            for name in names}


def evaluate_learner(learner: str, facts: list[Fact], period: Period,
                     catalog: LessonCatalog) -> LearnerEvaluation:
    facts = sorted(facts, key=lambda f: (f.when, f.id))
    hours = _count_hours(facts, period, catalog)
    inside = [f for f in facts if applies(f, period)]
    evidence = _evidence(inside, catalog)
    rated = _latest_ratings(inside)
    aspects = {aspect: _standing(aspect, evidence, rated.get(aspect)) for aspect in ASPECTS}
    comments = [f for f in inside if f.kind == "comment"]
    lessons = tuple(
        LessonTime(lesson, hours.names.get(lesson, {}), hours.period[lesson] / 60,
                   hours.planned[lesson], lesson in hours.done,
                   tuple(hours.statements[lesson]))
        for lesson in sorted(set(hours.period) | hours.done))
    team = next((f.team for f in reversed(facts) if f.team), "")
    stage = next((f.stage for f in reversed(facts) if f.stage), "")
    ratings = [e for e in rated.values()]
    return LearnerEvaluation(
        learner=learner, team=team, period=period,
        hours=sum(hours.period.values()) / 3600, year_hours=hours.year_seconds / 3600,
        lessons=lessons, aspects=aspects,
        evidence=tuple(sorted(evidence + ratings, key=lambda e: (e.when, e.statement))),
        comment=comments[-1].response if comments else "",
        comment_statement=comments[-1].id if comments else "", stage=stage)


def _count_hours(facts: list[Fact], period: Period, catalog: LessonCatalog) -> _Hours:
    state = _Hours()
    for fact in facts:
        if not fact.lesson or fact.kind not in ("attended", "lesson-completed", "step",
                                                "quiz", "reflection", "lesson-attempted"):
            continue
        lesson = fact.lesson
        planned = (fact.planned_minutes or catalog.planned_minutes(lesson)
                   or state.planned.get(lesson) or DEFAULT_LESSON_MINUTES)
        state.planned[lesson] = planned
        if fact.kind in ("attended", "lesson-attempted", "lesson-completed"):
            state.names.setdefault(lesson, fact.name)
        seconds = _new_seconds(state, fact)
        added = max(0.0, min(seconds, planned * 60 - state.used[lesson]))
        state.used[lesson] += added
        state.year_seconds += added
        if not period.contains(fact.day):
            continue
        if fact.kind in ("attended", "lesson-completed"):
            state.done.add(lesson)
        if added > 0 or fact.kind in ("attended", "lesson-completed"):
            state.period[lesson] += added
            state.statements[lesson].append(fact.id)
    return state


def _new_seconds(state: _Hours, fact: Fact) -> float:
    """Seconds ``fact`` adds: an attendance its duration; in one's own sitting (a
    registration) the steps add theirs and the lesson's completion only what its
    duration has beyond them."""
    if fact.kind == "attended":
        return fact.seconds
    if fact.kind == "lesson-attempted":
        return 0.0
    key = fact.registration or fact.id
    if fact.kind == "lesson-completed":
        extra = max(0.0, fact.seconds - state.sitting[key])
        state.sitting[key] += extra
        return extra
    state.sitting[key] += fact.seconds
    return fact.seconds


def _evidence(facts: list[Fact], catalog: LessonCatalog) -> list[Evidence]:
    """The latest quiz, reflection and experiment per activity, as evidence."""
    latest: dict[tuple[str, str], Fact] = {}
    for fact in facts:
        if fact.kind in _EVIDENCE_KINDS:
            key = (fact.kind, fact.activity if fact.kind != "experiment"
                   else f"{fact.activity}|{fact.lesson}|{fact.step}")
            latest[key] = fact
    return [_as_evidence(fact, catalog) for fact in latest.values()]


def _as_evidence(fact: Fact, catalog: LessonCatalog) -> Evidence:
    tags = fact.tags or (catalog.tags(fact.lesson, fact.step) if fact.lesson else ())
    if fact.kind == "quiz":
        value = fact.score
        shown = value is not None and value >= QUIZ_PASS - 1e-9
    elif fact.kind == "reflection":
        value = None
        shown = len("".join(fact.response.split())) >= REFLECTION_CHARACTERS
    else:
        value = fact.score
        shown = fact.classes < 2 or (value is not None and value >= MODEL_PASS - 1e-9)
        if not tags:
            level = stage_level(fact.stage)
            tags = (f"ai-techniques-and-applications:{level}",)
            if fact.classes >= 2:
                tags += (f"ai-system-design:{level}",)
    return Evidence(fact.id, fact.kind, fact.when, fact.lesson, fact.step, fact.name, tags,
                    value, shown, fact.response, fact.classes)


def _latest_ratings(facts: list[Fact]) -> dict[str, Evidence]:
    rated: dict[str, Evidence] = {}
    for fact in facts:
        if fact.kind == "rating" and fact.step in ASPECTS and fact.score is not None:
            level = max(0, min(len(LEVELS), round(fact.score)))
            rated[fact.step] = Evidence(
                fact.id, "rating", fact.when, "", fact.step, fact.name,
                (f"{fact.step}:{LEVELS[level - 1]}",) if level else (), float(level), True,
                fact.response)
    return rated


def _standing(aspect: str, evidence: list[Evidence], rating: Evidence | None) -> AspectStanding:
    shown_at: list[list[str]] = [[] for _ in LEVELS]
    for item in evidence:
        if not item.shown:
            continue
        for tag in item.tags:
            tag_aspect, _, level = tag.partition(":")
            if tag_aspect == aspect and level in LEVELS:
                shown_at[LEVELS.index(level)].append(item.statement)
    counts = tuple(len(ids) for ids in shown_at)
    computed = max((i + 1 for i, n in enumerate(counts) if n >= EVIDENCE_PER_LEVEL), default=0)
    statements = [s for i, ids in enumerate(shown_at) if i < computed for s in ids]
    if rating is not None:
        statements.append(rating.statement)
    return AspectStanding(aspect, computed, int(rating.value) if rating else None,
                          (counts[0], counts[1], counts[2]), tuple(statements))


def summary_of(evaluations: Iterable[LearnerEvaluation]) -> dict[str, Any]:
    """The figures a teacher confirms, per learner (hours rounded to the minute)."""
    return {e.learner: {"hours": round(e.hours, 2), "year_hours": round(e.year_hours, 2),
                        "lessons_done": e.lessons_done, "levels": e.levels(),
                        "comment": e.comment}
            for e in evaluations}

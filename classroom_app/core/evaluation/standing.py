"""A learner's standing: class periods (课时) in a period and the four competency aspects.

Class periods
    Beijing asks for at least 8 class periods of AI a school year. A lesson counts as its
    planned periods (one, whatever its 40 or 45 minutes; a pack may say two), credited
    in proportion to the share of its steps done: the steps the class did when the
    learner attended, and the steps the learner did alone. A step counts once a year and
    a lesson at most its periods, however often it was attended or redone. Older
    statements that do not carry the lesson's periods count by time instead: minutes /
    40 in primary school and / 45 in middle and senior, at most the planned length.
    Credit belongs to the day it was earned, so the two terms add up to the year.

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
from classroom_app.core.lessons.model import (
    ASPECTS,
    LEVELS,
    PERIOD_MINUTES,
    STAGES,
    STEP_EVIDENCE,
    STEP_KINDS,
)

REQUIRED_PERIODS = 8
DEFAULT_LESSON_MINUTES = 45
_COUNTED = ("attended", "lesson-completed", *STEP_EVIDENCE, "lesson-attempted")
QUIZ_PASS = 0.6
MODEL_PASS = 0.6
REFLECTION_CHARACTERS = 8
EVIDENCE_PER_LEVEL = 2
# How each fact that shows a competency is judged: a step's by its kind's table entry.
_JUDGED_BY = {**{kind.evidence: kind.judged_by for kind in STEP_KINDS.values()
                 if kind.judged_by}, "experiment": "experiment"}


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
class LessonCredit:
    """What one lesson counts for a learner in a period."""

    lesson: str
    name: dict[str, str]
    periods: float  # credited in the period
    planned: float  # the most it can count for in a school year
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
    periods: float  # class periods (课时) in ``period``
    year_periods: float
    lessons: tuple[LessonCredit, ...]
    aspects: dict[str, AspectStanding]
    evidence: tuple[Evidence, ...]
    comment: str = ""
    comment_statement: str = ""
    stage: str = ""

    @property
    def reached(self) -> bool:
        return self.year_periods >= REQUIRED_PERIODS - 1e-9

    @property
    def lessons_done(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.done)

    def levels(self) -> dict[str, int]:
        return {aspect: standing.level for aspect, standing in self.aspects.items()}


@dataclass
class _Credits:
    """Running totals while a learner's year is replayed in time order."""

    used: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    steps: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    sitting: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    period: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    done: set[str] = field(default_factory=set)
    statements: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    planned: dict[str, float] = field(default_factory=dict)
    year: float = 0.0


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
    credits = _count_periods(facts, period, catalog)
    inside = [f for f in facts if applies(f, period)]
    evidence = _evidence(inside, catalog)
    rated = _latest_ratings(inside)
    aspects = {aspect: _standing(aspect, evidence, rated.get(aspect)) for aspect in ASPECTS}
    comments = [f for f in inside if f.kind == "comment"]
    lessons = tuple(
        LessonCredit(lesson, credits.names.get(lesson, {}), credits.period[lesson],
                     credits.planned[lesson], lesson in credits.done,
                     tuple(credits.statements[lesson]))
        for lesson in sorted(set(credits.period) | credits.done))
    team = next((f.team for f in reversed(facts) if f.team), "")
    stage = next((f.stage for f in reversed(facts) if f.stage), "")
    ratings = [e for e in rated.values()]
    return LearnerEvaluation(
        learner=learner, team=team, period=period,
        periods=sum(credits.period.values()), year_periods=credits.year,
        lessons=lessons, aspects=aspects,
        evidence=tuple(sorted(evidence + ratings, key=lambda e: (e.when, e.statement))),
        comment=comments[-1].response if comments else "",
        comment_statement=comments[-1].id if comments else "", stage=stage)


def _count_periods(facts: list[Fact], period: Period, catalog: LessonCatalog) -> _Credits:
    state = _Credits()
    for fact in facts:
        if not fact.lesson or fact.kind not in _COUNTED:
            continue
        lesson = fact.lesson
        cap = _planned_periods(fact, catalog, state)
        state.planned[lesson] = max(cap, state.planned.get(lesson, 0.0))
        if fact.kind in ("attended", "lesson-attempted", "lesson-completed"):
            state.names.setdefault(lesson, fact.name)
        credit = _steps_credit(state, fact) if fact.periods else _time_credit(state, fact)
        added = max(0.0, min(credit, cap - state.used[lesson]))
        state.used[lesson] += added
        state.year += added
        if not period.contains(fact.day):
            continue
        if fact.kind in ("attended", "lesson-completed"):
            state.done.add(lesson)
        if added > 0 or fact.kind in ("attended", "lesson-completed"):
            state.period[lesson] += added
            state.statements[lesson].append(fact.id)
    return state


def period_minutes(stage: str) -> int:
    """A class period's length: 40 minutes in primary school, 45 in middle and senior."""
    return PERIOD_MINUTES.get(stage, DEFAULT_LESSON_MINUTES)


def _planned_minutes(fact: Fact, catalog: LessonCatalog) -> int:
    return (fact.planned_minutes or catalog.planned_minutes(fact.lesson)
            or DEFAULT_LESSON_MINUTES)


def _planned_periods(fact: Fact, catalog: LessonCatalog, state: _Credits) -> float:
    """The most the lesson counts for in a year: its periods, or for an older statement
    its planned minutes in periods of the stage."""
    if fact.periods:
        return float(fact.periods)
    known = state.planned.get(fact.lesson)
    if known:
        return known
    return _planned_minutes(fact, catalog) / period_minutes(fact.stage)


def _steps_credit(state: _Credits, fact: Fact) -> float:
    """Periods for the steps ``fact`` adds: an attendance the steps the class did, a
    step its own; a step already counted this year adds nothing."""
    if fact.kind == "attended":
        steps = set(fact.steps_done)
    elif fact.kind in STEP_EVIDENCE:
        steps = {fact.step}
    else:
        return 0.0  # a lesson begun or finished: its steps say how much was done
    new = steps - state.steps[fact.lesson]
    state.steps[fact.lesson] |= new
    return (fact.periods or 1) * len(new) / max(fact.step_count, 1)


def _time_credit(state: _Credits, fact: Fact) -> float:
    """Periods an older statement adds by its time: an attendance its duration; in one's
    own sitting (a registration) the steps add theirs and the lesson's completion only
    what its duration has beyond them."""
    if fact.kind == "attended":
        seconds = fact.seconds
    elif fact.kind == "lesson-attempted":
        seconds = 0.0
    else:
        key = fact.registration or fact.id
        if fact.kind == "lesson-completed":
            seconds = max(0.0, fact.seconds - state.sitting[key])
        else:
            seconds = fact.seconds
        state.sitting[key] += seconds
    return seconds / 60 / period_minutes(fact.stage)


def _evidence(facts: list[Fact], catalog: LessonCatalog) -> list[Evidence]:
    """The latest quiz, reflection and experiment per activity, as evidence."""
    latest: dict[tuple[str, str], Fact] = {}
    for fact in facts:
        if fact.kind in _JUDGED_BY:
            key = (fact.kind, fact.activity if fact.kind != "experiment"
                   else f"{fact.activity}|{fact.lesson}|{fact.step}")
            latest[key] = fact
    return [_as_evidence(fact, catalog) for fact in latest.values()]


def _as_evidence(fact: Fact, catalog: LessonCatalog) -> Evidence:
    tags = fact.tags or (catalog.tags(fact.lesson, fact.step) if fact.lesson else ())
    judged_by = _JUDGED_BY[fact.kind]
    if judged_by == "score":
        value = fact.score
        shown = value is not None and value >= QUIZ_PASS - 1e-9
    elif judged_by == "response":
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
    rated = int(rating.value) if rating is not None and rating.value is not None else None
    return AspectStanding(aspect, computed, rated,
                          (counts[0], counts[1], counts[2]), tuple(statements))


def summary_of(evaluations: Iterable[LearnerEvaluation]) -> dict[str, Any]:
    """The figures a teacher confirms, per learner (periods to two decimals)."""
    return {e.learner: {"periods": round(e.periods, 2),
                        "year_periods": round(e.year_periods, 2),
                        "lessons_done": e.lessons_done, "levels": e.levels(),
                        "comment": e.comment}
            for e in evaluations}

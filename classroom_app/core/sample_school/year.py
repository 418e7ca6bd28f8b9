"""A made-up school year of one class's progress (``classroom sample-data``).

For trying the app, demonstrating the evaluation and loading sync. Everything goes
through the code paths of real use: :class:`Store` adds the class and its learners,
:class:`Progress` records attempts, answers, reflections, attendance and experiments, and
:func:`xapi.clock` stamps each record with the simulated moment, so the data has the
shape real classrooms produce. Each simulated day is one transaction.

The teacher presents the stage's lessons spread over the school year. In the weekly AI
period (when no lesson is presented), two computer-room periods and the lunch club,
learners do the lessons on their own, leave some half done, redo some for a better
score, review them at the end of term, and otherwise train models on the demo shelf.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from classroom_app.core import xapi
from classroom_app.core.context import AppContext
from classroom_app.core.evaluation.periods import Period
from classroom_app.core.i18n import tr
from classroom_app.core.lessons.model import Lesson, Question, Step
from classroom_app.core.sample_school.pupils import Pupil, make_pupils, reflection
from classroom_app.core.store import Attempt

BEIJING = timezone(timedelta(hours=8))
# (first, last) month-day pairs: National Day week, New Year, winter, May Day, summer.
HOLIDAYS = (((10, 1), (10, 7)), ((1, 1), (1, 1)), ((1, 15), (2, 15)), ((5, 1), (5, 5)),
            ((7, 1), (8, 31)))
PERIODS = ((8, 0), (8, 55), (10, 0), (10, 55), (14, 0), (14, 55))  # so all ends by 16:30
LUNCH = (12, 20)
GRADES = {"primary": 4, "middle": 8, "senior": 11}
MAX_LEARNERS = 999
MAX_RUNS = 4  # attempts a learner makes at one lesson in a year
REVIEW_DAYS = 10  # the last school days of a term, when learners go over their lessons
EXPERIMENT_DEMOS = {"teach_the_computer": "classes", "teach_gestures": "gestures"}
SHELF_CLASSES = {"teach_the_computer": (("苹果", "香蕉"), ("猫", "狗"), ("铅笔", "橡皮", "尺子")),
                 "teach_gestures": (("暂停", "继续"), ("点赞", "比心", "握拳"))}


class SampleSchoolError(ValueError):
    """The requested year cannot be simulated (too many days, no lessons, the future)."""


@dataclass(frozen=True)
class SampleSchoolSummary:
    class_id: int
    class_name: str
    learners: int
    days: int
    first_day: date
    last_day: date
    statements: int


def is_school_day(day: date) -> bool:
    """Monday to Friday outside the holidays (a typical calendar, not a given school's)."""
    month_day = (day.month, day.day)
    return day.weekday() < 5 and not any(a <= month_day <= b for a, b in HOLIDAYS)


def year_school_days(day: date) -> list[date]:
    """Every school day of the school year (1 September to 31 August) holding ``day``."""
    year = Period.containing(day)
    first, end = year.first_day(), year.end_day()
    every = (first + timedelta(n) for n in range((end - first).days))
    return [d for d in every if is_school_day(d)]


def default_start(days: int, today: date) -> date:
    """1 September of this school year if ``days`` school days fit before today, else of
    the year before: nothing is stamped in the future."""
    this_year = Period.containing(today).first_day()
    simulated = year_school_days(this_year)[:days]
    if len(simulated) == days and simulated[-1] < today:
        return this_year
    return this_year.replace(year=this_year.year - 1)


def plan_days(start: date, days: int, today: date) -> list[date]:
    """The ``days`` school days from ``start`` on, all in its school year and before today."""
    chosen = [d for d in year_school_days(start) if d >= start][:days]
    if len(chosen) < days:
        raise SampleSchoolError(tr("Only {count} school days are left in the school year from "
                               "{start}.").format(count=len(chosen), start=start))
    if chosen[-1] >= today:
        raise SampleSchoolError(tr("{days} school days from {start} reach {last}: not before "
                               "today.").format(days=days, start=start, last=chosen[-1]))
    return chosen


def class_name(stage: str, number: int) -> str:
    grades = {"primary": tr("Grade 4"), "middle": tr("Grade 8"), "senior": tr("Grade 11")}
    return tr("{grade} ({number})").format(grade=grades[stage], number=number)


class _Clock:
    """The simulated moment, which :func:`xapi.clock` reads."""

    def __init__(self) -> None:
        self.now = datetime(2000, 1, 1, tzinfo=BEIJING)

    def at(self, day: date, hour_minute: tuple[int, int], seconds: float = 0.0) -> None:
        start = datetime.combine(day, time(*hour_minute), BEIJING)
        self.now = start + timedelta(seconds=seconds)

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def left(self, end: datetime) -> float:
        return (end - self.now).total_seconds()


def _timetable(rng: random.Random) -> dict[int, list[tuple[tuple[int, int], str]]]:
    """The weekly AI period and two computer-room periods on three weekdays; lunch daily."""
    table: dict[int, list[tuple[tuple[int, int], str]]] = {d: [(LUNCH, "lunch")]
                                                           for d in range(5)}
    for kind, weekday in zip(("ai", "lab", "lab"), rng.sample(range(5), 3), strict=True):
        table[weekday].append((rng.choice(PERIODS), kind))
    return {d: sorted(entries) for d, entries in table.items()}


class _Year:
    """One class's school year, day by day, through :class:`Progress` as the app does."""

    def __init__(self, ctx: AppContext, rng: random.Random, lessons: list[Lesson],
                 class_id: int, pupils: list[Pupil], seed: int) -> None:
        self.ctx, self.progress, self.rng, self.seed = ctx, ctx.progress, rng, seed
        self.lessons, self.class_id, self.pupils = lessons, class_id, pupils
        self.clock = _Clock()
        self.presented: set[int] = set()
        self.minutes = (45 if any(lesson.minutes > 40 for lesson in lessons) else 40) - 5
        self.timetable = _timetable(rng)

    def run_day(self, index: int, day: date, unit: int, review: bool) -> None:
        self._join(index)
        present = self._present(index)
        for start, kind in self.timetable[day.weekday()]:
            if kind == "ai" and unit not in self.presented:
                self._present_lesson(day, start, unit, present)
                continue
            for pupil in present:
                if kind != "lunch":
                    self.clock.at(day, start, self.rng.uniform(60, 240))
                    self._own_work(pupil, unit, self.minutes, review)
                elif self.rng.random() < 0.12 * pupil.keen:
                    self.clock.at(day, start, self.rng.uniform(0, 600))
                    self._own_work(pupil, unit, 30, review)

    def _join(self, index: int) -> None:
        joining = [p for p in self.pupils if p.joins <= index and not p.id]
        if joining:
            self.ctx.store.add_learners(self.class_id, [(p.number, p.name) for p in joining])
            ids = {lr.student_number: lr.id for lr in self.ctx.store.learners(self.class_id)}
            for pupil in joining:
                pupil.id = ids[pupil.number]

    def _present(self, index: int) -> list[Pupil]:
        """Who is in school today: a few are ill for a day or several."""
        for pupil in self.pupils:
            if index == pupil.ill[0]:
                pupil.sick_until = index + pupil.ill[1]
            if pupil.sick_until < index and self.rng.random() < 0.015 + 0.02 * (1 - pupil.keen):
                pupil.sick_until = index + self.rng.randint(0, 3)
        return [p for p in self.pupils if p.id and p.sick_until < index]

    def _present_lesson(self, day: date, start: tuple[int, int], unit: int,
                        present: list[Pupil]) -> None:
        """The teacher presents the unit's lesson to the class, then takes attendance."""
        lesson, last = self.lessons[unit], len(self.lessons[unit].steps) - 1
        self.clock.at(day, start, self.rng.uniform(30, 150))
        attempt = self.progress.open_class_session(lesson, self.class_id)
        planned = sum(step.minutes for step in lesson.steps) or 1
        scale = lesson.minutes / planned * self.rng.uniform(0.9, 1.0) * 60
        total = 0.0
        for index, step in enumerate(lesson.steps):
            seconds = step.minutes * scale * self.rng.uniform(0.9, 1.1)
            self.clock.advance(seconds)
            total += seconds
            self.progress.complete_step(attempt, lesson, step, seconds)
            self.progress.move_to(attempt, min(index + 1, last), seconds)
        self.progress.record_attendance(attempt, lesson, [p.id for p in present], total)
        self.presented.add(unit)

    # -- a learner's own work ------------------------------------------------------
    def _own_work(self, pupil: Pupil, unit: int, minutes: float, review: bool) -> None:
        """A lesson to do or redo while there is one, else models on the demo shelf."""
        end = self.clock.now + timedelta(minutes=minutes)
        while self.clock.left(end) >= 300:
            lesson = self._choose_lesson(pupil, unit, review)
            if lesson is None:
                # Nothing left to do: keen learners try a model of their own on the
                # demo shelf, once; the others do something else.
                if self.rng.random() < 0.5 * pupil.keen:
                    self._shelf(pupil, end)
                return
            self._work_on(pupil, lesson, end)

    def _choose_lesson(self, pupil: Pupil, unit: int, review: bool) -> Lesson | None:
        """A started lesson, the newest not done (keen learners catch up older ones too),
        now and then one to redo for a better score, and at the end of term reviews."""
        available = [lesson for i, lesson in enumerate(self.lessons)
                     if i < unit or i in self.presented]
        todo = [lesson for lesson in available if lesson.id not in pupil.finished and (
            pupil.keen >= 0.5 or lesson is available[-1] or lesson.id in pupil.open)]
        if todo:
            return ([lesson for lesson in todo if lesson.id in pupil.open] or todo)[-1]
        again = [lesson for lesson in available if pupil.runs.get(lesson.id, 0) < MAX_RUNS
                 and (review or pupil.best.get(lesson.id, 0.0) < 0.8)]
        if again and self.rng.random() < (0.3 if review else 0.1) * pupil.keen:
            return min(again, key=lambda lesson: pupil.best.get(lesson.id, 0.0))
        return None

    def _work_on(self, pupil: Pupil, lesson: Lesson, end: datetime) -> None:
        """Resume or start ``lesson`` and go through its steps until done or time is up."""
        attempt = self.progress.open_attempt(lesson, self.class_id, pupil.id)
        if lesson.id not in pupil.open:
            pupil.open.add(lesson.id)
            pupil.runs[lesson.id] = pupil.runs.get(lesson.id, 0) + 1
        redo, last = lesson.id in pupil.finished, len(lesson.steps) - 1
        for index in range(attempt.current_step, last + 1):
            step = lesson.steps[index]
            seconds = self._step_seconds(pupil, step, redo)
            if self.clock.left(end) < seconds:
                self._leave(pupil, attempt, lesson, index, seconds, end)
                return
            self._do_step(pupil, attempt, lesson, step, seconds)
            self.progress.move_to(attempt, min(index + 1, last), seconds)
        self.progress.finish_lesson(attempt, lesson)
        pupil.open.discard(lesson.id)
        pupil.finished.add(lesson.id)
        scores = [self.progress.quiz_score(attempt, s) for s in lesson.steps if s.kind.scored]
        share = sum(s.correct for s in scores) / max(1, sum(s.total for s in scores))
        pupil.best[lesson.id] = max(share, pupil.best.get(lesson.id, 0.0))

    def _step_seconds(self, pupil: Pupil, step: Step, redo: bool) -> float:
        """On their own learners skim text faster than the teacher; a redo faster still."""
        share = step.kind.solo_share * (step.kind.redo_share if redo else 1.0)
        return max(15.0, step.minutes * 60 * share * pupil.pace * self.rng.lognormvariate(0, 0.25))

    def _leave(self, pupil: Pupil, attempt: Attempt, lesson: Lesson, index: int,
               seconds: float, end: datetime) -> None:
        """The period is over: what fits of this step is done, the rest waits."""
        step, spent = lesson.steps[index], max(0.0, self.clock.left(end))
        if step.kind.has_questions:
            fits = int(len(step.questions) * spent / seconds)
            self._answer(pupil, attempt, lesson, step, spent, fits)
        else:
            self.clock.advance(spent)
        self.progress.move_to(attempt, index, spent)

    def _do_step(self, pupil: Pupil, attempt: Attempt, lesson: Lesson, step: Step,
                 seconds: float) -> None:
        if step.kind.has_questions:
            self._answer(pupil, attempt, lesson, step, seconds, len(step.questions))
        elif step.demo in EXPERIMENT_DEMOS:
            self._train(pupil, step.demo, self._classes(step), seconds, attempt, lesson, step)
        else:
            self.clock.advance(seconds)
        response = reflection(self.rng, pupil, lesson.stage) if step.kind.writes_response \
            else None
        self.progress.complete_step(attempt, lesson, step, seconds, response)

    # -- quizzes and reflections ---------------------------------------------------
    def _answer(self, pupil: Pupil, attempt: Attempt, lesson: Lesson, step: Step,
                seconds: float, limit: int) -> None:
        answered = self.progress.answers(attempt, step)
        todo = [i for i in range(len(step.questions)) if i not in answered][:max(0, limit)]
        for index in todo:
            self.clock.advance(seconds / len(todo))
            question = step.questions[index]
            right = self.rng.random() < self._chance(pupil, lesson, step, index)
            chosen = question.correct if right else self._wrong(question)
            self.progress.record_answer(attempt, lesson, step, index, chosen)
        if not todo:
            self.clock.advance(seconds)

    def _chance(self, pupil: Pupil, lesson: Lesson, step: Step, index: int) -> float:
        """Ability, the question's difficulty, and what earlier attempts taught."""
        question = step.questions[index]
        difficulty = random.Random(f"{self.seed}:{lesson.id}:{step.id}:{index}").uniform(
            -0.15, 0.2) + (0.1 if question.kind == "multiple" else 0.0)
        practice = 0.08 * min(3, pupil.runs.get(lesson.id, 1) - 1)
        return min(0.98, max(0.05, pupil.ability - difficulty + practice))

    def _wrong(self, question: Question) -> frozenset[int]:
        """A plausible wrong choice: the other one, a wrong option, one too few or many."""
        if question.kind == "truefalse":
            return frozenset({1}) if 0 in question.correct else frozenset({0})
        count = max((len(o) for o in question.options.values()), default=2)
        others = [i for i in range(count) if i not in question.correct]
        if not others:
            return question.correct
        if question.kind == "single":
            return frozenset({self.rng.choice(others)})
        if len(question.correct) > 1 and self.rng.random() < 0.6:
            return question.correct - {self.rng.choice(sorted(question.correct))}
        return question.correct | {self.rng.choice(others)}

    # -- experiments ---------------------------------------------------------------
    def _classes(self, step: Step) -> list[str]:
        """The classes the lesson step names, else a pair a pupil might choose."""
        demo = step.demo or ""
        names = step.params.get(EXPERIMENT_DEMOS.get(demo, ""))
        if isinstance(names, list) and len(names) >= 2:
            return [str(name) for name in names]
        return list(self.rng.choice(SHELF_CLASSES.get(demo, SHELF_CLASSES["teach_the_computer"])))

    def _shelf(self, pupil: Pupil, end: datetime) -> None:
        """No lesson to do: the learner trains a model of their own on the demo shelf."""
        demo = self.rng.choice(sorted(EXPERIMENT_DEMOS))
        seconds = min(self.clock.left(end), self.rng.uniform(240, 600))
        self._train(pupil, demo, list(self.rng.choice(SHELF_CLASSES[demo])), seconds)

    def _train(self, pupil: Pupil, demo: str, classes: list[str], seconds: float,
               attempt: Attempt | None = None, lesson: Lesson | None = None,
               step: Step | None = None) -> None:
        """A few trainings, each with more samples; the app records every result."""
        runs = self.rng.randint(1, 3 if attempt else 5)
        samples = [self.rng.randint(5, 15) for _ in classes]
        manifest = self.ctx.demos.get(demo)
        title = manifest.title if manifest else {"zh_CN": demo, "en": demo}
        for _ in range(runs):
            self.clock.advance(seconds / runs)
            result = self._model_result(pupil, classes, samples)
            self.progress.record_experiment(pupil.id, demo, title, result, attempt, lesson, step)
            samples = [n + self.rng.randint(3, 12) for n in samples]

    def _model_result(self, pupil: Pupil, classes: list[str], samples: list[int]) -> dict:
        """Held-out accuracy that grows with the samples of the scarcest class."""
        tests = max(len(classes), round(sum(samples) * 0.2))
        quality = 1 - math.exp(-min(samples) / 12) - 0.04 * (len(classes) - 2)
        accuracy = 0.45 + 0.5 * quality + 0.1 * (pupil.ability - 0.7) + self.rng.gauss(0, 0.05)
        right = round(min(1.0, max(0.2, accuracy)) * tests)
        return xapi.experiment_result(classes, samples, tests, right / tests)


def _class_number(ctx: AppContext, number: int, stage: str, first: date) -> tuple[int, str]:
    """The class number and its student numbers' prefix (year, grade, class): the next
    free one, so that another run's learners are other people in the statements."""
    taken = {lr.student_number[:8] for c in ctx.store.classes()
             for lr in ctx.store.learners(c.id)}
    while (prefix := f"{Period.containing(first).year}{GRADES[stage]:02d}{number:02d}") in taken:
        number += 1
    return number, prefix


def _review_days(days: list[date]) -> set[date]:
    """The last school days before each long holiday."""
    ends = [i for i, day in enumerate(days) if i == len(days) - 1 or (days[i + 1] - day).days > 14]
    return {days[j] for i in ends for j in range(max(0, i - REVIEW_DAYS + 1), i + 1)}


def generate(ctx: AppContext, learners: int = 40, days: int = 30, stage: str = "primary",
             start: date | None = None, seed: int = 1,
             on_progress: Callable[[int, int], None] | None = None) -> SampleSchoolSummary:
    """Add a class of ``learners`` and replay ``days`` school days of its AI lessons;
    ``on_progress(done, days)`` after each day."""
    lessons = ctx.library.by_stage(stage)
    if not lessons or stage not in GRADES:
        raise SampleSchoolError(tr("There are no lessons for this stage."))
    if not 1 <= learners <= MAX_LEARNERS or days < 1:
        raise SampleSchoolError(tr("Give between 1 and {max} learners and at least one day.")
                            .format(max=MAX_LEARNERS))
    today = datetime.now(BEIJING).date()
    plan = plan_days(start or default_start(days, today), days, today)
    rng = random.Random(seed)
    number, prefix = _class_number(ctx, rng.randint(1, 8), stage, plan[0])
    info = ctx.store.add_class(class_name(stage, number), stage, GRADES[stage],
                               plan[0].isoformat())
    year = _Year(ctx, rng, lessons, info.id, make_pupils(rng, learners, days, prefix), seed)
    before = len(ctx.store.statements())
    position = {day: i for i, day in enumerate(year_school_days(plan[0]))}
    reviews = _review_days(list(position))
    with xapi.clock(lambda: year.clock.now):
        for index, day in enumerate(plan):
            with ctx.store.transaction():
                unit = position[day] * len(lessons) // len(position)
                year.run_day(index, day, unit, day in reviews)
            if on_progress:
                on_progress(index + 1, days)
    return SampleSchoolSummary(info.id, info.name, learners, days, plan[0], plan[-1],
                           len(ctx.store.statements()) - before)

"""Class periods (课时) and competency levels computed exactly as specified, from the statements the
app really writes (Progress under a replaced clock), including the edge cases: a lesson
attended twice, a lesson left half way, a student who moved class, statements from
before September, terms, teacher ratings and the confirmation of a summary."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta

import pytest

from classroom_app.core import xapi
from classroom_app.core.context import AppContext
from classroom_app.core.evaluation.class_report import class_report
from classroom_app.core.evaluation.facts import facts_from_texts, parse_duration
from classroom_app.core.evaluation.judgements import (
    confirm_summary,
    record_comment,
    record_rating,
)
from classroom_app.core.evaluation.periods import Period
from classroom_app.core.evaluation.standing import evaluate
from classroom_app.core.lessons.model import Lesson
from classroom_app.core.store import ClassInfo, Learner

HOME = "https://school.example.edu.cn/"


class Clock:
    """A settable clock for :func:`xapi.clock` (times are UTC)."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def at(self, text: str) -> Clock:
        self.moment = datetime.fromisoformat(text).astimezone(UTC)
        return self


@pytest.fixture
def school(ctx: AppContext):
    ctx.update_settings(school_home_page=HOME)
    info = ctx.store.add_class("七年级（1）班", "middle", 7, "2025-09-01")
    ctx.store.add_learners(info.id, [("2025070101", "李明"), ("2025070102", "王芳")])
    return info, ctx.store.learners(info.id)


def attend(ctx: AppContext, lesson: Lesson, info: ClassInfo, learners: list[Learner],
           minutes: float, steps: int | None = None, first: int = 0) -> None:
    """The teacher presents ``steps`` of the lesson's steps from ``first`` (all when None)
    to the class on the projector, then records these learners as present."""
    session = ctx.progress.open_class_session(lesson, info.id)
    shown = lesson.steps[first:] if steps is None else lesson.steps[first:first + steps]
    for step in shown:
        ctx.progress.complete_step(session, lesson, step, minutes * 60 / len(shown))
    ctx.progress.record_attendance(session, lesson, [p.id for p in learners], minutes * 60)


def study(ctx: AppContext, lesson: Lesson, info: ClassInfo, learner: Learner,
          steps: int | None = None, quiz_right: int | None = None,
          reflection: str = "我发现数据越多模型越准确", minutes: float = 5) -> None:
    """The learner's own sitting: ``steps`` steps done (all and finished when None)."""
    attempt = ctx.progress.open_attempt(lesson, info.id, learner.id)
    todo = lesson.steps if steps is None else lesson.steps[:steps]
    for step in todo:
        if step.type == "quiz":
            right = len(step.questions) if quiz_right is None else quiz_right
            for i, question in enumerate(step.questions):
                chosen = question.correct if i < right else frozenset({99})
                ctx.progress.record_answer(attempt, lesson, step, i, chosen)
        response = reflection if step.type == "reflection" else None
        ctx.progress.complete_step(attempt, lesson, step, minutes * 60, response)
    if steps is None:
        ctx.progress.move_to(attempt, len(lesson.steps) - 1, 0)
        ctx.progress.finish_lesson(attempt, lesson)


def report_for(ctx: AppContext, info: ClassInfo, period: Period):
    return class_report(ctx.store, ctx.library, info.id, period)


def test_iso_durations_parse() -> None:
    """Durations the app and other xAPI tools write are read back to the second."""
    assert parse_duration("PT40M") == 2400
    assert parse_duration("PT1H2M5.5S") == 3725.5
    assert parse_duration("P1DT1S") == 86401
    assert parse_duration("nonsense") == 0 and parse_duration(None) == 0


def test_a_lesson_attended_twice_counts_once(ctx: AppContext, school) -> None:
    """A 45-minute lesson taught in full is one class period (课时); attending it again
    adds nothing."""
    info, (first, _) = school
    lesson = ctx.library.get("m1-data-and-features")
    assert lesson.minutes == 45 and lesson.periods == 1
    clock = Clock(datetime(2025, 10, 9, 1, tzinfo=UTC))
    with xapi.clock(clock):
        attend(ctx, lesson, info, [first], lesson.minutes)
        clock.at("2025-11-20T01:00:00Z")
        attend(ctx, lesson, info, [first], lesson.minutes)
    entry = report_for(ctx, info, Period(2025)).learner(first.student_number)[1]
    assert entry.year_periods == pytest.approx(1.0)
    [credit] = entry.lessons
    assert credit.done and len(credit.statements) == 2 and credit.planned == 1
    assert entry.lessons_done == 1


def test_a_lesson_counts_by_its_steps_not_the_clock(ctx: AppContext, school) -> None:
    """Half the steps taught is half a class period, however long or short it took; a
    quick class that did every step counts a whole one."""
    info, (first, second) = school
    lesson = ctx.library.get("m1-data-and-features")
    half = len(lesson.steps) // 2
    with xapi.clock(Clock(datetime(2025, 10, 9, 1, tzinfo=UTC))):
        attend(ctx, lesson, info, [first], 60, steps=half)
        attend(ctx, lesson, info, [second], 5)
    report = report_for(ctx, info, Period(2025))
    assert report.learner(first.student_number)[1].year_periods == pytest.approx(
        half / len(lesson.steps))
    assert report.learner(second.student_number)[1].year_periods == pytest.approx(1.0)


def test_a_lesson_left_half_way_counts_its_steps_but_is_not_done(ctx: AppContext,
                                                                 school) -> None:
    """Steps done in an unfinished sitting count their share; the lesson is not done."""
    info, (first, _) = school
    lesson = ctx.library.get("m1-data-and-features")
    with xapi.clock(Clock(datetime(2025, 10, 9, 1, tzinfo=UTC))):
        study(ctx, lesson, info, first, steps=3, minutes=4)
    entry = report_for(ctx, info, Period(2025)).learner(first.student_number)[1]
    assert entry.periods == pytest.approx(3 / len(lesson.steps))
    assert entry.lessons_done == 0
    assert not entry.lessons[0].done


def test_own_study_and_class_are_counted_together(ctx: AppContext, school) -> None:
    """The steps a pupil missed in class and did alone complete the lesson's period;
    steps done both ways count once, so the lesson never counts more than its period."""
    info, (first, second) = school
    lesson = ctx.library.get("m1-data-and-features")
    half = len(lesson.steps) // 2
    with xapi.clock(Clock(datetime(2025, 10, 9, 1, tzinfo=UTC))):
        attend(ctx, lesson, info, [first, second], 20, steps=half)
        study(ctx, lesson, info, first)  # every step again, alone
        attempt = ctx.progress.open_attempt(lesson, info.id, second.id)
        for step in lesson.steps[half:]:  # only the steps the class did not reach
            ctx.progress.complete_step(attempt, lesson, step, 60, "我发现数据越多越好")
    report = report_for(ctx, info, Period(2025))
    assert report.learner(first.student_number)[1].year_periods == pytest.approx(1.0)
    assert report.learner(second.student_number)[1].year_periods == pytest.approx(1.0)


def test_a_two_period_lesson_counts_two(ctx: AppContext, school) -> None:
    info, (first, _) = school
    base = ctx.library.get("m1-data-and-features")
    lesson = dataclasses.replace(base, id="m1-long", minutes=90, periods=2)
    with xapi.clock(Clock(datetime(2025, 10, 9, 1, tzinfo=UTC))):
        attend(ctx, lesson, info, [first], 90)
        attend(ctx, lesson, info, [first], 90)
    entry = report_for(ctx, info, Period(2025)).learner(first.student_number)[1]
    assert entry.year_periods == pytest.approx(2.0)


def test_older_statements_count_by_minutes(ctx: AppContext, school) -> None:
    """Statements written before lessons carried their periods count minutes / 45 in
    middle school and minutes / 40 in primary, at most the planned length."""
    info, (first, _) = school
    middle = ctx.library.get("m1-data-and-features")
    primary = ctx.library.get("p1-how-computers-see")
    with xapi.clock(Clock(datetime(2025, 10, 9, 1, tzinfo=UTC))):
        attend(ctx, middle, info, [first], 30)
        attend(ctx, primary, info, [first], 20)
        attend(ctx, primary, info, [first], 30)  # capped at its 40 planned minutes
    texts = []
    for row in ctx.store.statements():
        body = json.loads(row["statement"])
        extensions = body["context"]["extensions"]
        for key in (xapi.PERIODS_EXTENSION, xapi.STEP_COUNT_EXTENSION):
            extensions.pop(key, None)
        texts.append(json.dumps(body))
    entry = evaluate(facts_from_texts(texts), Period(2025))[first.student_number]
    by_lesson = {credit.lesson: credit.periods for credit in entry.lessons}
    assert by_lesson[middle.id] == pytest.approx(30 / 45)
    assert by_lesson[primary.id] == pytest.approx(1.0)


def test_statements_before_september_belong_to_last_year(ctx: AppContext, school) -> None:
    """The school year starts on 1 September in Beijing time: 23:59 on 31 August is
    last year, 00:00 on 1 September (16:00 UTC the day before) is this year."""
    info, (first, _) = school
    lessons = [ctx.library.get("m1-data-and-features"), ctx.library.get("m2-training-and-testing")]
    clock = Clock(datetime(2026, 8, 31, 15, 59, tzinfo=UTC))
    with xapi.clock(clock):
        attend(ctx, lessons[0], info, [first], 30)
        clock.at("2026-08-31T16:00:00Z")
        attend(ctx, lessons[1], info, [first], 30)
    last_year = report_for(ctx, info, Period(2025)).learner(first.student_number)[1]
    this_year = report_for(ctx, info, Period(2026)).learner(first.student_number)[1]
    assert [t.lesson for t in last_year.lessons] == [lessons[0].id]
    assert [t.lesson for t in this_year.lessons] == [lessons[1].id]
    assert last_year.year_periods == this_year.year_periods == pytest.approx(1.0)


def test_terms_split_the_year_by_the_day_steps_were_done(ctx: AppContext, school) -> None:
    """Autumn and spring add up to the year; a lesson finished in spring adds only the
    steps autumn did not reach."""
    info, (first, _) = school
    lesson = ctx.library.get("m1-data-and-features")
    steps = len(lesson.steps)
    clock = Clock(datetime(2025, 12, 1, 2, tzinfo=UTC))
    with xapi.clock(clock):
        attend(ctx, lesson, info, [first], 30, steps=steps - 2)
        clock.at("2026-03-02T02:00:00Z")
        attend(ctx, lesson, info, [first], lesson.minutes)
    autumn = report_for(ctx, info, Period(2025, "autumn")).learner(first.student_number)[1]
    spring = report_for(ctx, info, Period(2025, "spring")).learner(first.student_number)[1]
    assert autumn.periods == pytest.approx((steps - 2) / steps)
    assert spring.periods == pytest.approx(2 / steps)
    assert autumn.year_periods == spring.year_periods == pytest.approx(1.0)


def test_eight_class_periods_reached_with_eight_lessons(ctx: AppContext, school) -> None:
    """The requirement is met at 8 class periods in the school year: eight lessons, not
    eleven or twelve as counting clock hours made it; the periods travel with each
    statement (no lesson pack needed)."""
    info, (first, second) = school
    base = ctx.library.get("m1-data-and-features")
    clock = Clock(datetime(2025, 9, 8, 1, tzinfo=UTC))
    with xapi.clock(clock):
        for week in range(8):  # 8 lessons for the first, 7 for the second
            lesson = dataclasses.replace(base, id=f"extra-{week}")
            attend(ctx, lesson, info, [first] if week == 7 else [first, second], 45)
            clock.moment += timedelta(days=7)
    report = report_for(ctx, info, Period(2025))
    assert report.learner(first.student_number)[1].year_periods == pytest.approx(8)
    assert report.learner(first.student_number)[1].reached
    assert not report.learner(second.student_number)[1].reached
    assert report.reached == 1


def test_a_student_who_moved_class_keeps_their_periods(ctx: AppContext, school) -> None:
    """A learner who moves to another class mid-year brings all the year's periods; the
    statements carry the class of each lesson, and the latest is their class now."""
    info, (first, _) = school
    other = ctx.store.add_class("七年级（2）班", "middle", 7, "2025-09-01")
    lessons = [ctx.library.get("m1-data-and-features"), ctx.library.get("m2-training-and-testing")]
    clock = Clock(datetime(2025, 10, 9, 1, tzinfo=UTC))
    with xapi.clock(clock):
        attend(ctx, lessons[0], info, [first], 30)
        ctx.store.delete_learner(first.id)  # the office moves the pupil
        ctx.store.add_learners(other.id, [(first.student_number, first.name)])
        moved = ctx.store.learners(other.id)[0]
        clock.at("2026-03-02T02:00:00Z")
        attend(ctx, lessons[1], other, [moved], 30)
    report = report_for(ctx, other, Period(2025))
    entry = report.learner(first.student_number)[1]
    assert entry.year_periods == pytest.approx(2.0)
    assert entry.team == "七年级（2）班"
    assert report_for(ctx, info, Period(2025)).learner(first.student_number) is None


def test_competency_levels_come_from_their_evidence(ctx: AppContext, school) -> None:
    """Two pieces of evidence shown at a level reach it: quizzes at 60 % or more,
    reflections of eight characters or more, trained models at 60 % with two classes.
    A redone quiz counts by its latest result. Every figure names its statements."""
    info, (first, second) = school
    lesson = ctx.library.get("m1-data-and-features")
    quiz = next(s for s in lesson.steps if s.type == "quiz")
    with xapi.clock(Clock(datetime(2025, 10, 9, 1, tzinfo=UTC))):
        study(ctx, lesson, info, first)
        study(ctx, lesson, info, second, quiz_right=0, reflection="不知道")
    report = report_for(ctx, info, Period(2025))
    good = report.learner(first.student_number)[1]
    poor = report.learner(second.student_number)[1]
    tags = {tag for step in lesson.steps if step.type in ("quiz", "reflection")
            for tag in (step.competencies or lesson.competencies)}
    for tag in tags:
        aspect, level = tag.split(":")
        assert good.aspects[aspect].counts[["understand", "apply", "create"].index(level)] >= 1
    assert all(standing.computed == 0 for standing in poor.aspects.values())
    assert {e.kind: e.shown for e in poor.evidence} == {"quiz": False, "reflection": False}
    outbox = {row["id"] for row in ctx.store.statements()}
    for standing in good.aspects.values():
        assert set(standing.statements) <= outbox
        if standing.computed:
            assert len(standing.statements) >= 2
    for time in good.lessons:
        assert set(time.statements) <= outbox

    with xapi.clock(Clock(datetime(2025, 10, 20, 1, tzinfo=UTC))):  # redo: now all wrong
        attempt = ctx.progress.open_attempt(lesson, info.id, first.id)
        for i in range(len(quiz.questions)):
            ctx.progress.record_answer(attempt, lesson, quiz, i, frozenset({99}))
        ctx.progress.complete_step(attempt, lesson, quiz, 60)
    again = report_for(ctx, info, Period(2025)).learner(first.student_number)[1]
    [quiz_evidence] = [e for e in again.evidence if e.kind == "quiz"]
    assert quiz_evidence.value == 0 and not quiz_evidence.shown


def facts_of(ctx: AppContext):
    return list(facts_from_texts(row["statement"] for row in ctx.store.statements()))


def test_levels_need_two_pieces_of_evidence(ctx: AppContext, school) -> None:
    """One trained model is a step towards a level, two reach it; a model at chance
    does not count; an experiment outside a lesson counts at the class's stage level."""
    info, (first, _) = school
    result = xapi.experiment_result(["猫", "狗"], [10, 10], 8, 0.875)
    weak = xapi.experiment_result(["猫", "狗"], [3, 3], 4, 0.5)
    title = {"zh_CN": "教计算机认东西", "en": "Teach the computer"}
    with xapi.clock(Clock(datetime(2025, 10, 9, 1, tzinfo=UTC))):
        ctx.progress.record_experiment(first.id, "teach_the_computer", title, result)
        ctx.progress.record_experiment(first.id, "teach_gestures", title, weak)
    [entry] = evaluate(facts_of(ctx), Period(2025), learners=[first.student_number]).values()
    design = entry.aspects["ai-system-design"]
    assert design.counts == (0, 1, 0) and design.computed == 0
    assert design.radar == pytest.approx(1.5)  # half way to apply
    with xapi.clock(Clock(datetime(2025, 10, 10, 1, tzinfo=UTC))):
        ctx.progress.record_experiment(first.id, "teach_gestures", title, result)
    [entry] = evaluate(facts_of(ctx), Period(2025), learners=[first.student_number]).values()
    assert entry.aspects["ai-system-design"].computed == 2  # "apply", the middle stage
    assert entry.aspects["ai-techniques-and-applications"].computed == 2


def test_the_teachers_rating_and_comment_stand(ctx: AppContext, school) -> None:
    """The teacher's latest rating of an aspect is the level shown (the computed one is
    kept beside it); the latest comment stands; both are statements that sync."""
    info, (first, _) = school
    with xapi.clock(Clock(datetime(2025, 11, 1, 1, tzinfo=UTC))):
        record_rating(ctx.store, HOME, "张老师", info, Period(2025), first, "ethics-of-ai", 1)
        record_comment(ctx.store, HOME, "张老师", info, Period(2025), first, "上课认真。")
    with xapi.clock(Clock(datetime(2025, 11, 2, 1, tzinfo=UTC))):
        record_rating(ctx.store, HOME, "张老师", info, Period(2025), first, "ethics-of-ai", 2)
        record_comment(ctx.store, HOME, "张老师", info, Period(2025), first, "善于思考，乐于分享。")
    entry = report_for(ctx, info, Period(2025)).learner(first.student_number)[1]
    ethics = entry.aspects["ethics-of-ai"]
    assert (ethics.rated, ethics.computed, ethics.level, ethics.radar) == (2, 0, 2, 2.0)
    assert entry.comment == "善于思考，乐于分享。"
    texts = [json.loads(row["statement"]) for row in ctx.store.statements()]
    assert texts[0]["context"]["instructor"]["name"] == "张老师"
    assert texts[0]["verb"]["id"] == "http://adlnet.gov/expapi/verbs/scored"
    with pytest.raises(ValueError):
        record_rating(ctx.store, HOME, "张老师", info, Period(2025), first, "ethics-of-ai", 4)


def test_a_confirmation_goes_stale_when_the_figures_change(ctx: AppContext, school) -> None:
    """The teacher's confirmation is a statement with the figures and their digest; new
    evidence afterwards shows the summary as unconfirmed until confirmed again."""
    info, (first, _) = school
    lesson = ctx.library.get("m1-data-and-features")
    clock = Clock(datetime(2025, 10, 9, 1, tzinfo=UTC))
    with xapi.clock(clock):
        attend(ctx, lesson, info, [first], 30)
        report = report_for(ctx, info, Period(2025, "autumn"))
        assert not report.confirmed and report.confirmation is None
        statement_id = confirm_summary(ctx.store, HOME, "张老师", report)
    report = report_for(ctx, info, Period(2025, "autumn"))
    assert report.confirmed and report.confirmation.statement == statement_id
    assert report.confirmation.teacher == "张老师"
    assert not report_for(ctx, info, Period(2025)).confirmed  # the year is not the term
    body = json.loads(ctx.store.statements()[-1]["statement"])
    assert body["verb"]["id"] == "http://activitystrea.ms/schema/1.0/confirm"
    summary = body["result"]["extensions"][xapi.SUMMARY_EXTENSION]
    assert summary[first.student_number]["periods"] == 1.0
    with xapi.clock(clock.at("2025-10-10T01:00:00Z")):
        attend(ctx, ctx.library.get("m2-training-and-testing"), info, [first], 10, steps=1)
    report = report_for(ctx, info, Period(2025, "autumn"))
    assert report.confirmation is not None and not report.confirmed


def test_statements_pass_the_hubs_validation(ctx: AppContext, school) -> None:
    """Class, tags, ratings and confirmations are valid xAPI 1.0.3 for any LRS."""
    from classroom_app.core.sync.validation import validate_statement

    info, (first, _) = school
    with xapi.clock(Clock(datetime(2025, 10, 9, 1, tzinfo=UTC))):
        study(ctx, ctx.library.get("m1-data-and-features"), info, first)
        record_rating(ctx.store, HOME, "张老师", info, Period(2025), first, "ai-system-design", 3)
        record_comment(ctx.store, HOME, "", info, Period(2025), first, "好")
        confirm_summary(ctx.store, HOME, "张老师", report_for(ctx, info, Period(2025)))
    for row in ctx.store.statements():
        validate_statement(json.loads(row["statement"]))


def test_a_class_over_a_year_from_generated_data(ctx: AppContext) -> None:
    """A generated class's year: every learner is listed, periods within the lessons'
    planned periods, each lesson done is backed by statements, and levels by evidence."""
    from classroom_app.core.sample_school.year import generate

    summary = generate(ctx, learners=12, days=60, stage="primary", start=date(2025, 9, 1))
    report = class_report(ctx.store, ctx.library, summary.class_id, Period(2025))
    assert len(report.rows) == 12
    planned = sum(lesson.periods for lesson in ctx.library.by_stage("primary"))
    for _, entry in report.rows:
        assert 0 < entry.year_periods <= planned + 1e-9
        for credit in entry.lessons:
            assert credit.periods <= credit.planned + 1e-9 and credit.statements
        for standing in entry.aspects.values():
            assert len(standing.statements) >= 2 * (standing.computed > 0)
    assert sum(report.level_counts("ai-techniques-and-applications")) == 12


def test_school_years_and_terms() -> None:
    """A school year runs September to August; autumn to January, spring from February."""
    assert Period.containing(date(2026, 11, 23)) == Period(2026)
    assert Period.containing(date(2027, 8, 31)) == Period(2026)
    assert Period.containing(date(2027, 9, 1)) == Period(2027)
    assert Period.containing(date(2027, 1, 31), "current") == Period(2026, "autumn")
    assert Period.containing(date(2027, 2, 1), "current") == Period(2026, "spring")
    assert Period.parse("2026-spring").utc_bounds() == ("2027-01-31T16:00:00.000Z",
                                                         "2027-08-31T16:00:00.000Z")
    with pytest.raises(ValueError):
        Period.parse("autumn")


def test_a_judgement_counts_for_the_period_it_names(ctx: AppContext, school) -> None:
    """A rating given in September about last year's spring term stands for that term
    and that year, not for the new year it was written in."""
    info, (first, _) = school
    with xapi.clock(Clock(datetime(2026, 9, 20, 1, tzinfo=UTC))):
        record_rating(ctx.store, HOME, "张老师", info, Period(2025, "spring"), first,
                      "ai-system-design", 2)
    def rated(period: Period) -> int | None:
        entry = report_for(ctx, info, period).learner(first.student_number)[1]
        return entry.aspects["ai-system-design"].rated

    assert rated(Period(2025, "spring")) == 2 and rated(Period(2025)) == 2
    assert rated(Period(2025, "autumn")) is None and rated(Period(2026)) is None

"""Hours per school year, capped per lesson, from attendance and own study."""

from __future__ import annotations

from datetime import date

from classroom_app.core.class_progress import class_progress, school_year
from classroom_app.core.xapi import duration


def test_school_year_runs_september_to_august() -> None:
    assert school_year(date(2026, 11, 23)) == ("2026-09-01", "2027-09-01")
    assert school_year(date(2027, 8, 31)) == ("2026-09-01", "2027-09-01")
    assert school_year(date(2027, 9, 1)) == ("2027-09-01", "2028-09-01")


def test_iso_durations() -> None:
    assert duration(0) == "PT0S"
    assert duration(2400) == "PT40M"
    assert duration(3725.5) == "PT1H2M5.5S"


def test_hours_count_each_lesson_at_most_its_length(ctx) -> None:
    info = ctx.store.add_class("7(1)", "middle", 7, "2026-09-01")
    ctx.store.add_learners(info.id, [("1", "甲"), ("2", "乙")])
    first, second = ctx.store.learners(info.id)
    lesson = ctx.library.get("m1-data-and-features")
    session = ctx.progress.open_class_session(lesson, info.id)
    ctx.progress.record_attendance(session, lesson, [first.id], 50 * 60)  # over-long class
    own = ctx.progress.open_attempt(lesson, info.id, second.id)
    ctx.progress.move_to(own, 1, 10 * 60)
    report = {p.learner.student_number: p for p in
              class_progress(ctx.store, ctx.library, info.id, date.today())}
    assert report["1"].hours == lesson.minutes / 60
    assert report["1"].lessons[lesson.id].finished
    assert abs(report["2"].hours - 10 / 60) < 1e-9
    assert not report["2"].lessons[lesson.id].finished


def test_last_years_lessons_do_not_count(ctx) -> None:
    info = ctx.store.add_class("7(1)", "middle", 7, "2025-09-01")
    ctx.store.add_learners(info.id, [("1", "甲")])
    lesson = ctx.library.get("m1-data-and-features")
    session = ctx.progress.open_class_session(lesson, info.id)
    ctx.progress.record_attendance(session, lesson, [ctx.store.learners(info.id)[0].id], 2700)
    ctx.store.conn.execute("UPDATE attempts SET started = '2025-10-01T08:00:00.000Z'")
    [entry] = class_progress(ctx.store, ctx.library, info.id, date(2026, 11, 23))
    assert entry.hours == 0
    [entry] = class_progress(ctx.store, ctx.library, info.id, date(2026, 3, 1))
    assert entry.hours == 0.75

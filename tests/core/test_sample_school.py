"""``classroom sample-data``: a made-up school year written through the real code paths."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from classroom_app.cli.main import main
from classroom_app.core.context import AppContext, open_context
from classroom_app.core.evaluation.class_report import class_report
from classroom_app.core.evaluation.periods import Period
from classroom_app.core.lessons.library import LessonLibrary
from classroom_app.core.sample_school.year import (
    BEIJING,
    SampleSchoolError,
    class_name,
    default_start,
    generate,
    is_school_day,
    plan_days,
    year_school_days,
)
from classroom_app.core.store import Store

START = date(2025, 9, 1)
VERBS = {"attempted", "completed", "answered", "responded", "attended"}


def bodies(ctx: AppContext) -> list[dict]:
    return [json.loads(row["statement"]) for row in ctx.store.statements()]


def beijing(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).astimezone(BEIJING)


def test_school_days_skip_weekends_and_holidays() -> None:
    """Lessons happen Monday to Friday in term time, never in the holidays."""
    assert is_school_day(date(2025, 9, 1)) and not is_school_day(date(2025, 9, 6))
    assert not is_school_day(date(2025, 10, 3)) and is_school_day(date(2025, 10, 9))
    assert not is_school_day(date(2026, 2, 2)) and not is_school_day(date(2026, 7, 15))
    year = year_school_days(date(2026, 3, 1))
    assert year[0] == START and year[-1] < date(2026, 7, 1) and 180 <= len(year) <= 195


def test_default_start_keeps_every_day_in_the_past() -> None:
    """This school year if the days fit before today, else the one before."""
    today = date(2026, 11, 23)
    assert default_start(30, today) == date(2026, 9, 1)
    assert default_start(180, today) == START
    assert default_start(5, date(2026, 9, 3)) == START
    with pytest.raises(SampleSchoolError):
        plan_days(date(2026, 9, 1), 180, today)
    with pytest.raises(SampleSchoolError):
        plan_days(START, 400, today)


def test_a_few_weeks_of_a_class(ctx) -> None:
    """The class, its learners, sessions with attendance and the statements counted."""
    summary = generate(ctx, learners=8, days=15, start=START, seed=3)
    info = ctx.store.get_class(summary.class_id)
    assert info is not None and info.stage == "primary" and info.grade == 4
    learners = ctx.store.learners(summary.class_id)
    number = int(learners[0].student_number[6:8])
    assert info.name == summary.class_name == class_name("primary", number)
    assert len(learners) == summary.learners == 8
    assert all(lr.student_number.startswith("202504") and len(lr.student_number) == 10
               for lr in learners)
    assert len({lr.name for lr in learners}) == 8
    assert all(2 <= len(lr.name) <= 3 for lr in learners)
    assert summary.days == 15 and summary.first_day == START
    assert summary.statements == len(ctx.store.statements())
    attempts = ctx.store.attempts()
    sessions = [a for a in attempts if a.mode == "class"]
    assert sessions and all(s.finished for s in sessions)
    assert any(a.mode == "student" and a.finished is not None for a in attempts)


def test_every_record_is_in_term_time_and_in_the_past(ctx) -> None:
    """Stamped on school days between 08:00 and 16:30 Beijing time, never later than now."""
    summary = generate(ctx, learners=6, days=20, start=START, seed=5)
    stamps = [row["created"] for row in ctx.store.statements()]
    stamps += [a.started for a in ctx.store.attempts()]
    now = datetime.now(UTC)
    for stamp in stamps:
        moment = beijing(stamp)
        assert moment < now
        assert summary.first_day <= moment.date() <= summary.last_day
        assert is_school_day(moment.date()), stamp
        assert time(8, 0) <= moment.time() <= time(16, 30), stamp


def test_statements_parse_and_name_the_generated_learners(ctx) -> None:
    """Every statement is complete xAPI about one of the class's learners."""
    summary = generate(ctx, learners=6, days=25, start=START, seed=7)
    numbers = {lr.student_number for lr in ctx.store.learners(summary.class_id)}
    statements = bodies(ctx)
    for body in statements:
        assert body["actor"]["account"] == {"homePage": ctx.home_page(),
                                            "name": body["actor"]["account"]["name"]}
        assert body["actor"]["account"]["name"] in numbers
        assert body["verb"]["display"]["en-US"] in VERBS
    assert {b["actor"]["account"]["name"] for b in statements} == numbers
    verbs = Counter(b["verb"]["display"]["en-US"] for b in statements)
    assert set(verbs) == VERBS
    reflections = [b["result"]["response"] for b in statements
                   if b["verb"]["display"]["en-US"] == "responded"]
    assert reflections and all(text.endswith(("。", "！")) for text in reflections)
    experiments = [b for b in statements if ":experiment:" in b["object"]["id"]]
    assert experiments and all(0 <= b["result"]["score"]["scaled"] <= 1 for b in experiments)


def normalised(ctx: AppContext) -> list[str]:
    """The statements without their random ids, which differ from run to run."""
    out = []
    for body in bodies(ctx):
        del body["id"]
        body["context"].pop("registration")
        out.append(json.dumps(body, sort_keys=True, ensure_ascii=False))
    return sorted(out)


def test_the_same_seed_gives_the_same_year(ctx, tmp_path: Path) -> None:
    """Repeatable demos: everything but the random statement ids is the same."""
    generate(ctx, learners=5, days=12, start=START, seed=11)
    other = AppContext(Store(tmp_path / "other.sqlite"), ctx.demos, ctx.library, ctx.settings)
    third = AppContext(Store(tmp_path / "third.sqlite"), ctx.demos, ctx.library, ctx.settings)
    try:
        generate(other, learners=5, days=12, start=START, seed=11)
        generate(third, learners=5, days=12, start=START, seed=12)
        assert normalised(ctx) == normalised(other) != normalised(third)
    finally:
        other.close()
        third.close()


def test_a_second_class_has_other_learners(ctx) -> None:
    """Two runs are two classes whose student numbers never meet in the statements."""
    first = generate(ctx, learners=4, days=3, start=START)
    second = generate(ctx, learners=4, days=3, start=START)
    numbers = [{lr.student_number for lr in ctx.store.learners(s.class_id)}
               for s in (first, second)]
    assert first.class_id != second.class_id and not numbers[0] & numbers[1]


def test_a_full_year_reaches_the_periods_a_big_enough_library_offers(ctx) -> None:
    """With 14 lessons (14 课时) most learners pass 8; nobody counts more than offered;
    some attempts are left unfinished and some lessons redone."""
    base = ctx.library.by_stage("primary")
    ctx.library = LessonLibrary(tuple(replace(base[i % len(base)], id=f"lesson-{i:02d}")
                                      for i in range(14)), ())
    offered = sum(lesson.periods for lesson in ctx.library.lessons)
    summary = generate(ctx, learners=15, days=180, start=START, seed=2)
    report = class_report(ctx.store, ctx.library, summary.class_id,
                          Period.containing(summary.last_day))
    periods = [entry.year_periods for _, entry in report.rows]
    assert all(p <= offered + 1e-9 for p in periods)
    assert report.reached == sum(p >= 8 for p in periods) >= 0.8 * len(periods)
    assert all(entry.lessons and any(e.kind == "quiz" for e in entry.evidence)
               for _, entry in report.rows)
    attempts = [a for a in ctx.store.attempts() if a.mode == "student"]
    assert any(a.finished is None for a in attempts)
    runs = Counter((a.learner_id, a.lesson_id) for a in attempts if a.finished)
    assert max(runs.values()) >= 2


def test_cli_sample_data_and_its_old_name(data_dir: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """The command fills the store in the data directory and prints one summary line."""
    code = main(["--lang", "en", "sample-data", "--learners", "5", "--days", "4",
                 "--start", "2025-09-01", "--stage", "middle", "--seed", "4"])
    out = capsys.readouterr().out
    assert code == 0 and "5 learners" in out and "4 school days" in out
    ctx = open_context()
    try:
        [info] = ctx.store.classes()
        assert info.stage == "middle" and len(ctx.store.learners(info.id)) == 5
        assert f"{len(ctx.store.statements())} statements" in out
    finally:
        ctx.close()
    assert main(["demo-data", "--days", "400"]) == 2
    assert capsys.readouterr().err.strip()

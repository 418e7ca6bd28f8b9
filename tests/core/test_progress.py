"""Progress and its xAPI statements are written together, and statements are valid."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from classroom_app.core.context import AppContext

ISO_DURATION = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d+)?S)?$")


@pytest.fixture
def pupil(ctx: AppContext):
    info = ctx.store.add_class("四(2)班", "primary", 4, "2026-09-01")
    ctx.store.add_learners(info.id, [("20260401", "王小明")])
    ctx.update_settings(school_home_page="https://school.example.edu.cn/")
    return info, ctx.store.learners(info.id)[0]


def statements(ctx: AppContext) -> list[dict]:
    return [json.loads(row["statement"]) for row in ctx.store.statements()]


def test_starting_records_an_attempted_statement(ctx: AppContext, pupil) -> None:
    info, learner = pupil
    lesson = ctx.library.get("p1-how-computers-see")
    attempt = ctx.progress.open_attempt(lesson, info.id, learner.id)
    [statement] = statements(ctx)
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/attempted"
    assert statement["actor"] == {"objectType": "Agent", "account": {
        "homePage": "https://school.example.edu.cn/", "name": "20260401"}}
    assert statement["object"]["id"] == "urn:ai-classroom:lesson:p1-how-computers-see"
    assert statement["context"]["registration"] == attempt.id
    assert uuid.UUID(statement["id"]).version == 4
    assert "王小明" not in ctx.store.statements()[0]["statement"]  # names stay on the PC


def test_resuming_returns_the_same_attempt(ctx: AppContext, pupil) -> None:
    info, learner = pupil
    lesson = ctx.library.get("p1-how-computers-see")
    first = ctx.progress.open_attempt(lesson, info.id, learner.id)
    ctx.progress.move_to(first, 3, 12.5)
    again = ctx.progress.open_attempt(lesson, info.id, learner.id)
    assert again.id == first.id and again.current_step == 3 and again.seconds == 12.5
    assert len(statements(ctx)) == 1


def test_a_whole_lesson_records_answers_scores_reflection_and_completion(ctx, pupil) -> None:
    info, learner = pupil
    lesson = ctx.library.get("p1-how-computers-see")
    attempt = ctx.progress.open_attempt(lesson, info.id, learner.id)
    for step in lesson.steps:
        if step.type == "quiz":
            for i, question in enumerate(step.questions):
                chosen = question.correct if i else frozenset({99})
                ctx.progress.record_answer(attempt, lesson, step, i, chosen)
        text = "我学会了像素。" if step.type == "reflection" else None
        ctx.progress.complete_step(attempt, lesson, step, 30.0, text)
        ctx.progress.move_to(attempt, lesson.step_index(step.id), 30.0)
    ctx.progress.finish_lesson(attempt, lesson)
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements(ctx)]
    quiz = next(s for s in lesson.steps if s.type == "quiz")
    assert verbs.count("answered") == len(quiz.questions)
    assert verbs.count("responded") == 1
    assert verbs[-1] == "completed"
    completed_quiz = next(s for s in statements(ctx) if s["object"]["id"].endswith(quiz.id)
                          and s["verb"]["id"].endswith("completed"))
    assert completed_quiz["result"]["score"]["raw"] == len(quiz.questions) - 1
    for statement in statements(ctx):
        duration = statement.get("result", {}).get("duration")
        assert duration is None or ISO_DURATION.match(duration), duration
        assert statement["timestamp"].endswith("Z")
    results = ctx.store.step_results(attempt.id)
    assert set(results) == {s.id for s in lesson.steps}
    reflection = next(s for s in lesson.steps if s.type == "reflection")
    assert results[reflection.id]["response"] == "我学会了像素。"


def test_statement_text_is_stored_exactly_once_per_event(ctx, pupil) -> None:
    info, learner = pupil
    lesson = ctx.library.get("p1-how-computers-see")
    attempt = ctx.progress.open_attempt(lesson, info.id, learner.id)
    ctx.progress.complete_step(attempt, lesson, lesson.steps[0], 5.0)
    rows = ctx.store.statements()
    assert len({r["id"] for r in rows}) == len(rows) == 2
    for row in rows:
        assert json.loads(row["statement"])["id"] == row["id"]


def test_class_attendance_records_one_statement_per_learner_present(ctx, pupil) -> None:
    info, learner = pupil
    ctx.store.add_learners(info.id, [("20260402", "李华")])
    lesson = ctx.library.get("p1-how-computers-see")
    attempt = ctx.progress.open_class_session(lesson, info.id)
    for step in lesson.steps:
        ctx.progress.complete_step(attempt, lesson, step, 60.0)
    assert statements(ctx) == []  # the class as a whole is not a learner
    ctx.progress.record_attendance(attempt, lesson, [learner.id], 2400.0)
    [statement] = statements(ctx)
    assert statement["verb"]["id"].endswith("/attended")
    assert statement["result"]["duration"] == "PT40M"

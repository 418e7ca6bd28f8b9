"""A pupil picks their name, works through a lesson at their own pace, leaves and
resumes where they stopped; answers, completion and time are recorded."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from classroom_app.ui.classes.learner_picker import LearnerPickerView
from classroom_app.ui.demos.window import DemoWindow
from classroom_app.ui.lessons.player import LessonPlayerView
from classroom_app.ui.lessons.quiz_view import QuizView
from classroom_app.ui.lessons.step_views import DemoStepView, ReflectionStepView
from classroom_app.ui.lessons.student_lessons_view import StudentLessonsView


def pick(window, qtbot, name: str) -> None:
    window.nav["students"].click()
    picker = window.stack.currentWidget()
    assert isinstance(picker, LearnerPickerView)
    qtbot.mouseClick(picker.button_for(name), Qt.MouseButton.LeftButton)


def test_a_pupil_works_through_a_lesson_and_resumes(make_window, qtbot, ctx,
                                                    school_class) -> None:
    window = make_window()
    pick(window, qtbot, "王小明")
    lessons = window.stack.currentWidget()
    assert isinstance(lessons, StudentLessonsView)
    lesson = ctx.library.get("p1-how-computers-see")
    lessons.buttons[lesson.id].click()
    player = window.stack.currentWidget()
    assert isinstance(player, LessonPlayerView) and not player.projector
    qtbot.keyClick(player, Qt.Key.Key_Right)
    qtbot.keyClick(player, Qt.Key.Key_Right)
    assert player.index == 2
    qtbot.mouseClick(player.leave_button, Qt.MouseButton.LeftButton)
    lessons = window.stack.currentWidget()
    assert "3" in lessons.buttons[lesson.id].text()  # "stopped at step 3 of 7"

    lessons.buttons[lesson.id].click()
    player = window.stack.currentWidget()
    assert player.index == 2  # resumed where they stopped
    assert player.outline.item(0).text().startswith("✓")
    while player.index < len(lesson.steps) - 1:
        view = player.views[player.index]
        if isinstance(view, QuizView):
            qtbot.keyClick(player, Qt.Key.Key_Right)
            assert "回答" in player.hint.text()  # must answer first
            for i, question in enumerate(view.step.questions):
                for option in sorted(question.correct):
                    view.buttons[option].click()
                qtbot.mouseClick(view.check_button, Qt.MouseButton.LeftButton)
                assert view.feedback.text().startswith("✔")
                if i + 1 < len(view.step.questions):
                    qtbot.keyClick(player, Qt.Key.Key_Right)
        elif isinstance(view, DemoStepView):
            view.button.click()
            demo = window.demo_windows[-1]
            assert isinstance(demo, DemoWindow)
            demo.close()
        qtbot.keyClick(player, Qt.Key.Key_Right)
    reflection = player.views[player.index]
    assert isinstance(reflection, ReflectionStepView)
    qtbot.keyClick(player, Qt.Key.Key_Right)
    assert player.hint.text()  # a sentence first
    reflection.editor.insertPlainText("电脑看图片其实是在看数字。")  # as an input method commits it
    qtbot.mouseClick(player.next_button, Qt.MouseButton.LeftButton)
    lessons = window.stack.currentWidget()
    assert isinstance(lessons, StudentLessonsView)
    assert "✓" in lessons.buttons[lesson.id].text()

    [attempt] = ctx.store.attempts()
    assert attempt.finished and attempt.seconds > 0
    results = ctx.store.step_results(attempt.id)
    assert set(results) == {s.id for s in lesson.steps}
    quiz = next(s for s in lesson.steps if s.type == "quiz")
    assert results[quiz.id]["score"] == len(quiz.questions)
    verbs = [json.loads(r["statement"])["verb"]["id"].rsplit("/", 1)[1]
             for r in ctx.store.statements()]
    assert verbs[0] == "attempted" and verbs[-1] == "completed"
    assert verbs.count("answered") == len(quiz.questions)


def test_a_pupil_cannot_skip_ahead_in_the_outline(make_window, qtbot, ctx, school_class) -> None:
    window = make_window()
    pick(window, qtbot, "李华")
    window.stack.currentWidget().buttons["p2-teach-by-examples"].click()
    player = window.stack.currentWidget()
    player._jump(4)
    assert player.index == 0


def test_no_classes_yet_tells_pupils_to_ask_the_teacher(make_window) -> None:
    window = make_window()
    window.nav["students"].click()
    assert "老师" in window.stack.currentWidget().empty.text()


def test_time_away_from_a_lesson_is_not_counted(make_window, qtbot, ctx, school_class) -> None:
    """Leaving a lesson through the menu stops its clock."""
    window = make_window()
    pick(window, qtbot, "张伟")
    window.stack.currentWidget().buttons["p3-ai-around-us"].click()
    player = window.player
    player.started_step -= 100  # as if the pupil spent 100 s on the first step
    window.nav["home"].click()
    assert window.player is None
    [attempt] = ctx.store.attempts()
    assert 100 <= attempt.seconds < 105
    window.close()
    [attempt] = ctx.store.attempts()
    assert attempt.seconds < 105

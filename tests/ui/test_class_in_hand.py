"""The class stays in hand: a presenter clicker cannot change an answer or untick a
pupil, leaving mid-lesson asks and can record attendance, pupils do not see the
teacher's pages, and the quiz and outline say the right thing."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from classroom_app.core.evaluation.class_report import class_report
from classroom_app.core.evaluation.periods import Period
from classroom_app.core.lessons.pack import load_pack
from classroom_app.ui.evaluation.attendance_dialog import AttendanceDialog
from classroom_app.ui.lessons.class_presentation import leave_question
from classroom_app.ui.lessons.markdown_view import MarkdownView
from classroom_app.ui.lessons.quiz_view import QuizView

PIN = "2580"  # the PIN the make_window fixture sets

CLICKER = [Qt.Key.Key_PageDown, Qt.Key.Key_PageUp, Qt.Key.Key_Space, Qt.Key.Key_Return,
           Qt.Key.Key_Enter, Qt.Key.Key_B, Qt.Key.Key_Period, Qt.Key.Key_Escape]


def present(window, ctx, info, lesson_id: str = "p1-how-computers-see"):
    window.present_lesson(ctx.library.get(lesson_id), info)
    return window.projector, window.player


def test_clicker_keys_never_choose_or_check_an_answer(make_window, qtbot, ctx,
                                                      school_class) -> None:
    """On the projector, A-D, B and Enter choose nothing and record nothing: options
    are touched. B blanks the screen and the next key brings the lesson back."""
    window = make_window(teacher=True)
    _, player = present(window, ctx, school_class)
    quiz = next(i for i, s in enumerate(player.lesson.steps) if s.type == "quiz")
    player.go_to(quiz)
    view = player.views[quiz]
    assert isinstance(view, QuizView)
    for key in (Qt.Key.Key_A, Qt.Key.Key_C, Qt.Key.Key_D):
        qtbot.keyClick(player, key)
    assert not view.chosen() and not view.answered
    qtbot.keyClick(player, Qt.Key.Key_B)
    assert player.blank.isVisible()
    qtbot.keyClick(player, Qt.Key.Key_PageDown)  # brings the lesson back, nothing more
    assert not player.blank.isVisible() and view.index == 0
    qtbot.keyClick(player, Qt.Key.Key_Return)  # a clicker's "next": the next question
    assert view.index == 1 and not view.answered
    assert not ctx.store.query("SELECT * FROM answers")


def test_clicker_keys_never_untick_a_pupil_or_confirm(qtbot, ctx, school_class) -> None:
    """The attendance grid ignores every key a clicker sends; a touch marks a pupil
    absent, and only the confirm button records."""
    learners = ctx.store.learners(school_class.id)
    dialog = AttendanceDialog(learners, 40, 8, 8)
    qtbot.addWidget(dialog)
    dialog.show()
    for key in CLICKER + [Qt.Key.Key_Tab]:
        qtbot.keyClick(dialog, key)
    assert dialog.isVisible() and dialog.present() == [x.id for x in learners]
    qtbot.mouseClick(dialog.tiles[learners[1].id], Qt.MouseButton.LeftButton)
    assert dialog.absent() == [learners[1].id]
    tile = dialog.tiles[learners[1].id]
    assert "2" in dialog.confirm_button.text() and tile.text().startswith("✘")
    assert "缺勤" in tile.toolTip()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)


def test_escape_mid_lesson_records_attendance_for_the_steps_done(
        make_window, qtbot, on_modal, ctx, school_class) -> None:
    """Esc half way offers to record who attended the steps done; after confirming,
    the teacher is told it is recorded, and the pupils get the steps' share of the
    lesson's class period."""
    window = make_window(teacher=True)
    projector, player = present(window, ctx, school_class)
    player.go_to(0)
    player.next()
    player.next()
    player.go_to(2)
    told = []

    asked = []

    shown = []

    def confirm(dialog) -> None:
        shown.append(dialog.findChild(QLabel).text())
        on_modal(lambda info: (told.append(info.text()), info.accept()), kind=QMessageBox)
        dialog.confirm_button.click()

    def record(box) -> None:
        asked.append(box.text())
        [button] = [b for b in box.buttons() if b.text() == "记录出勤后离开"]
        on_modal(confirm, kind=AttendanceDialog)
        button.click()

    on_modal(record)
    qtbot.keyClick(player, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not projector.isVisible())
    assert f"完成{player.steps_done()}步" in asked[0] and player.steps_done() >= 1
    assert f"完成了{player.steps_done()}步" in shown[0] and "课时" in shown[0]
    assert told == ["已记录四(2)班的出勤：3人出勤，0人缺勤。"]
    assert len(ctx.store.query("SELECT * FROM attendance")) == 3
    lesson, done = player.lesson, player.steps_done()
    share = lesson.periods * done / len(lesson.steps)
    report = class_report(ctx.store, ctx.library, school_class.id,
                          Period.containing(date.today()))
    assert [entry.year_periods for _, entry in report.rows] == pytest.approx([share] * 3)


def test_pupils_do_not_see_the_teacher_pages(make_window, on_modal) -> None:
    """Locked, the bar shows lessons, pupils, demos and settings; the teacher's pages
    appear after the PIN and go again on Lock."""
    window = make_window(teacher=True)
    window.lock()
    teacher_only = ("classes", "progress", "sync", "session", "lock")
    assert not any(window.nav[key].isVisible() for key in teacher_only)
    assert all(window.nav[key].isVisible() for key in ("home", "students", "demos",
                                                        "settings", "teacher"))

    def enter_pin(dialog) -> None:
        dialog.pin.setText(PIN)
        dialog.try_accept()

    on_modal(enter_pin)
    window.nav["teacher"].click()
    assert all(window.nav[key].isVisible() for key in teacher_only)
    assert not window.nav["teacher"].isVisible()
    window.nav["lock"].click()
    assert not any(window.nav[key].isVisible() for key in teacher_only)


def test_the_quiz_notice_clears_on_answering_and_on_the_next_question(
        make_window, qtbot, ctx, school_class) -> None:
    """A pupil told to answer first sees the notice go once they answer, and it never
    lingers on the next question."""
    window = make_window()
    learner = ctx.store.learners(school_class.id)[0]
    window.learner_picked(school_class, learner)
    window.open_student_lesson(ctx.library.get("p1-how-computers-see"))
    player = window.player
    quiz = next(i for i, s in enumerate(player.lesson.steps) if s.type == "quiz")
    for step in player.lesson.steps[:quiz]:
        player.completed.add(step.id)
    player.go_to(quiz)
    view = player.views[quiz]
    player.next()
    assert player.hint.text() == "请先回答这道题。"
    view.buttons[0].click()
    view.check()
    assert player.hint.text() == ""
    player.next()
    assert view.index == 1 and player.hint.text() == ""


def test_steps_ahead_look_out_of_reach_in_the_outline(make_window, ctx, school_class) -> None:
    """A pupil's outline greys out the steps they may not jump to yet."""
    window = make_window()
    window.learner_picked(school_class, ctx.store.learners(school_class.id)[0])
    window.open_student_lesson(ctx.library.get("p2-teach-by-examples"))
    outline = window.player.outline
    enabled = [bool(outline.item(i).flags() & Qt.ItemFlag.ItemIsEnabled)
               for i in range(outline.count())]
    assert enabled[0] and not any(enabled[2:])


def test_a_wrong_answer_is_not_greeted_with_praise(ctx) -> None:
    """No shipped explanation opens with "对！" (it shows after wrong answers too), and
    the validator says so for a pack that does."""
    for lesson in ctx.library.lessons:
        for step in lesson.steps:
            for question in step.questions:
                assert not question.explanation["zh_CN"].startswith("对"), lesson.id


def test_a_pack_with_praise_in_an_explanation_is_told(pack_copy) -> None:
    """The validator names the explanation that opens with praise."""
    folder = pack_copy()
    toml = folder / "lesson.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('explanation = { zh_CN = "这句话是对的。',
                                 'explanation = { zh_CN = "对！', 1), encoding="utf-8")
    result = load_pack(folder)
    assert any("对！" in p.message for p in result.problems)


def test_a_long_step_fits_the_projector_by_its_type_or_scrolls_with_the_clicker(
        make_window, qtbot, ctx, school_class) -> None:
    """A projector step takes the largest type at which it fits the 1024×768 screen;
    a step that cannot fit even at the smallest keeps the largest type and scrolls a
    screenful at PageDown before the next comes."""
    window = make_window(teacher=True)
    ctx.update_settings(projector_scale=2.0)
    _, player = present(window, ctx, school_class)
    qtbot.wait(50)
    sizes = []
    for index, step in enumerate(player.lesson.steps):
        player.go_to(index)
        qtbot.wait(20)
        text = getattr(player.views[index], "text", None)
        if isinstance(text, MarkdownView):
            sizes.append(text.type_size())
            if text.at_end():
                assert text.verticalScrollBar().maximum() == 0, step.id
    low, high = player.type_range
    assert all(low - 0.01 <= size <= high + 0.01 for size in sizes)
    assert max(sizes) > min(sizes)  # short steps stay big, long ones get smaller
    long_step = "# " + "很长的一步\n\n" + "\n\n".join(f"第{i}段：计算机看图片就是看数字。" * 3
                                                     for i in range(40))
    text = player.views[0].text
    player.go_to(0)
    text.show_markdown(long_step, text._base)
    qtbot.wait(20)
    assert text.type_size() == high and text.verticalScrollBar().maximum() > 0
    qtbot.keyClick(player, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: text.verticalScrollBar().value() > 0)
    assert player.index == 0


def test_a_clicker_cannot_leave_the_lesson_by_accident(make_window, qtbot, ctx,
                                                      school_class) -> None:
    """On the leave question, Enter and Esc (a clicker's keys) mean "stay"."""
    window = make_window(teacher=True)
    _, player = present(window, ctx, school_class)
    box = leave_question(player, window.projector)
    qtbot.addWidget(box)
    assert box.defaultButton().objectName() == "stay"
    assert box.escapeButton().objectName() == "stay"
    assert box.defaultButton().text() == "继续上课"

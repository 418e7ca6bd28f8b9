"""The teacher: PIN, a class with its roster, a lesson on the projector, attendance,
and the class's progress."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QProgressBar

from classroom_app.core import i18n
from classroom_app.ui.classes.view import ClassesView
from classroom_app.ui.evaluation.view import EvaluationView
from classroom_app.ui.lessons.quiz_view import QuizView

PIN = "2580"  # the PIN the make_window fixture sets


def press_ok(dialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def test_first_teacher_screen_asks_to_set_a_pin_then_checks_it(make_window, on_modal,
                                                               ctx) -> None:
    window = make_window()

    def set_pin(dialog) -> None:
        dialog.pin.setText(PIN)
        dialog.repeat.setText(PIN)
        press_ok(dialog)

    on_modal(set_pin)
    window.nav["classes"].click()
    assert isinstance(window.stack.currentWidget(), ClassesView)
    assert ctx.settings.teacher_pin_hash.startswith("scrypt$")  # a salted hash, not the PIN
    window.nav["lock"].click()
    assert not window.teacher_unlocked

    def wrong_then_cancel(dialog) -> None:
        dialog.pin.setText("0000")
        press_ok(dialog)
        assert dialog.error.text() == i18n.tr("Wrong PIN. Try again.")
        dialog.reject()

    on_modal(wrong_then_cancel)
    window.nav["progress"].click()
    assert not window.teacher_unlocked
    assert not isinstance(window.stack.currentWidget(), EvaluationView)


def test_create_a_class_and_import_its_roster(make_window, qtbot, tmp_path: Path) -> None:
    window = make_window(teacher=True)
    window.nav["classes"].click()
    view: ClassesView = window.stack.currentWidget()
    info = view.add_class("四(2)班", "primary", 4)
    roster = tmp_path / "roster.csv"
    roster.write_bytes("学号,姓名\r\n20260401,王小明\r\n20260402,李华\r\n20260401,重复\r\n,无号\r\n"
                       .encode("gbk"))
    with qtbot.waitSignal(view.roster_imported, timeout=10000) as imported:
        view.import_roster(roster)
    report = imported.args[0]
    view.result_dialog.accept()
    assert "2" in report and "第4行" in report and "第5行" in report
    assert view.roster.rowCount() == 2
    assert view.roster.item(0, 1).text() == "王小明"
    assert info.name in view.class_title.text()


def test_present_a_lesson_on_the_projector_with_keys(make_window, on_modal, qtbot, ctx,
                                                    school_class) -> None:
    window = make_window(teacher=True)
    lesson = ctx.library.get("p1-how-computers-see")
    window.present_lesson(lesson, school_class)
    projector, player = window.projector, window.player
    assert projector.isFullScreen()
    assert projector.font().pointSizeF() > 2 * window.font().pointSizeF() - 1
    seen = []
    while True:  # a step taller than the screen scrolls first, then the next comes
        if not seen or seen[-1] != player.step.id:
            seen.append(player.step.id)
        view = player.views[player.index]
        if isinstance(view, QuizView):  # on the projector, options are touched, not keyed
            for _ in view.step.questions:
                qtbot.mouseClick(view.buttons[0], Qt.MouseButton.LeftButton)
                qtbot.mouseClick(view.check_button, Qt.MouseButton.LeftButton)
                assert view.feedback.text() and view.explanation.text()
                qtbot.keyClick(player, Qt.Key.Key_PageDown)
            break
        qtbot.keyClick(player, Qt.Key.Key_Right)
    assert seen == [s.id for s in lesson.steps[:len(seen)]]
    qtbot.keyClick(player, Qt.Key.Key_PageUp)
    assert player.step.type == "quiz"
    while player.index < len(lesson.steps) - 1:
        qtbot.keyClick(player, Qt.Key.Key_PageDown)

    confirmed = []

    def everyone_but_zhang(dialog) -> None:
        qtbot.mouseClick(list(dialog.tiles.values())[2], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
        on_modal(lambda box: (confirmed.append(box.text()), box.accept()),
                 kind=QMessageBox)

    on_modal(everyone_but_zhang)
    qtbot.keyClick(player, Qt.Key.Key_PageDown)  # finish
    qtbot.waitUntil(lambda: not projector.isVisible())
    assert confirmed == ["已记录四(2)班的出勤：2人出勤，1人缺勤。"]
    window.nav["progress"].click()
    progress: EvaluationView = window.stack.currentWidget()
    qtbot.waitUntil(lambda: progress.table.rowCount() == 3)
    assert all(isinstance(progress.table.cellWidget(row, 3), QProgressBar) for row in range(3))
    assert [progress.table.item(row, 4).text() for row in range(3)] == ["1", "1", "0"]
    attended = ctx.store.query("SELECT learner_id FROM attendance")
    assert len(attended) == 2
    assert "0" in progress.summary.text()


def test_escape_asks_then_leaves_the_projector(make_window, qtbot, on_modal, ctx,
                                              school_class) -> None:
    """Esc mid-lesson asks first; staying keeps the lesson, leaving without recording
    closes the projector and records no attendance."""
    window = make_window(teacher=True)
    window.present_lesson(ctx.library.get("m1-data-and-features"), school_class)
    projector = window.projector
    on_modal(lambda box: box.escapeButton().click())
    qtbot.keyClick(window.player, Qt.Key.Key_Escape)
    assert projector.isVisible()

    def leave(box) -> None:
        [button] = [b for b in box.buttons() if b.text() == "退出，不记录出勤"]
        button.click()

    on_modal(leave)
    qtbot.keyClick(window.player, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not projector.isVisible())
    assert window.isVisible()
    assert not ctx.store.query("SELECT * FROM attendance")

"""The Classes page with real roster files and real dialogs: importing .xlsx, GBK CSV and
Excel's Unicode text, adding, editing and removing one pupil, and everything fitting a
1024×768 classroom screen in Chinese and English."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtWidgets import QDialog, QMessageBox
from screen_fit import fit_problems

from classroom_app.core import i18n
from classroom_app.core.pupils import RosterImport
from classroom_app.core.roster import RosterProblem
from classroom_app.ui.classes.roster_dialogs import (
    PupilDialog,
    RosterHintDialog,
    RosterResultDialog,
)
from classroom_app.ui.classes.view import ClassesView


def classes_page(make_window) -> tuple[object, ClassesView]:
    window = make_window(teacher=True)
    window.teacher_page("classes")
    view = window.stack.currentWidget()
    assert isinstance(view, ClassesView)
    return window, view


def fill_screen(window) -> None:
    """Make the window's frame take the screen's whole available area."""
    room = window.screen().availableGeometry()
    frame = window.frameGeometry().size() - window.geometry().size()
    window.resize(room.size() - frame)
    window.move(room.topLeft())


def import_file(qtbot, view: ClassesView, path: Path) -> str:
    with qtbot.waitSignal(view.roster_imported, timeout=10000) as imported:
        view.import_roster(path)
    assert isinstance(view.result_dialog, RosterResultDialog)
    assert view.result_dialog.isVisible()
    return imported.args[0]


def roster_rows(view: ClassesView) -> list[tuple[str, str, str]]:
    return [tuple(view.roster.item(row, column).text() for column in range(3))
            for row in range(view.roster.rowCount())]


def test_school_export_imports_with_genders_and_skipped_rows(make_window, qtbot,
                                                             tmp_path: Path) -> None:
    """A school's export "序号,姓名,性别,学号,备注" in GBK imports by header names; the
    result says how many were added and lists the skipped rows by line."""
    window, view = classes_page(make_window)
    view.add_class("四(2)班", "primary", 4)
    path = tmp_path / "四(2)班名单.csv"
    path.write_bytes("序号,姓名,性别,学号,备注\r\n1,王小明,男,20260401,\r\n"
                     "2,李华,女,G110105201305120012,转入\r\n3,张伟,男,20260401,\r\n"
                     "4,,女,20260404,\r\n".encode("gbk"))
    report = import_file(qtbot, view, path)
    assert "新增 2 名学生" in report and "第4行" in report and "第5行" in report
    assert roster_rows(view) == [("20260401", "王小明", "男"),
                                 ("G110105201305120012", "李华", "女")]
    assert view.result_dialog.skipped.count() == 2
    assert "跳过了 2 行" in view.report.text()
    view.result_dialog.accept()


def test_xlsx_and_unicode_text_update_the_class(make_window, qtbot, tmp_path: Path) -> None:
    """A real .xlsx with numbers stored as numbers, then Excel's Unicode text (UTF-16,
    tabs) that corrects a name: added, then updated."""
    window, view = classes_page(make_window)
    view.add_class("七(1)班", "middle", 7)
    book = Workbook()
    book.active.append(["姓名", "学号"])
    book.active.append(["刘洋", 20260701])
    book.active.append(["陈静", 20260702.0])
    workbook = tmp_path / "roster.xlsx"
    book.save(workbook)
    assert "新增 2 名学生" in import_file(qtbot, view, workbook)
    view.result_dialog.accept()
    text = tmp_path / "roster.txt"
    text.write_bytes("学号\t姓名\t性别\r\n20260702\t陈晶\t女\r\n".encode("utf-16"))
    assert "更新 1 名" in import_file(qtbot, view, text)
    assert roster_rows(view) == [("20260701", "刘洋", ""), ("20260702", "陈晶", "女")]
    view.result_dialog.accept()


def test_an_old_xls_says_how_to_save_it(make_window, qtbot, tmp_path: Path) -> None:
    window, view = classes_page(make_window)
    view.add_class("四(2)班", "primary", 4)
    old = tmp_path / "名单.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))
    report = import_file(qtbot, view, old)
    assert ".xls" in report and "另存为" in report
    assert view.roster.rowCount() == 0
    view.result_dialog.accept()


def test_add_edit_and_remove_one_pupil(make_window, on_modal, qtbot, school_class) -> None:
    """The pupil dialog shows a taken or malformed number in the dialog and saves only a
    good pupil; removing asks first."""
    window, view = classes_page(make_window)
    problems = []

    def add(dialog: PupilDialog) -> None:
        dialog.number.setText("20260401")
        dialog.name.setText("刘洋")
        dialog.save()
        problems.append(dialog.error.text())
        dialog.number.setText("2026 04")
        dialog.save()
        problems.append(dialog.error.text())
        dialog.number.setText("20260404")
        dialog.gender.setCurrentIndex(dialog.gender.findData("女"))
        dialog.save()

    on_modal(add)
    view.add_button.click()
    assert problems == ["学号 20260401 已经属于王小明。",
                        "“2026 04”不是有效的学号（只能包含字母和数字，最多 32 位）。"]
    assert ("20260404", "刘洋", "女") in roster_rows(view)

    def rename(dialog: PupilDialog) -> None:
        assert dialog.number.text() == "20260402"
        dialog.name.setText("李晓华")
        dialog.gender.setCurrentIndex(dialog.gender.findData("男"))
        dialog.save()

    view.roster.selectRow(1)
    on_modal(rename)
    view.edit_button.click()
    assert roster_rows(view)[1] == ("20260402", "李晓华", "男")

    def yes(box: QMessageBox) -> None:
        box.button(QMessageBox.StandardButton.Yes).click()

    view.roster.selectRow(0)
    on_modal(yes)
    view.remove_button.click()
    assert [row[0] for row in roster_rows(view)] == ["20260402", "20260403", "20260404"]
    assert "3名学生" in view.class_title.text()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_classes_page_and_its_dialogs_fit_the_screen(make_window, ctx, qtbot,
                                                         language: str) -> None:
    """At 1024×768 the page with a class of 45 pupils, the import hint, the import result
    with many skipped rows and the pupil dialog all fit, buttons included."""
    i18n.set_language(language)
    info = ctx.store.add_class("四年级(2)班", "primary", 4, "2026-09-01")
    ctx.store.add_learners(info.id, [(f"202604{n:02}", "欧阳娜娜", "女") for n in range(1, 46)])
    window, view = classes_page(make_window)
    fill_screen(window)
    qtbot.waitUntil(lambda: window.frameGeometry().size() == window.screen()
                    .availableGeometry().size())
    assert view.roster.rowCount() == 45
    assert fit_problems(window) == []
    many = RosterImport(3, 1, 0, tuple(RosterProblem(n, "the name is empty.") for n in range(40)))
    dialogs: list[QDialog] = [RosterHintDialog(view), RosterResultDialog(many, "", view),
                              PupilDialog(ctx.store, info.id, None, view),
                              PupilDialog(ctx.store, info.id, view.learners[0], view)]
    for dialog in dialogs:
        dialog.show()
        qtbot.waitExposed(dialog)
        assert fit_problems(dialog) == [], type(dialog).__name__
        dialog.close()


def test_the_main_window_opens_within_a_small_screen(make_window, school_class) -> None:
    """Opened as it is (1200×800 where there is room), on 1024×768 the window is no
    larger than the screen, so "+ New class" at the bottom is not cut off."""
    window, view = classes_page(make_window)
    room = window.screen().availableGeometry()
    assert window.width() <= room.width() and window.height() <= room.height()
    assert view.new_button.mapTo(window, view.new_button.rect().bottomLeft()).y() \
        < window.height()

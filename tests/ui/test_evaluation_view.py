"""The teacher's evaluation page and a learner's own page, driven as people use them:
real widgets over a generated school term, ratings saved as statements, the summary
confirmed before anything is exported, and the exports written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QProgressBar

from classroom_app.core.context import AppContext
from classroom_app.core.evaluation.class_report import class_report
from classroom_app.core.evaluation.periods import Period
from classroom_app.core.evaluation.standing import REQUIRED_PERIODS
from classroom_app.core.sample_school.year import generate
from classroom_app.ui.evaluation.confirm_summary_dialog import ConfirmSummaryDialog
from classroom_app.ui.evaluation.my_progress_view import MyProgressView
from classroom_app.ui.evaluation.view import EvaluationView

TODAY = date(2026, 1, 15)  # the autumn term of school year 2025


@pytest.fixture
def term(ctx: AppContext):
    ctx.update_settings(school_name="北京市海淀区实验小学",
                        school_home_page="https://school.example.edu.cn/")
    return generate(ctx, learners=8, days=40, stage="primary", start=date(2025, 9, 1), seed=3)


@pytest.fixture
def view(qtbot, ctx: AppContext, term) -> EvaluationView:
    page = EvaluationView(ctx, today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    qtbot.waitUntil(lambda: page.report is not None and page.table.rowCount() == 8)
    yield page
    page.shutdown()


def confirm_with(view: EvaluationView, qtbot, on_modal, name: str = "张老师") -> None:
    def sign(dialog: ConfirmSummaryDialog) -> None:
        dialog.name.setText(name)
        dialog.checked.setChecked(True)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    on_modal(sign)
    view.confirm_button.click()
    qtbot.waitUntil(lambda: view.report is not None and view.report.confirmed)


def test_class_table_shows_periods_lessons_and_levels(view: EvaluationView, ctx, term) -> None:
    """Each learner's class periods (with a bar against the requirement), lessons done and the
    four aspects' levels, the same figures the core computes."""
    expected = class_report(ctx.store, ctx.library, term.class_id, Period(2025, "autumn"))
    assert view.period() == Period(2025, "autumn")
    for row, (learner, entry) in enumerate(expected.rows):
        assert view.table.item(row, 0).text() == learner.student_number
        assert view.table.item(row, 1).text() == learner.name
        assert view.table.item(row, 2).text() == f"{entry.periods:.1f}"
        bar = view.table.cellWidget(row, 3)
        assert isinstance(bar, QProgressBar) and bar.maximum() == REQUIRED_PERIODS * 10
        assert view.table.item(row, 4).text() == str(entry.lessons_done)
    assert "8" in view.summary.text()
    assert not view.pdf_button.isEnabled() and view.confirm_button.isEnabled()


def test_filters_change_the_period_and_the_classes(view: EvaluationView, qtbot) -> None:
    """Choosing the spring term shows its (empty) periods; a stage without classes empties
    the table and says why."""
    view.term_box.setCurrentIndex(view.term_box.findData("spring"))
    qtbot.waitUntil(lambda: view.report is not None and view.report.period.term == "spring")
    assert all(view.table.item(r, 2).text() == "0.0" for r in range(view.table.rowCount()))
    view.stage_box.setCurrentIndex(view.stage_box.findData("senior"))
    qtbot.waitUntil(lambda: view.table.rowCount() == 0)
    assert view.class_box.count() == 0


def test_student_page_rating_and_comment_are_saved(view: EvaluationView, qtbot, ctx) -> None:
    """Double-clicking a learner opens the radar and evidence; a rating and a comment
    are saved as statements and show in the class table with the teacher's mark."""
    before = len(ctx.store.statements())
    view.open_student(0)
    page = view.student_page
    assert view.stack.currentWidget() is page
    assert page.evidence.rowCount() == len(page.entry.evidence) > 0
    assert page.radar.values == [page.entry.aspects[a].radar for a in page.entry.aspects]
    combo = page.rating_boxes["ethics-of-ai"]
    combo.setCurrentIndex(combo.findData(3))
    page.comment.setPlainText("乐于动手，善于提问。")
    page.teacher.setText("张老师")
    page.save_button.click()
    assert len(ctx.store.statements()) == before + 2
    qtbot.waitUntil(lambda: page.entry is not None and page.entry.comment == "乐于动手，善于提问。")
    assert page.entry.aspects["ethics-of-ai"].rated == 3
    view.show_class()
    col = 5 + 1  # the second aspect, ethics of AI
    qtbot.waitUntil(lambda: "✎" in view.table.item(0, col).text())
    assert ctx.settings.teacher_name == "张老师"


def test_exports_wait_for_the_teachers_confirmation(view: EvaluationView, qtbot, on_modal,
                                                    tmp_path: Path, ctx) -> None:
    """Exports are locked until the teacher confirms; then CSV, Excel and one PDF per
    learner are written; new records afterwards lock them again."""
    assert not view.csv_button.isEnabled()
    confirm_with(view, qtbot, on_modal)
    assert view.csv_button.isEnabled() and "张老师" in view.confirm_state.text()
    for kind, target in (("csv", tmp_path / "class.csv"), ("xlsx", tmp_path / "class.xlsx"),
                         ("pdf", tmp_path / "pdfs")):
        view.export(kind, target)
        qtbot.waitUntil(lambda: not view.exports.busy, timeout=30000)
        assert target.exists()
    assert len(list((tmp_path / "pdfs").glob("*.pdf"))) == 8
    assert (tmp_path / "class.csv").read_bytes().startswith(b"\xef\xbb\xbf")

    view.open_student(1)
    view.student_page.comment.setPlainText("进步很大。")
    view.student_page.teacher.setText("张老师")
    view.student_page.save_button.click()
    qtbot.waitUntil(lambda: view.report is not None and not view.report.confirmed)
    assert not view.csv_button.isEnabled() and view.confirm_button.isEnabled()


def test_an_export_to_an_unwritable_place_says_so(view: EvaluationView, qtbot, on_modal,
                                                  tmp_path: Path) -> None:
    """A folder that cannot be written gives a clear message and leaves nothing behind."""
    confirm_with(view, qtbot, on_modal)
    messages: list[tuple[bool, str]] = []
    view.exports.finished.connect(lambda ok, text: messages.append((ok, text)))
    blocker = tmp_path / "file"
    blocker.write_text("x")
    on_modal(lambda box: box.accept())
    view.export("csv", blocker / "class.csv")
    qtbot.waitUntil(lambda: bool(messages))
    assert messages[0][0] is False and "class.csv" in messages[0][1]


def test_english_on_request(qtbot, ctx: AppContext, term) -> None:
    """The page speaks English when the teacher chose it."""
    ctx.update_settings(language="en")
    page = EvaluationView(ctx, today=TODAY)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.table.rowCount() == 8)
    headers = [page.table.horizontalHeaderItem(c).text() for c in range(page.table.columnCount())]
    assert "Student number" in headers and "Ethics of AI" in headers
    assert "AI techniques\nand applications" in headers
    assert "Autumn term" in page.term_box.currentText()
    page.shutdown()


def test_a_learner_sees_their_own_page(qtbot, ctx: AppContext, term) -> None:
    """The child's page tells the year's class periods against the goal and shows stars."""
    learner = ctx.store.learners(term.class_id)[0]
    page = MyProgressView(ctx, learner, today=TODAY)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.entry is not None)
    assert "8" in page.periods.text() and learner.name in page.title.text()
    assert page.bar.value() == min(80, round(page.entry.year_periods * 10))
    assert page.grid.count() == 8
    assert all(c in page.grid.itemAt(1).widget().text() for c in "☆") or "★★★" in \
        page.grid.itemAt(1).widget().text()
    page.shutdown()

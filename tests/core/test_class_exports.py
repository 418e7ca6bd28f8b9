"""The class CSV and XLSX, opened again as Excel or WPS would: Chinese names intact,
student numbers as text, levels in words, every piece of evidence traceable to the
statement it comes from."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest

from classroom_app.core import i18n, xapi
from classroom_app.core.context import AppContext
from classroom_app.core.evaluation.class_exports import (
    class_table,
    confirmation_words,
    evidence_table,
    export_class_csv,
    export_class_xlsx,
    level_meaning,
    periods_sentence,
)
from classroom_app.core.evaluation.class_report import ClassReport, class_report
from classroom_app.core.evaluation.judgements import (
    confirm_summary,
    record_comment,
    record_rating,
)
from classroom_app.core.evaluation.periods import Period
from classroom_app.core.evaluation.tables import Table, write_csv
from classroom_app.core.i18n import tr
from classroom_app.core.lessons.model import ASPECTS, LEVELS, aspect_name, level_name
from classroom_app.core.sample_school.year import generate

BEIJING = timezone(timedelta(hours=8))
JUDGED = datetime(2026, 1, 12, 10, tzinfo=BEIJING)  # in the 2025 school year, in the past
PERIOD = Period(2025)
COMMENT = "上课认真，乐于动手尝试。"


def demo_report(ctx: AppContext, confirm: bool = True) -> ClassReport:
    """A demo class's autumn, a teacher's rating and comment for the first learner, and
    (unless ``confirm`` is false) the summary confirmed."""
    summary = generate(ctx, learners=5, days=60, start=date(2025, 9, 1), seed=3)
    info = ctx.store.get_class(summary.class_id)
    assert info is not None
    first = ctx.store.learners(info.id)[0]
    home = ctx.settings.school_home_page
    with xapi.clock(lambda: JUDGED):
        record_rating(ctx.store, home, "王老师", info, PERIOD, first, "ethics-of-ai", 2)
        record_comment(ctx.store, home, "王老师", info, PERIOD, first, COMMENT)
        if confirm:
            confirm_summary(ctx.store, home, "王老师",
                            class_report(ctx.store, ctx.library, info.id, PERIOD))
    return class_report(ctx.store, ctx.library, info.id, PERIOD)


@pytest.fixture
def report(ctx: AppContext) -> ClassReport:
    return demo_report(ctx)


def test_csv_keeps_chinese_names_for_excel(report: ClassReport, tmp_path: Path) -> None:
    """A UTF-8 BOM (or Excel shows mojibake), CRLF lines, names and numbers as entered."""
    path = tmp_path / "班级.csv"
    export_class_csv(report, path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    with path.open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f))
    assert header[:2] == [tr("Student number"), tr("Name")]
    assert header[6:10] == [aspect_name(a) for a in ASPECTS]
    assert [(r[0], r[1]) for r in rows] == [(lr.student_number, lr.name) for lr, _ in report.rows]
    assert all(r[4] in (tr("Yes"), tr("No")) for r in rows)
    assert rows[0][-1] == COMMENT
    assert not list(tmp_path.glob("*.part"))


def test_xlsx_reads_back_with_numbers_as_text_and_levels_in_words(report: ClassReport,
                                                                   tmp_path: Path) -> None:
    """Three sheets; student numbers stay text (no lost zeros, no 2.03E+09); class periods are
    numbers; the teacher's rating is marked as such."""
    path = tmp_path / "class.xlsx"
    export_class_xlsx(report, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [tr("Class evaluation"), tr("Evidence"), tr("Summary")]
    sheet = book[tr("Class evaluation")]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(report.rows)
    for row, (learner, evaluation) in zip(rows, report.rows, strict=True):
        assert row[0].data_type == "s" and row[0].value == learner.student_number
        assert row[1].value == learner.name
        assert row[3].value == pytest.approx(evaluation.year_periods, abs=0.01)
        assert row[5].value == evaluation.lessons_done
    words = {level_name(level) for level in LEVELS} | {tr("Not yet shown")}
    assert all(c.value in words for row in rows[1:] for c in row[6:10])
    rated = rows[0][6 + ASPECTS.index("ethics-of-ai")].value
    assert rated == tr("{level} (teacher)").format(level=level_name("apply"))
    assert rows[0][10].value == COMMENT


def test_every_piece_of_evidence_names_a_recorded_statement(report: ClassReport,
                                                            ctx: AppContext,
                                                            tmp_path: Path) -> None:
    """The evidence sheet's statement ids are in this PC's outbox: each figure can be
    traced back to what was recorded."""
    path = tmp_path / "class.xlsx"
    export_class_xlsx(report, path)
    sheet = openpyxl.load_workbook(path)[tr("Evidence")]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    expected = sum(len(e.evidence) for _, e in report.rows)
    assert expected and len(rows) == expected
    recorded = {r[0] for r in ctx.store.conn.execute("SELECT id FROM outbox")}
    assert {r[8] for r in rows} <= recorded
    numbers = {lr.student_number for lr, _ in report.rows}
    assert {r[0] for r in rows} <= numbers
    kinds = {r[3] for r in rows}
    assert tr("Teacher's rating") in kinds and kinds & {tr("Quiz"), tr("Experiment")}
    assert all(r[7] in (tr("Yes"), tr("No")) for r in rows)
    assert all(date.fromisoformat(r[2]) for r in rows)


def test_summary_sheet_counts_the_class(report: ClassReport, tmp_path: Path) -> None:
    """Level distribution per aspect, the learners who reached the class periods, and who
    confirmed the figures."""
    path = tmp_path / "class.xlsx"
    export_class_xlsx(report, path)
    sheet = openpyxl.load_workbook(path)[tr("Summary")]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    for aspect, row in zip(ASPECTS, values, strict=False):
        assert row[0] == aspect_name(aspect)
        assert row[1:5] == report.level_counts(aspect)
        assert sum(row[1:5]) == len(report.rows)
    facts = {row[0]: row[1] for row in values[len(ASPECTS):] if row[0]}
    assert facts[tr("Class")] == report.info.name
    assert facts[tr("Students")] == len(report.rows)
    assert facts[tr("Reached {required} class periods").format(required=8)] == report.reached
    assert "王老师" in facts[tr("Confirmation")] and "2026-01-12" in facts[tr("Confirmation")]


def test_a_change_after_confirmation_is_not_passed_off_as_confirmed(ctx: AppContext) -> None:
    """A comment written after the confirmation changes the figures: the export says so."""
    report = demo_report(ctx)
    learner = report.rows[1][0]
    with xapi.clock(lambda: JUDGED + timedelta(days=1)):
        record_comment(ctx.store, ctx.settings.school_home_page, "王老师", report.info,
                       PERIOD, learner, "进步很大。")
    changed = class_report(ctx.store, ctx.library, report.info.id, PERIOD)
    assert not changed.confirmed
    assert confirmation_words(changed) == tr(
        "Not yet confirmed by the teacher: the figures changed after the last confirmation "
        "on {date}.").format(date="2026-01-12")


def test_english_on_request(report: ClassReport) -> None:
    """The same tables in English for a teacher who asks; names stay as entered."""
    with i18n.using("en"):
        table = class_table(report)
        evidence = evidence_table(report)
    assert table.header[:2] == ["Student number", "Name"]
    assert "Ethics of AI" in table.header
    assert table.rows[0][1] == report.rows[0][0].name
    assert "Apply (teacher)" in table.rows[0]
    assert "Teacher's rating" in {row[3] for row in evidence.rows}


def test_every_level_of_every_aspect_has_its_own_sentence() -> None:
    """Parents read a sentence per aspect: sixteen, none missing or shared, in both
    languages."""
    for language in i18n.LANGUAGES:
        with i18n.using(language):
            sentences = [level_meaning(a, level) for a in ASPECTS
                         for level in range(len(LEVELS) + 1)]
        assert len(set(sentences)) == 16 and all(s.strip() for s in sentences)


def test_periods_in_plain_words(report: ClassReport) -> None:
    """The parent reads whether 8 class periods are reached or how many are missing, and
    for a term how many of them fell in it; a very long name does not crowd it out."""
    learner, evaluation = report.rows[0]
    reached = periods_sentence(learner, replace(evaluation, year_periods=9.0))
    missing = periods_sentence(learner, replace(evaluation, year_periods=5.5))
    assert learner.name in reached and "9.0" in reached and "8" in reached
    assert "5.5" in missing and "2.5" in missing and missing != reached
    autumn = Period(2025, "autumn")
    term = periods_sentence(learner, replace(evaluation, period=autumn, periods=1.5))
    assert autumn.label() in term and "1.5" in term
    long = periods_sentence(replace(learner, name="娜" * 50), evaluation)
    assert "娜" * 11 + "…" in long and "娜" * 12 not in long


HOSTILE = ["=1+1", '=HYPERLINK("http://x.example/","点我")', "+SUM(1,1)", "@SUM(1,1)",
           "-2+3", "\t=1+1", "\r=1+1"]


def test_csv_cells_never_start_a_formula(report: ClassReport, tmp_path: Path) -> None:
    """Names and comments that Excel or WPS would run as formulas (=, +, -, @, tab, CR
    at the start) are written with a leading apostrophe, shown as text; the project's
    own numbers (a negative one included) stay numbers."""
    learner, evaluation = report.rows[0]
    rows = tuple((replace(learner, name=name), replace(evaluation, comment=name))
                 for name in HOSTILE)
    path = tmp_path / "班级.csv"
    export_class_csv(replace(report, rows=rows), path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        _, *read = list(csv.reader(f))
    assert [r[1] for r in read] == ["'" + name for name in HOSTILE]
    assert [r[-1] for r in read] == ["'" + name for name in HOSTILE]
    table = Table("t", ["a", "b", "c"], [[-2, -0.5, "2"], ["-", "a=b", ""]])
    write_csv(tmp_path / "t.csv", table)
    with (tmp_path / "t.csv").open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f))[1:] == [["-2", "-0.5", "2"], ["'-", "a=b", ""]]


def test_xlsx_keeps_hostile_names_as_text(report: ClassReport, tmp_path: Path) -> None:
    """XLSX cells are written as strings: a name like "=1+1" is never a formula."""
    learner, evaluation = report.rows[0]
    rows = tuple((replace(learner, name=name), evaluation) for name in HOSTILE)
    path = tmp_path / "班级.xlsx"
    export_class_xlsx(replace(report, rows=rows), path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    cells = [sheet.cell(row=n + 2, column=2) for n in range(len(HOSTILE))]
    assert [c.value for c in cells][:-1] == HOSTILE[:-1]  # openpyxl reads CR as _x000D_
    assert all(c.data_type == "s" for c in cells)

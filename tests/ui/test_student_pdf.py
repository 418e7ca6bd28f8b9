"""The parent's PDF, opened again with pypdf: one A4 page whose text (not just its
picture) says who the student is, their class periods, their four aspects and the teacher's
comment, in Chinese or on request in English."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pypdf
import pytest
from PySide6.QtGui import QColor

from classroom_app.core import i18n, xapi
from classroom_app.core.context import AppContext
from classroom_app.core.evaluation.class_report import ClassReport, class_report
from classroom_app.core.evaluation.judgements import (
    confirm_summary,
    record_comment,
    record_rating,
)
from classroom_app.core.evaluation.periods import Period
from classroom_app.core.i18n import tr
from classroom_app.core.lessons.model import ASPECTS, aspect_name
from classroom_app.core.sample_school.year import generate
from classroom_app.core.store import Learner
from classroom_app.ui.evaluation.student_pdf import (
    pdf_file_name,
    readable_text_map,
    student_page_image,
    write_class_pdfs,
    write_student_pdf,
)

BEIJING = timezone(timedelta(hours=8))
PERIOD = Period(2025)
SCHOOL = "北京市海淀区实验小学"
COMMENT = "上课认真，乐于动手尝试，训练模型时会比较不同的例子。"


def demo_report(ctx: AppContext, confirm: bool = True) -> ClassReport:
    """A demo class's autumn with a rating and a comment for the first learner."""
    summary = generate(ctx, learners=3, days=60, start=date(2025, 9, 1), seed=3)
    info = ctx.store.get_class(summary.class_id)
    assert info is not None
    first = ctx.store.learners(info.id)[0]
    home = ctx.settings.school_home_page
    with xapi.clock(lambda: datetime(2026, 1, 12, 10, tzinfo=BEIJING)):
        record_rating(ctx.store, home, "王老师", info, PERIOD, first, "ethics-of-ai", 2)
        record_comment(ctx.store, home, "王老师", info, PERIOD, first, COMMENT)
        if confirm:
            confirm_summary(ctx.store, home, "王老师",
                            class_report(ctx.store, ctx.library, info.id, PERIOD))
    return class_report(ctx.store, ctx.library, info.id, PERIOD)


def compact(text: str) -> str:
    """Without spaces and line breaks, which depend on where lines wrap."""
    return "".join(text.split())


def pdf_text(path: Path) -> tuple[int, str]:
    reader = pypdf.PdfReader(path)
    return len(reader.pages), compact("".join(p.extract_text() for p in reader.pages))


@pytest.fixture
def report(ctx: AppContext) -> ClassReport:
    return demo_report(ctx)


def test_one_page_in_chinese_with_the_student_and_their_standing(qapp, report: ClassReport,
                                                                 tmp_path: Path) -> None:
    """The default page is Chinese and its text can be read back: name, number, class,
    class periods, the four aspects and the comment; ideographs, not look-alike radicals."""
    learner, evaluation = report.rows[0]
    path = write_student_pdf(tmp_path / "a.pdf", report, learner, evaluation, SCHOOL)
    pages, text = pdf_text(path)
    assert pages == 1
    for expected in (SCHOOL, learner.name, learner.student_number, report.info.name,
                     f"{evaluation.year_periods:.1f}", COMMENT,
                     *(aspect_name(a) for a in ASPECTS)):
        assert compact(expected) in text, expected
    assert "人工智能" in text and not any(0x2E80 <= ord(c) <= 0x2FDF for c in text)
    box = pypdf.PdfReader(path).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    assert not list(tmp_path.glob("*.part"))


def test_english_on_request(qapp, report: ClassReport, tmp_path: Path) -> None:
    """language="en" gives English words, digits read back after Latin letters too; the
    comment stays as the teacher wrote it."""
    learner, evaluation = report.rows[0]
    path = write_student_pdf(tmp_path / "en.pdf", report, learner, evaluation, SCHOOL, "en")
    pages, text = pdf_text(path)
    assert pages == 1
    assert "classperiods" in text and compact(f"Student number: {learner.student_number}") in text
    with i18n.using("en"):
        names = [aspect_name(a) for a in ASPECTS]
    assert names[0] == "Human-centred mindset"
    assert all(compact(name) in text for name in names)
    assert compact(COMMENT) in text and i18n.language() == "zh_CN"


def test_an_unconfirmed_report_says_so(qapp, ctx: AppContext, tmp_path: Path) -> None:
    """A parent must not take figures the teacher has not confirmed as final."""
    report = demo_report(ctx, confirm=False)
    learner, evaluation = report.rows[1]
    _, text = pdf_text(write_student_pdf(tmp_path / "u.pdf", report, learner, evaluation,
                                         SCHOOL))
    assert compact(tr("Not yet confirmed by the teacher: the figures may still change.")) in text
    assert "王老师" not in text


def test_a_confirmed_report_names_who_confirmed_it_and_when(qapp, report: ClassReport,
                                                            tmp_path: Path) -> None:
    """The footer gives the teacher and the day of the confirmation."""
    learner, evaluation = report.rows[1]
    _, text = pdf_text(write_student_pdf(tmp_path / "c.pdf", report, learner, evaluation,
                                         SCHOOL))
    assert compact(tr("Confirmed by {teacher} on {date}.").format(
        teacher="王老师", date="2026-01-12")) in text


def test_long_names_and_comments_stay_on_one_page(qapp, report: ClassReport,
                                                  tmp_path: Path) -> None:
    """A very long comment is cut with "…" and a very long name elided: never a second
    page, never text off the sheet."""
    learner, evaluation = report.rows[0]
    learner = replace(learner, name="欧阳" + "娜" * 80)
    evaluation = replace(evaluation, comment="这个学生非常认真。" * 300 + "\n最后一句。")
    path = write_student_pdf(tmp_path / "long.pdf", report, learner, evaluation, SCHOOL)
    pages, text = pdf_text(path)
    assert pages == 1
    assert "…" in text and "最后一句" not in text and learner.name not in text


def test_one_file_per_student_with_safe_names(qapp, report: ClassReport,
                                              tmp_path: Path) -> None:
    """write_class_pdfs names each file <number>-<name>.pdf and leaves no .part behind;
    characters Windows forbids in file names are replaced."""
    folder = tmp_path / "pdfs"
    paths = write_class_pdfs(folder, report, SCHOOL)
    assert [p.name for p in paths] == [f"{lr.student_number}-{lr.name}.pdf"
                                       for lr, _ in report.rows]
    assert sorted(folder.iterdir()) == sorted(paths)
    assert all(pdf_text(p)[0] == 1 for p in paths)
    odd = Learner(1, 1, "2025/01", '王:小*明?<>|". ')
    assert pdf_file_name(odd) == "2025_01-王_小_明_____.pdf"
    assert pdf_file_name(Learner(1, 1, "2025", "王" * 300)) == "2025-" + "王" * 115 + ".pdf"


def test_text_map_fix_keeps_every_offset(qapp) -> None:
    """Radicals become ideographs, a tab a space, and the file keeps its length (the
    PDF's cross-reference table counts bytes)."""
    cmap = (b"2 beginbfrange\n<0000> <0000> <0000>\n<0001> <0003> [<2F08> <0009> <0041> ]\n"
            b"<0004> <0004> <2F29>\n<0010> <001A> <0030>\nendbfrange\n")
    fixed = readable_text_map(cmap)
    assert len(fixed) == len(cmap)
    assert b"[<4EBA> <0020> <0041> ]" in fixed and b"<0004> <0004> <5C0F>" in fixed
    assert b"<0010> <001A> <0030>" in fixed


def test_the_same_page_paints_on_an_image(qapp, report: ClassReport) -> None:
    """The preview is the PDF's painting on an image: A4 in shape and not blank."""
    learner, evaluation = report.rows[0]
    image = student_page_image(report, learner, evaluation, SCHOOL, width=620)
    assert image.width() == 620 and image.height() == round(620 * 297 / 210)
    header = [image.pixelColor(x, y) for x in range(40, 580, 4) for y in range(30, 70, 2)]
    assert any(colour != QColor("white") for colour in header)

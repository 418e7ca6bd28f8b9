"""One A4 page per student for their parents: class periods against the requirement, the lessons
done, the four competency aspects in plain words, and the teacher's comment.

The page is painted with QPainter (no external tools, so it works on an offline school
PC) and the same painting goes to a PDF or to an image for a preview. The layout works
in tenths of a millimetre on an A4 sheet whatever the device, so fonts are large whole
pixel sizes and come out the same in print and on screen. Text is clipped to its box:
a long name is elided and a long comment ends in "…", so the page never grows a second
sheet. Qt maps a glyph back to the first code point that uses it, which in CJK fonts is
often a Kangxi radical ("⼈" for "人"); :func:`readable_text_map` puts the ordinary
characters back so that a parent can copy and search the text.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextLayout,
    QTextOption,
)

from classroom_app.core.evaluation.class_exports import (
    confirmation_words,
    lesson_text,
    level_meaning,
    list_separator,
    periods_of_required,
    periods_sentence,
    standing_words,
)
from classroom_app.core.evaluation.class_report import ClassReport
from classroom_app.core.evaluation.standing import (
    REQUIRED_PERIODS,
    AspectStanding,
    LearnerEvaluation,
)
from classroom_app.core.i18n import tr, using
from classroom_app.core.lessons.model import ASPECTS, LEVELS, aspect_name, level_name
from classroom_app.core.store import Learner
from classroom_app.ui.evaluation.radar_chart import paint_radar

PAGE_W, PAGE_H = 2100.0, 2970.0  # A4 in tenths of a millimetre: the layout's units
MARGIN, TOP, BOTTOM = 150.0, 130.0, 120.0
FOOTER_HEIGHT = 190.0
WIDTH = PAGE_W - 2 * MARGIN
RADAR_UNIT = 1.764  # the radar is painted in half points, for its pens and labels
FONT_FAMILIES = ["Noto Sans CJK SC", "Microsoft YaHei", "SimHei", "PingFang SC",
                 "Source Han Sans SC", "WenQuanYi Micro Hei", "Droid Sans Fallback"]
INK, MUTED, ACCENT = QColor("#202020"), QColor("#616161"), QColor("#1565c0")
BAND, GOOD, TRACK = QColor("#e3f2fd"), QColor("#2e7d32"), QColor("#e0e0e0")
LEVEL_COLOURS = (QColor("#9e9e9e"), QColor("#1e88e5"), QColor("#00897b"), QColor("#2e7d32"))
WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def page_font(size: float, bold: bool = False) -> QFont:
    """A font ``size`` layout units high (35 ≈ 10 pt) that has Chinese on Linux, Windows
    and macOS; unhinted, so that print and screen space letters alike. Without localised
    forms (the SC fonts' own are Simplified Chinese; Noto's swap digits after a Latin
    letter for glyphs a PDF reader cannot turn back into digits) or ligatures ("ﬁ" would
    not match a search for "fi")."""
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPixelSize(max(1, round(size)))
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setFeature(QFont.Tag("locl"), 0)
    font.setFeature(QFont.Tag("liga"), 0)
    return font


def wrap(text: str, font: QFont, width: float, max_lines: int) -> list[str]:
    """``text`` broken into lines of at most ``width``, each paragraph on new lines; when
    more than ``max_lines`` are needed the last one shown ends in "…"."""
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    option.setUseDesignMetrics(True)
    lines: list[str] = []
    rests: list[str] = []  # the text from each line on, to elide the last one shown
    paragraphs = [p.strip() for p in text.splitlines() if p.strip()]
    for index, paragraph in enumerate(paragraphs):
        layout = QTextLayout(paragraph, font)
        layout.setTextOption(option)
        layout.beginLayout()
        while (line := layout.createLine()).isValid():
            line.setLineWidth(width)
            start = line.textStart()
            lines.append(paragraph[start:start + line.textLength()].rstrip())
            rests.append(" ".join([paragraph[start:], *paragraphs[index + 1:]]))
        layout.endLayout()
    if len(lines) <= max_lines:
        return lines
    last = QFontMetricsF(font).elidedText(rests[max_lines - 1], Qt.TextElideMode.ElideRight,
                                          width)
    return [*lines[:max_lines - 1], last]


class Sheet:
    """The page being painted: the painter in layout units and how far down it has got."""

    def __init__(self, painter: QPainter) -> None:
        self.painter = painter
        self.y = TOP

    def line(self, text: str, rect: QRectF, size: float, bold: bool = False,
             colour: QColor = INK, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> float:
        """One line in ``rect``, elided to its width; returns the width drawn."""
        font = page_font(size, bold)
        metrics = QFontMetricsF(font)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        self.painter.setFont(font)
        self.painter.setPen(colour)
        self.painter.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter), shown)
        return metrics.horizontalAdvance(shown)

    def paragraph(self, text: str, x: float, y: float, width: float, size: float,
                  max_lines: int, colour: QColor = INK) -> float:
        """Wrapped text from ``y`` down; returns the height used."""
        font = page_font(size)
        metrics = QFontMetricsF(font)
        step = metrics.height() * 1.3
        self.painter.setFont(font)
        self.painter.setPen(colour)
        lines = wrap(text, font, width, max_lines)
        for i, text_line in enumerate(lines):
            self.painter.drawText(QPointF(x, y + metrics.ascent() + i * step), text_line)
        return len(lines) * step

    def heading(self, text: str) -> None:
        self.painter.fillRect(QRectF(MARGIN, self.y + 14, 12, 46), ACCENT)
        self.line(text, QRectF(MARGIN + 30, self.y, WIDTH - 30, 74), 42, bold=True)
        self.y += 86


def paint_header(sheet: Sheet, report: ClassReport, school_name: str) -> None:
    sheet.line(school_name, QRectF(MARGIN, sheet.y, WIDTH, 80), 56, bold=True, colour=ACCENT)
    sheet.y += 84
    title = tr("AI general education — comprehensive-quality evaluation")
    used = sheet.line(report.period.label(), QRectF(MARGIN, sheet.y, WIDTH, 64), 38,
                      colour=MUTED, align=Qt.AlignmentFlag.AlignRight)
    sheet.line(title, QRectF(MARGIN, sheet.y, WIDTH - used - 40, 64), 44)
    sheet.y += 80
    sheet.painter.fillRect(QRectF(MARGIN, sheet.y, WIDTH, 7), ACCENT)
    sheet.y += 40


def paint_student(sheet: Sheet, report: ClassReport, learner: Learner) -> None:
    """The student's name, number and class on a tinted band."""
    band = QRectF(MARGIN, sheet.y, WIDTH, 130)
    sheet.painter.setPen(Qt.PenStyle.NoPen)
    sheet.painter.setBrush(BAND)
    sheet.painter.drawRoundedRect(band, 24, 24)
    inner = band.adjusted(40, 0, -40, 0)
    used = sheet.line(learner.name, QRectF(inner.x(), inner.y(), inner.width() * 0.45,
                                           inner.height()), 64, bold=True)
    number = tr("Student number: {number}").format(number=learner.student_number)
    class_name = tr("Class: {name}").format(name=report.info.name)
    rest = QRectF(inner.x() + used + 60, inner.y(), inner.width() - used - 60, inner.height())
    if QFontMetricsF(page_font(38)).horizontalAdvance(number + "    " + class_name) <= rest.width():
        sheet.line(number + "    " + class_name, rest, 38, colour=MUTED)
    else:  # one above the other, each as far as it fits
        half = rest.height() / 2
        sheet.line(number, rest.adjusted(0, 8, 0, -half), 34, colour=MUTED)
        sheet.line(class_name, rest.adjusted(0, half, 0, -8), 34, colour=MUTED)
    sheet.y += band.height() + 50


def paint_periods(sheet: Sheet, learner: Learner, evaluation: LearnerEvaluation) -> None:
    """A bar of this school year's class periods with the requirement marked on it."""
    sheet.heading(tr("Class periods this school year"))
    painter, periods = sheet.painter, evaluation.year_periods
    label = periods_of_required(periods)
    bar = QRectF(MARGIN, sheet.y + 46, WIDTH - 480, 54)
    sheet.line(label, QRectF(bar.right() + 30, bar.y() - 10, 450, 74), 40, bold=True,
               colour=GOOD if evaluation.reached else INK)
    scale = max(REQUIRED_PERIODS * 1.25, periods)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(TRACK)
    painter.drawRoundedRect(bar, 27, 27)
    if periods > 0:
        filled = QRectF(bar.x(), bar.y(), max(bar.height(), bar.width() * periods / scale),
                        bar.height())
        painter.setBrush(GOOD if evaluation.reached else ACCENT)
        painter.drawRoundedRect(filled, 27, 27)
    mark = bar.x() + bar.width() * REQUIRED_PERIODS / scale
    painter.fillRect(QRectF(mark - 3, bar.y() - 8, 6, bar.height() + 16), INK)
    required = tr("Required: {required} class periods").format(required=REQUIRED_PERIODS)
    sheet.line(required, QRectF(mark - 400, sheet.y - 6, 800, 48), 30, colour=MUTED,
               align=Qt.AlignmentFlag.AlignHCenter)
    sheet.y = bar.bottom() + 30
    sheet.y += sheet.paragraph(periods_sentence(learner, evaluation), MARGIN, sheet.y, WIDTH,
                               36, 2) + 40


def paint_lessons(sheet: Sheet, evaluation: LearnerEvaluation) -> None:
    done = [lesson_text(t.name, t.lesson) for t in evaluation.lessons if t.done]
    sheet.heading(tr("Lessons done ({count})").format(count=len(done)))
    text = list_separator().join(done) if done else tr("No lesson done yet in this period.")
    sheet.y += sheet.paragraph(text, MARGIN, sheet.y, WIDTH, 36, 3,
                               INK if done else MUTED) + 40


def paint_level(sheet: Sheet, standing: AspectStanding, x: float, right: float) -> None:
    """The level as filled dots (one per level reached) and in words."""
    level, painter = standing.level, sheet.painter
    painter.setPen(Qt.PenStyle.NoPen)
    for i in range(len(LEVELS)):
        painter.setBrush(LEVEL_COLOURS[level] if i < level else TRACK)
        painter.drawEllipse(QRectF(x + i * 34, sheet.y + 16, 24, 24))
    words_x = x + len(LEVELS) * 34 + 16
    sheet.line(standing_words(standing), QRectF(words_x, sheet.y, right - words_x, 56), 38,
               bold=True, colour=LEVEL_COLOURS[level])


def paint_aspect(sheet: Sheet, evaluation: LearnerEvaluation, aspect: str, x: float,
                 width: float) -> None:
    """The aspect's name, its level, and what that level means; the level goes under the
    name when both do not fit on one line (long English names)."""
    standing = evaluation.aspects[aspect]
    name, words = aspect_name(aspect), standing_words(standing)
    metrics = QFontMetricsF(page_font(38, bold=True))
    level_width = len(LEVELS) * 34 + 16 + metrics.horizontalAdvance(words)
    one_line = metrics.horizontalAdvance(name) + 30 + level_width <= width
    used = sheet.line(name, QRectF(x, sheet.y, width, 56), 38, bold=True)
    if not one_line:
        sheet.y += 58
    paint_level(sheet, standing, x + used + 30 if one_line else x, x + width)
    sheet.y += 60
    sheet.y += sheet.paragraph(level_meaning(aspect, standing.level), x, sheet.y, width, 33,
                               3) + 26


def paint_competencies(sheet: Sheet, evaluation: LearnerEvaluation) -> None:
    """The radar on the left; each aspect's level and meaning on the right."""
    sheet.heading(tr("Competencies"))
    top, radar = sheet.y, QRectF(MARGIN - 30, sheet.y, 900, 720)
    painter = sheet.painter
    painter.save()
    painter.translate(radar.topLeft())
    painter.scale(RADAR_UNIT, RADAR_UNIT)
    painter.setFont(page_font(15))
    paint_radar(painter, QRectF(0, 0, radar.width() / RADAR_UNIT, radar.height() / RADAR_UNIT),
                ASPECTS, [evaluation.aspects[a].radar for a in ASPECTS], with_levels=False)
    painter.restore()
    # the rings' names would sit on the top aspect's name: a legend under the chart instead
    legend = tr("Rings from the centre out: {levels}").format(
        levels=" → ".join(level_name(level) for level in LEVELS))
    sheet.line(legend, QRectF(radar.x(), radar.bottom(), radar.width(), 50), 30,
               colour=MUTED, align=Qt.AlignmentFlag.AlignHCenter)
    x = radar.right() + 20
    for aspect in ASPECTS:
        paint_aspect(sheet, evaluation, aspect, x, MARGIN + WIDTH - x)
    sheet.y = max(sheet.y, top + radar.height() + 60) + 14


def paint_comment(sheet: Sheet, evaluation: LearnerEvaluation, bottom: float) -> None:
    """The teacher's comment in a box filling the space left above the footer."""
    sheet.heading(tr("Teacher's comment"))
    box = QRectF(MARGIN, sheet.y, WIDTH, max(120.0, bottom - sheet.y))
    sheet.painter.setPen(TRACK)
    sheet.painter.setBrush(Qt.BrushStyle.NoBrush)
    sheet.painter.drawRoundedRect(box, 18, 18)
    step = QFontMetricsF(page_font(36)).height() * 1.3
    lines = max(1, int((box.height() - 60) // step))
    text = evaluation.comment or tr("The teacher has not written a comment yet.")
    sheet.paragraph(text, box.x() + 34, box.y() + 30, box.width() - 68, 36, lines,
                    INK if evaluation.comment else MUTED)
    sheet.y = box.bottom()


def paint_footer(sheet: Sheet, report: ClassReport) -> None:
    """Who confirmed the figures, or that nobody has yet; and how levels are worked out."""
    y = PAGE_H - BOTTOM - FOOTER_HEIGHT
    sheet.painter.fillRect(QRectF(MARGIN, y, WIDTH, 3), TRACK)
    sheet.line(confirmation_words(report), QRectF(MARGIN, y + 20, WIDTH, 56), 36, bold=True,
               colour=GOOD if report.confirmed else QColor("#e65100"))
    note = tr("How levels are worked out: a level is reached with two pieces of evidence at "
              "that level (quizzes passed, reflections written, experiments done); where the "
              "teacher has rated an aspect, the teacher's rating stands.")
    sheet.paragraph(note, MARGIN, y + 90, WIDTH, 28, 2, MUTED)


def paint_student_page(painter: QPainter, rect: QRectF, report: ClassReport, learner: Learner,
                       evaluation: LearnerEvaluation, school_name: str) -> None:
    """Paint the whole page into ``rect`` of any paint device, in the current language."""
    painter.save()
    scale = min(rect.width() / PAGE_W, rect.height() / PAGE_H)
    painter.translate(rect.topLeft())
    painter.scale(scale, scale)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    sheet = Sheet(painter)
    paint_header(sheet, report, school_name)
    paint_student(sheet, report, learner)
    paint_periods(sheet, learner, evaluation)
    paint_lessons(sheet, evaluation)
    paint_competencies(sheet, evaluation)
    paint_comment(sheet, evaluation, PAGE_H - BOTTOM - FOOTER_HEIGHT - 40)
    paint_footer(sheet, report)
    painter.restore()


def student_page_image(report: ClassReport, learner: Learner, evaluation: LearnerEvaluation,
                       school_name: str, language: str = "zh_CN", width: int = 1240) -> QImage:
    """The page as an image ``width`` pixels wide (1240 is 150 dpi), for a preview."""
    image = QImage(width, round(width * PAGE_H / PAGE_W), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    with using(language):
        paint_student_page(painter, QRectF(image.rect()), report, learner, evaluation,
                           school_name)
    painter.end()
    return image


_CMAP_LINE = re.compile(rb"^(<[0-9A-Fa-f]+> <[0-9A-Fa-f]+> )(.*)$", re.M)
_CODE = re.compile(rb"<([0-9A-Fa-f]{4})>")
_SHARED_GLYPHS = {0x09: 0x20, 0x2012: 0x2013}


def _ordinary(code: int) -> int:
    """The character a reader means by ``code``: the ideograph for a Kangxi radical, a
    space for the tab and an en dash for the figure dash that share a glyph with them."""
    if code in _SHARED_GLYPHS:
        return _SHARED_GLYPHS[code]
    if 0x2E80 <= code <= 0x2FDF:
        text = unicodedata.normalize("NFKC", chr(code))
        if len(text) == 1 and ord(text) <= 0xFFFF:
            return ord(text)
    return code


def readable_text_map(pdf: bytes) -> bytes:
    """``pdf`` with its ToUnicode maps pointing at ordinary characters. Each code keeps
    its four hex digits, so every offset in the file stays right."""
    def fix_code(match: re.Match[bytes]) -> bytes:
        return b"<%04X>" % _ordinary(int(match.group(1), 16))

    def fix_line(match: re.Match[bytes]) -> bytes:
        target = match.group(2)
        if target.startswith(b"[") or match.group(1).split()[0] == match.group(1).split()[1]:
            target = _CODE.sub(fix_code, target)
        return match.group(1) + target

    def fix_map(match: re.Match[bytes]) -> bytes:
        return _CMAP_LINE.sub(fix_line, match.group(0))

    return re.sub(rb"beginbfrange.*?endbfrange", fix_map, pdf, flags=re.S)


def write_student_pdf(path: Path, report: ClassReport, learner: Learner,
                      evaluation: LearnerEvaluation, school_name: str,
                      language: str = "zh_CN") -> Path:
    """One A4 page for ``learner``'s parents at ``path`` (written whole, then renamed)."""
    path = Path(path)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    writer.setResolution(600)
    with using(language):
        writer.setTitle(f"{learner.name} — {report.period.label()}")
        writer.setCreator(tr("AI Classroom"))
        painter = QPainter()
        if not painter.begin(writer):
            raise OSError(tr("Could not start the PDF for {name}.").format(name=learner.name))
        paint_student_page(painter, QRectF(0, 0, writer.width(), writer.height()), report,
                           learner, evaluation, school_name)
        painter.end()
    buffer.close()
    temporary = path.with_name(path.name + ".part")
    try:
        temporary.write_bytes(readable_text_map(bytes(buffer.data().data())))
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def pdf_file_name(learner: Learner) -> str:
    """``<student number>-<name>.pdf``, safe as a Windows file name: no characters Windows
    forbids, no trailing dot or space, not too long (the "-" keeps it from being a device
    name such as CON)."""
    stem = WINDOWS_FORBIDDEN.sub("_", f"{learner.student_number}-{learner.name}")
    return (stem.strip()[:120].rstrip(". ") or "student") + ".pdf"


def write_class_pdfs(folder: Path, report: ClassReport, school_name: str,
                     language: str = "zh_CN") -> list[Path]:
    """One PDF per student of the class in ``folder`` (made if missing)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [write_student_pdf(folder / pdf_file_name(learner), report, learner, evaluation,
                              school_name, language)
            for learner, evaluation in report.rows]

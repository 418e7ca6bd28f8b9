"""The hub's report as files: CSV (the students), XLSX (schools, classes, students) and
one HTML page with charts.

The HTML page is for a district office that may have no internet: everything is inside
the one file (CSS and SVG charts inline, no script, no web fonts, no images), so it opens
the same in any browser, offline, and can be mailed or copied on a USB stick. Every text
in it is escaped: class names and school addresses come from statements, which anyone
with a device's credentials can write.
"""

from __future__ import annotations

import contextlib
import errno
import html
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from xlsxwriter.exceptions import XlsxWriterException

from classroom_app.core.evaluation.class_exports import reached_header
from classroom_app.core.evaluation.periods import SCHOOL_TZ
from classroom_app.core.evaluation.standing import REQUIRED_PERIODS
from classroom_app.core.evaluation.tables import Cell, Table, write_csv, write_xlsx
from classroom_app.core.i18n import language, tr
from classroom_app.core.lessons.model import ASPECTS, LEVELS, aspect_name, level_name
from classroom_app.hub.report import (
    ClassRow,
    Confirmation,
    Distribution,
    DistrictReport,
    SchoolReport,
    StudentRow,
    class_label,
)

FORMATS = ("csv", "xlsx", "html")
LEVEL_COLOURS = ("#cfd8dc", "#90caf9", "#42a5f5", "#1565c0")
STYLE = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC","Noto Sans SC",
sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#263238}
h1{font-size:26px;margin-bottom:4px}h2{margin-top:40px;border-bottom:2px solid #1565c0;
padding-bottom:4px;word-break:break-all}h3{font-size:17px;margin:24px 0 8px}
.muted{color:#607d8b}.figure{font-size:18px}
table{border-collapse:collapse;margin:8px 0;font-size:14px}
th,td{border:1px solid #cfd8dc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#e3f2fd}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr:nth-child(even) td{background:#fafafa}svg{max-width:100%;height:auto}
svg text{font-size:13px;fill:#263238}summary{cursor:pointer;font-weight:bold;margin:16px 0}
@media print{details{display:block}}
"""


def level_label(level: int) -> str:
    return level_name(LEVELS[level - 1]) if level else tr("Not yet")


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def _when(moment: datetime) -> str:
    return moment.astimezone(SCHOOL_TZ).strftime("%Y-%m-%d %H:%M")


def _yes(value: bool) -> str:
    return tr("Yes") if value else tr("No")


# -- tables (CSV and XLSX) -------------------------------------------------------------
def _distribution_header() -> list[str]:
    names = [level_label(n) for n in range(len(LEVELS) + 1)]
    return [tr("{aspect}: {level}").format(aspect=aspect_name(a), level=name)
            for a in ASPECTS for name in names]


def _distribution_cells(levels: dict[str, Distribution]) -> list[Cell]:
    return [count for aspect in ASPECTS for count in levels[aspect]]


def _summary_header() -> list[str]:
    return [tr("Students"), reached_header(),
            tr("Share reached (%)"), tr("Mean class periods")]


def _summary_cells(row: SchoolReport | ClassRow) -> list[Cell]:
    return [row.learners, row.reached, round(row.share * 100, 1), round(row.mean_periods, 2)]


def school_table(report: DistrictReport) -> Table:
    header = [tr("School"), tr("Classes"), *_summary_header(), *_distribution_header()]
    rows = [[s.school, len(s.classes), *_summary_cells(s), *_distribution_cells(s.levels)]
            for s in report.schools]
    return Table(tr("Schools"), header, rows, [36])


def class_table(report: DistrictReport) -> Table:
    header = [tr("School"), tr("Class"), *_summary_header(), *_distribution_header(),
              tr("Confirmed by"), tr("Confirmed on")]
    rows = []
    for school in report.schools:
        for c in school.classes:
            done: Confirmation | None = c.confirmation
            rows.append([school.school, c.label, *_summary_cells(c),
                         *_distribution_cells(c.levels), done.teacher if done else "",
                         _when(done.when) if done else ""])
    return Table(tr("Classes"), header, rows, [36, 16])


def student_table(report: DistrictReport) -> Table:
    header = [tr("School"), tr("Class"), tr("Student number"), tr("Class periods"),
              tr("Class periods this school year"),
              reached_header(), tr("Lessons done"),
              *(aspect_name(a) for a in ASPECTS), tr("Confirmed by the teacher")]
    rows: list[list[Cell]] = [[s.school, class_label(s.team), s.student, round(s.periods, 2),
             round(s.year_periods, 2), _yes(s.reached), s.lessons_done,
             *(level_label(level) for level in s.levels), _yes(s.confirmed)]
            for school in report.schools for s in school.students]
    return Table(tr("Student list"), header, rows, [36, 16, 14])


# -- HTML ------------------------------------------------------------------------------
def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _text_width(text: str) -> int:
    """Roughly how wide ``text`` is at 13 px: CJK characters are twice as wide."""
    return sum(14 if ord(c) > 0x2E80 else 8 for c in text)


def _fit(text: str, width: int) -> str:
    """``text`` shortened with an ellipsis to about ``width`` pixels."""
    while _text_width(text) > width and len(text) > 1:
        text = text[:-2] + "…"
    return text


def _share_title() -> str:
    return tr("Share of students with {required} class periods or more in the school "
              "year, by class").format(required=REQUIRED_PERIODS)


def share_chart(classes: Sequence[ClassRow]) -> str:
    """A bar per class: the share of its students with the required class periods."""
    label = min(260, max([_text_width(c.label) for c in classes] + [60])) + 12
    bar, row = 380, 28
    width, height = label + bar + 130, row * len(classes) + 8
    title = _share_title()
    parts = [f'<svg role="img" aria-label="{_e(title)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}">']
    for i, c in enumerate(classes):
        y = 4 + i * row
        filled = round(bar * c.share, 1)
        figure = f"{_percent(c.share)} ({c.reached}/{c.learners})"
        parts.append(
            f'<text x="{label - 8}" y="{y + 17}" text-anchor="end">{_e(_fit(c.label, 260))}'
            "</text>"
            f'<rect x="{label}" y="{y + 4}" width="{bar}" height="18" fill="#eceff1"/>'
            f'<rect x="{label}" y="{y + 4}" width="{filled}" height="18" fill="#43a047">'
            f"<title>{_e(c.label)}: {_e(figure)}</title></rect>"
            f'<text x="{label + bar + 8}" y="{y + 17}">{_e(figure)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def levels_chart(levels: dict[str, Distribution]) -> str:
    """A bar per aspect, in parts: the share of students at each level."""
    label = max(_text_width(aspect_name(a)) for a in ASPECTS) + 12
    bar, row = 480, 30
    width, height = label + bar + 16, row * len(ASPECTS) + 40
    title = tr("Competency levels of the students, by aspect")
    parts = [f'<svg role="img" aria-label="{_e(title)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}">']
    for i, aspect in enumerate(ASPECTS):
        y, counts = 4 + i * row, levels[aspect]
        total = sum(counts) or 1
        parts.append(f'<text x="{label - 8}" y="{y + 18}" text-anchor="end">'
                     f"{_e(aspect_name(aspect))}</text>")
        x = float(label)
        for level, count in enumerate(counts):
            share = count / total
            part = round(bar * share, 1)
            if not count:
                continue
            tip = f"{aspect_name(aspect)} · {level_label(level)}: {count} ({_percent(share)})"
            parts.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{part}" height="20" '
                         f'fill="{LEVEL_COLOURS[level]}"><title>{_e(tip)}</title></rect>')
            if part >= 28:
                ink = "#ffffff" if level >= 2 else "#263238"
                parts.append(f'<text x="{x + part / 2:.1f}" y="{y + 18}" text-anchor="middle" '
                             f'style="fill:{ink}">{count}</text>')
            x += part
    x, y = float(label), 4 + len(ASPECTS) * row + 8
    for level, colour in enumerate(LEVEL_COLOURS):
        name = level_label(level)
        parts.append(f'<rect x="{x:.0f}" y="{y}" width="14" height="14" fill="{colour}"/>'
                     f'<text x="{x + 20:.0f}" y="{y + 12}">{_e(name)}</text>')
        x += 20 + _text_width(name) + 24
    parts.append("</svg>")
    return "".join(parts)


def _table(header: Sequence[str], rows: Sequence[Sequence[Cell]],
           numeric: Sequence[int] = ()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = "".join(f'<td class="n">{_e(v)}</td>' if i in numeric else f"<td>{_e(v)}</td>"
                        for i, v in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _counts(counts: Distribution) -> str:
    return " / ".join(str(n) for n in counts)


def _class_rows(classes: Sequence[ClassRow]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for c in classes:
        done = c.confirmation
        confirmed = (tr("{teacher}, {when}").format(teacher=done.teacher, when=_when(done.when))
                     if done else "—")
        rows.append([c.label, c.learners, c.reached, _percent(c.share), f"{c.mean_periods:.1f}",
                     *(_counts(c.levels[a]) for a in ASPECTS), confirmed])
    return rows


def _student_rows(students: Sequence[StudentRow]) -> list[list[Cell]]:
    return [[s.student, class_label(s.team), f"{s.periods:.1f}", f"{s.year_periods:.1f}",
             "✓" if s.reached else "", s.lessons_done,
             *(level_label(level) for level in s.levels), "✓" if s.confirmed else ""]
            for s in students]


def _reached_line(reached: int, total: int) -> str:
    share = _percent(reached / total if total else 0.0)
    return tr("{reached} of {total} students ({share}) have {required} class periods or more "
              "in the school year.").format(reached=reached, total=total, share=share,
                                     required=REQUIRED_PERIODS)


def _school_section(school: SchoolReport) -> str:
    aspects = [aspect_name(a) for a in ASPECTS]
    reached = reached_header()
    share_title = _share_title()
    about = tr("{classes} classes; mean class periods {periods}").format(
        classes=len(school.classes), periods=f"{school.mean_periods:.1f}")
    parts = [f"<section><h2>{_e(school.school)}</h2>",
             f'<p class="figure">{_e(_reached_line(school.reached, school.learners))}</p>',
             f'<p class="muted">{_e(about)}</p>']
    if school.classes:
        parts += [f"<h3>{_e(share_title)}</h3>", share_chart(school.classes),
                  f"<h3>{_e(tr('Competency levels of the students, by aspect'))}</h3>",
                  levels_chart(school.levels)]
    header = [tr("Class"), tr("Students"), reached, tr("Share"), tr("Mean class periods"), *aspects,
              tr("Confirmed by the teacher")]
    legend = tr("Competency columns: students at {levels}.").format(
        levels=" / ".join(level_label(n) for n in range(len(LEVELS) + 1)))
    parts += [f"<h3>{_e(tr('Classes'))}</h3>",
              _table(header, _class_rows(school.classes), (1, 2, 3, 4)),
              f'<p class="muted">{_e(legend)}</p>']
    header = [tr("Student number"), tr("Class"), tr("Class periods"),
              tr("Class periods this school year"), reached, tr("Lessons done"), *aspects,
              tr("Confirmed by the teacher")]
    students = tr("Students ({count})").format(count=school.learners)
    parts += [f"<details><summary>{_e(students)}</summary>",
              _table(header, _student_rows(school.students), (2, 3, 5)), "</details></section>"]
    return "".join(parts)


def render_html(report: DistrictReport) -> str:
    title, period = tr("AI education report"), report.period.label()
    lang = "zh-CN" if language() == "zh_CN" else "en"
    generated = tr("Generated {when} from {count} statements.").format(
        when=_when(report.generated), count=report.statements)
    parts = [f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
             '<meta name="viewport" content="width=device-width, initial-scale=1">'
             f"<title>{_e(title)} · {_e(period)}</title><style>{STYLE}</style></head><body>",
             f'<h1>{_e(title)}</h1><p class="figure">{_e(period)}</p>',
             f'<p class="muted">{_e(generated)}</p>']
    if len(report.schools) > 1:
        header = [tr("School"), tr("Classes"), tr("Students"),
                  reached_header(), tr("Share"),
                  tr("Mean class periods")]
        rows: list[list[Cell]] = [
            [s.school, len(s.classes), s.learners, s.reached, _percent(s.share),
             f"{s.mean_periods:.1f}"] for s in report.schools]
        parts += [f'<p class="figure">{_e(_reached_line(report.reached, report.learners))}</p>',
                  f"<h3>{_e(tr('Schools'))}</h3>", _table(header, rows, (1, 2, 3, 4, 5))]
    parts += [_school_section(school) for school in report.schools]
    parts.append("</body></html>\n")
    return "".join(parts)


def write_html(path: Path, report: DistrictReport) -> None:
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(render_html(report), encoding="utf-8")
    os.replace(temporary, path)


def write_report(path: Path, report: DistrictReport, fmt: str) -> None:
    """Write ``report`` as ``fmt`` (csv, xlsx or html); raises OSError if it cannot, and
    then leaves no half-written file (each writer writes ``NAME.part`` and renames it)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    try:
        if fmt == "csv":
            write_csv(path, student_table(report))
        elif fmt == "xlsx":
            write_xlsx(path, [school_table(report), class_table(report),
                              student_table(report)])
        else:
            write_html(path, report)
    except XlsxWriterException as error:  # it wraps the OSError of a file it cannot make
        _remove_part(path)
        cause = error.args[0] if error.args else None
        raise (cause if isinstance(cause, OSError) else OSError(str(error))) from error
    except OSError:
        _remove_part(path)
        raise


def _remove_part(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.with_name(path.name + ".part").unlink(missing_ok=True)

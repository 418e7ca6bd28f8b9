"""``classroom-hub report``: the district's figures from everything synced, as CSV, XLSX
and an HTML page that works offline.

The hub gets real statements: two demo classes' autumn, recorded through the app's own
code paths, a teacher's confirmation of one class's summary, and statements made with
the app's xAPI helpers for the cases the report must get right (eight class periods
reached, a move to another class, an older statement counted by its minutes, the night
before 1 September, a voided statement, a second school with a student number the first
one also has)."""

from __future__ import annotations

import csv
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import orjson
import pytest

from classroom_app.core import i18n, xapi
from classroom_app.core.context import open_context
from classroom_app.core.evaluation.class_report import class_report
from classroom_app.core.evaluation.facts import fact_from
from classroom_app.core.evaluation.judgements import confirm_summary
from classroom_app.core.evaluation.periods import Period
from classroom_app.core.evaluation.standing import evaluate
from classroom_app.core.i18n import tr
from classroom_app.core.lessons.model import ASPECTS, Lesson
from classroom_app.core.sample_school.year import generate
from classroom_app.hub import cli as hub_cli
from classroom_app.hub.lrs import Lrs
from classroom_app.hub.report import (
    ClassRow,
    DistrictReport,
    ReportError,
    SchoolReport,
    StudentRow,
    build_report,
    class_order,
)
from classroom_app.hub.report_files import render_html, write_report
from classroom_app.hub.statements import VOIDED
from classroom_app.hub.storage import HubStorage, open_storage

SCHOOL = "https://school.example.edu.cn/"
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
SCHOOL2 = "https://school2.example.edu.cn/"
START = date(2025, 9, 1)
YEAR = Period(2025)
KEEN, MOVER, EARLY, VOIDING = "2025990001", "2025990002", "2025990003", "2025990004"
LONER = "2025990009"
OTHER_CLASS = "七年级（1）班"


@dataclass
class District:
    database: Path
    statements: list[dict[str, Any]]  # everything stored, voided ones included
    voided: set[str]
    class_a: str
    class_b: str
    confirmed_students: set[str]


def _attended(home: str, number: str, lesson: Lesson, moment: datetime,
              team: str | None, older: bool = False) -> dict[str, Any]:
    """The whole lesson (45 minutes) attended, as the app records it; ``older`` as the
    app recorded it before statements carried the lesson's periods and steps done."""
    done = {xapi.STEPS_DONE_EXTENSION: [step.id for step in lesson.steps]}
    with xapi.clock(lambda: moment):
        statement = xapi.make_statement(
            xapi.actor(home, number), "attended", xapi.lesson_activity(lesson),
            xapi.context(lesson, str(uuid.uuid4()), False,
                         team_=xapi.team(home, team) if team else None),
            {"duration": xapi.duration(45 * 60), "extensions": done})
    made = orjson.loads(statement.text)
    if older:
        del made["result"]["extensions"]
        for key in (xapi.PERIODS_EXTENSION, xapi.STEP_COUNT_EXTENSION):
            del made["context"]["extensions"][key]
    return made


def _voiding(home: str, target: str) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "actor": xapi.actor(home, "teacher:王老师"),
            "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
            "object": {"objectType": "StatementRef", "id": target},
            "timestamp": "2025-12-01T02:00:00.000Z"}


def hand_made(lessons: list[Lesson], class_a: str, class_b: str
              ) -> tuple[list[dict[str, Any]], str]:
    """The cases, and the id of the statement voided."""
    def on(day: str, who: str, n: int, team: str | None, home: str = SCHOOL,
           older: bool = False) -> dict[str, Any]:
        return _attended(home, who, lessons[n], datetime.fromisoformat(f"{day}+00:00"), team,
                         older)

    made = [on(f"2025-10-{n + 1:02d}T02:00:00", KEEN, n, class_a) for n in range(8)]  # 8 课时
    made += [on(f"2025-10-{n + 20:02d}T02:00:00", MOVER, n, class_a) for n in range(3)]
    made += [on(f"2026-03-{n + 10:02d}T02:00:00", MOVER, n, class_b) for n in range(3, 5)]
    # 23:00 on 31 August and 07:30 on 1 September in Beijing: two school years.
    made += [on("2025-08-31T15:00:00", EARLY, 1, class_b),
             on("2025-08-31T23:30:00", EARLY, 2, class_b)]
    mistake = on("2025-11-04T02:00:00", VOIDING, 2, class_a)
    made += [on("2025-11-03T02:00:00", VOIDING, 1, class_a), mistake,
             _voiding(SCHOOL, mistake["id"])]
    made += [on("2025-10-08T02:00:00", KEEN, 1, OTHER_CLASS, SCHOOL2),
             on("2025-10-09T02:00:00", LONER, 2, None, SCHOOL2, older=True)]
    return made, mistake["id"]


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Iterator[District]:
    """The hub, built once: demo classes A and B, the hand-made cases, a confirmation."""
    folder = tmp_path_factory.mktemp("district")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLASSROOM_DATA_DIR", str(folder / "pc"))
        ctx = open_context()
        try:
            ctx.update_settings(school_home_page=SCHOOL)
            base = ctx.library.by_stage("primary")[0]
            a = generate(ctx, learners=6, days=50, start=START, seed=1)
            b = generate(ctx, learners=6, days=50, start=START, seed=2)
            summary = class_report(ctx.store, ctx.library, a.class_id, YEAR)
            confirm_summary(ctx.store, SCHOOL, "王老师", summary)
            confirmed = {learner.student_number for learner, _ in summary.rows}
            made = [orjson.loads(r["statement"]) for r in ctx.store.statements()]
        finally:
            ctx.close()
            i18n.set_language("zh_CN")
    lessons = [replace(base, id=f"hub-report-{n:02d}", minutes=45) for n in range(11)]
    cases, mistake = hand_made(lessons, a.class_name, b.class_name)
    made += cases
    database = folder / "hub.sqlite3"
    lrs = Lrs(HubStorage.sqlite(database))
    device = lrs.devices.add("District office", None).device
    for start in range(0, len(made), 2000):
        lrs.store_statements(made[start:start + 2000], device, max_batch=None)
    lrs.storage.close()
    yield District(database, made, {mistake}, a.class_name, b.class_name, confirmed)


@pytest.fixture
def storage(district: District) -> Iterator[HubStorage]:
    hub = HubStorage.sqlite(district.database)
    yield hub
    hub.close()


def expected(district: District, school: str, period: Period) -> dict[str, Any]:
    """What the evaluation gives for the statements of ``school`` not voided."""
    facts = [fact_from(s) for s in district.statements if s["id"] not in district.voided
             and s["actor"].get("account", {}).get("homePage") == school]
    return evaluate([f for f in facts if f is not None], period)


def school_of(report: DistrictReport, school: str) -> SchoolReport:
    return next(s for s in report.schools if s.school == school)


def student(report: DistrictReport, school: str, number: str) -> StudentRow:
    [row] = [r for r in school_of(report, school).students if r.student == number]
    return row


def class_of(report: DistrictReport, school: str, team: str) -> ClassRow:
    return next(c for c in school_of(report, school).classes if c.team == team)


@pytest.mark.parametrize("key", ["2025", "2025-autumn", "2025-spring"])
def test_figures_are_the_evaluations_own(district: District, storage: HubStorage,
                                         key: str) -> None:
    """Every student's class periods, levels and class, and each class's and school's counts
    and level distribution, are exactly what the evaluation gives for the same
    statements, school by school."""
    period = Period.parse(key)
    report = build_report(storage, period)
    assert [s.school for s in report.schools] == [SCHOOL, SCHOOL2]
    for school in report.schools:
        wanted = expected(district, school.school, period)
        assert [r.student for r in school.students] == sorted(
            wanted, key=lambda n: (class_order(wanted[n].team), n))
        for row in school.students:
            e = wanted[row.student]
            assert (row.team, row.lessons_done, row.reached) == (e.team, e.lessons_done,
                                                                 e.reached)
            assert row.periods == pytest.approx(e.periods)
            assert row.year_periods == pytest.approx(e.year_periods)
            assert row.levels == tuple(e.aspects[a].level for a in ASPECTS)
        assert school.learners == len(wanted)
        assert school.reached == sum(e.reached for e in wanted.values())
        teams = Counter(e.team for e in wanted.values())
        assert {c.team: c.learners for c in school.classes} == teams
        for c in school.classes:
            members = [e for e in wanted.values() if e.team == c.team]
            assert c.reached == sum(e.reached for e in members)
            assert c.mean_periods == pytest.approx(
                sum(e.periods for e in members) / len(members))
            for aspect in ASPECTS:
                levels = Counter(e.aspects[aspect].level for e in members)
                assert c.levels[aspect] == tuple(levels[n] for n in range(4))
        for aspect in ASPECTS:
            assert school.levels[aspect] == tuple(
                sum(c.levels[aspect][n] for c in school.classes) for n in range(4))
    assert report.statements > 0 and report.learners == sum(
        len(expected(district, s, period)) for s in (SCHOOL, SCHOOL2))


def test_the_share_reaching_eight_periods(district: District, storage: HubStorage) -> None:
    """A student with eight whole lessons has 8 class periods and counts as reached, in
    the class's and the school's share; the demo autumn alone does not reach eight."""
    report = build_report(storage, YEAR)
    keen = student(report, SCHOOL, KEEN)
    assert keen.reached and keen.year_periods == pytest.approx(8)
    a = class_of(report, SCHOOL, district.class_a)
    assert a.reached == 1 and a.share == pytest.approx(1 / a.learners)
    school = school_of(report, SCHOOL)
    assert school.reached == 1 and school.share == pytest.approx(1 / school.learners)
    assert report.share == pytest.approx(1 / report.learners)
    assert sum(sum(c) for c in school.levels.values()) == 4 * school.learners
    assert any(school.levels[a][0] < school.learners for a in ASPECTS)  # some evidence


def test_a_student_who_moved_class_counts_once_in_the_latest(district: District,
                                                              storage: HubStorage) -> None:
    """A student who moved from class A to B in spring is one row, in class B, with
    the periods of both classes; the autumn report also puts them in B (their class now)."""
    report = build_report(storage, YEAR)
    rows = [r for r in school_of(report, SCHOOL).students if r.student == MOVER]
    assert len(rows) == 1 and rows[0].team == district.class_b
    assert rows[0].year_periods == pytest.approx(5) and rows[0].lessons_done == 5
    autumn = student(build_report(storage, Period(2025, "autumn")), SCHOOL, MOVER)
    assert autumn.team == district.class_b and autumn.periods == pytest.approx(3)
    assert autumn.year_periods == pytest.approx(5)


def test_before_1_september_in_china_is_the_previous_year(storage: HubStorage) -> None:
    """23:00 on 31 August (Beijing) belongs to the year before, 07:30 on 1 September
    (still 31 August in UTC) to the new one."""
    assert student(build_report(storage, YEAR), SCHOOL, EARLY).year_periods == pytest.approx(1)
    before = build_report(storage, Period(2024))
    assert [r.student for r in school_of(before, SCHOOL).students] == [EARLY]
    assert school_of(before, SCHOOL).students[0].year_periods == pytest.approx(1)
    assert school_of(before, SCHOOL2).learners == 0


def test_voided_statements_are_ignored(district: District, storage: HubStorage) -> None:
    """A statement the school voided counts for nothing (it is still stored)."""
    [voided] = district.voided
    assert storage.run("SELECT voided FROM lrs_statements WHERE id = ?", (voided,)) == [(1,)]
    row = student(build_report(storage, YEAR), SCHOOL, VOIDING)
    assert row.year_periods == pytest.approx(1) and row.lessons_done == 1


def test_an_older_statement_counts_its_minutes_in_periods(storage: HubStorage) -> None:
    """A statement from before lessons carried their periods counts its 45 minutes in
    primary periods of 40 minutes, as the teacher's PC counts it."""
    row = student(build_report(storage, YEAR), SCHOOL2, LONER)
    assert row.year_periods == pytest.approx(45 / 40)


def test_schools_are_apart_and_one_school_can_be_chosen(storage: HubStorage) -> None:
    """The same student number in two schools is two students; ``school`` limits the
    report (with or without the final slash); a school without statements is refused."""
    report = build_report(storage, YEAR)
    assert student(report, SCHOOL, KEEN).year_periods == pytest.approx(8)
    assert student(report, SCHOOL2, KEEN).year_periods == pytest.approx(1)
    assert student(report, SCHOOL2, LONER).team == ""
    only = build_report(storage, YEAR, SCHOOL2.rstrip("/"))
    assert [s.school for s in only.schools] == [SCHOOL2]
    assert [c.team for c in only.schools[0].classes] == [OTHER_CLASS, ""]
    with pytest.raises(ReportError):
        build_report(storage, YEAR, "https://nowhere.example.edu.cn/")


def test_the_teachers_confirmation(district: District, storage: HubStorage) -> None:
    """Class A's summary was confirmed (after the school year, as teachers do): the class
    shows who confirmed it and when, and its students then in the summary are confirmed;
    one added later, and class B, are not. A term's report wants a term's confirmation."""
    report = build_report(storage, YEAR)
    a = class_of(report, SCHOOL, district.class_a)
    assert a.confirmation is not None and a.confirmation.teacher == "王老师"
    assert a.confirmation.when > datetime(2026, 1, 1, tzinfo=UTC)
    rows = {r.student: r.confirmed for r in school_of(report, SCHOOL).students
            if r.team == district.class_a}
    assert {n for n, done in rows.items() if done} == district.confirmed_students
    assert rows[KEEN] is False
    assert class_of(report, SCHOOL, district.class_b).confirmation is None
    autumn = build_report(storage, Period(2025, "autumn"))
    assert class_of(autumn, SCHOOL, district.class_a).confirmation is None


def test_xlsx_has_schools_classes_and_students(district: District, storage: HubStorage,
                                               tmp_path: Path) -> None:
    """Three sheets; Chinese class names intact; student numbers stay text (a number
    would lose leading zeros and show as 2.03E+09)."""
    report = build_report(storage, YEAR)
    path = tmp_path / "report.xlsx"
    write_report(path, report, "xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [tr("Schools"), tr("Classes"), tr("Student list")]
    schools = list(book.worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in schools[1:]] == [SCHOOL, SCHOOL2]
    classes = list(book.worksheets[1].iter_rows(values_only=True))
    assert {district.class_a, district.class_b, OTHER_CLASS} <= {r[1] for r in classes[1:]}
    students = list(book.worksheets[2].iter_rows(values_only=True))
    assert students[0][2] == "学号" and len(students) == report.learners + 1
    assert all(isinstance(r[2], str) for r in students[1:])
    assert (SCHOOL, district.class_a, KEEN) in {r[:3] for r in students[1:]}


def test_csv_is_the_student_table_for_excel(district: District, storage: HubStorage,
                                            tmp_path: Path) -> None:
    """UTF-8 with a byte-order mark (else Excel garbles Chinese), one row per student
    with the school and class."""
    report = build_report(storage, YEAR)
    path = tmp_path / "report.csv"
    write_report(path, report, "csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == [tr("School"), tr("Class"), "学号"] and len(rows) == report.learners + 1
    assert [SCHOOL, district.class_b, MOVER] in [r[:3] for r in rows]


EXTERNAL = re.compile(r"""(?:src|href|action|xlink:href)\s*=\s*["']?\s*(?:https?:)?//|"""
                      r"""url\(|@import|<script|<link|<img|<iframe""", re.IGNORECASE)


def test_html_is_one_offline_file_with_charts(district: District, storage: HubStorage,
                                              tmp_path: Path) -> None:
    """Charts as inline SVG and nothing fetched from elsewhere (no scripts, fonts, styles
    or images): it opens the same offline; Chinese unless asked for English."""
    report = build_report(storage, YEAR)
    path = tmp_path / "report.html"
    write_report(path, report, "html")
    page = path.read_text(encoding="utf-8")
    assert page.count("<svg") == 4  # two charts per school
    assert not EXTERNAL.search(page)
    assert all(name in page for name in (district.class_a, district.class_b, OTHER_CLASS))
    assert KEEN in page and YEAR.label() in page and 'lang="zh-CN"' in page
    with i18n.using("en"):
        english = render_html(report)
    assert "Share of students with 8 class periods or more" in english and "学号" not in english


def test_html_escapes_what_statements_say() -> None:
    """Class names and school addresses come from statements: markup in them is shown
    as text, never run."""
    levels = {a: (1, 0, 0, 0) for a in ASPECTS}
    row = StudentRow("<s>", "<script>alert(1)</script>", "1&2", 1.0, 1.0, False, 1,
                     (0, 0, 0, 0), False)
    team = ClassRow("<s>", row.team, 1, 0, 1.0, levels, None)
    school = SchoolReport('"><img src=x>', (team,), (row,), 1, 0, 1.0, levels, 1)
    page = render_html(DistrictReport(YEAR, datetime.now(UTC), (school,)))
    assert "<script>" not in page and "<img" not in page and "1&2" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "1&amp;2" in page


def test_cli_writes_each_format(district: District, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    """``classroom-hub report`` writes the file asked for (by default report-PERIOD.EXT
    here) and prints one summary line and where the file is."""
    base = ["--database", str(district.database), "report", "--period", "2025"]
    out = tmp_path / "district.xlsx"
    assert hub_cli.main([*base, "--format", "xlsx", "--output", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and str(out) in lines[1] and out.exists()
    monkeypatch.chdir(tmp_path)
    assert hub_cli.main(["--lang", "en", *base, "--school", SCHOOL2, "--format", "html"]) == 0
    summary = capsys.readouterr().out
    assert "schools: 1, classes: 2, students: 2, with 8 class periods or more: 0 (0%)" in summary
    page = (tmp_path / "report-2025-year.html").read_text(encoding="utf-8")
    assert OTHER_CLASS in page and SCHOOL not in page
    assert hub_cli.main([*base, "--format", "csv"]) == 0
    assert (tmp_path / "report-2025-year.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_cli_refuses_clearly(district: District, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    """A bad period, an unknown school and a file that cannot be written: one line
    saying so, exit code 1, no traceback, no file left half written."""
    base = ["--lang", "en", "--database", str(district.database), "report"]
    cases = [(["--period", "2025-winter", "--format", "csv"], "2025-winter"),
             (["--school", "https://nowhere.example.edu.cn/", "--format", "csv"],
              "nowhere.example.edu.cn"),
             (["--period", "2025", "--format", "html", "--output",
               str(tmp_path / "missing" / "report.html")], "Could not write"),
             (["--period", "2025", "--format", "xlsx", "--output", str(tmp_path)],
              "Could not write")]
    for extra, said in cases:
        assert hub_cli.main([*base, *extra]) == 1
        captured = capsys.readouterr()
        assert said in captured.err and "Traceback" not in captured.err
        assert captured.out == ""
    assert not (tmp_path / "missing").exists()
    assert not list(tmp_path.parent.glob("*.part"))


@pytest.mark.parametrize("hub_database", ["postgres"], indirect=True)
def test_postgres_gives_the_same_report(district: District, storage: HubStorage,
                                        hub_database: str) -> None:
    """A district hub on PostgreSQL reports exactly what one on SQLite does."""
    server = open_storage(hub_database)
    try:
        lrs = Lrs(server)
        device = lrs.devices.add("District office", None).device
        for start in range(0, len(district.statements), 2000):
            lrs.store_statements(district.statements[start:start + 2000], device,
                                 max_batch=None)
        for period in (YEAR, Period(2025, "spring")):
            assert build_report(server, period, now=NOW) == build_report(storage, period,
                                                                         now=NOW)
    finally:
        server.close()


def test_a_rating_made_after_the_year_counts_for_the_year(district: District,
                                                           tmp_path: Path) -> None:
    """A teacher rating last year's work in October: the hub reads the judgement
    although its time is in the new year, and places it by the period it names."""
    import shutil

    from classroom_app.core.evaluation.judgements import record_rating
    from classroom_app.core.store import ClassInfo, Learner, Store

    copy = tmp_path / "hub.sqlite3"
    shutil.copy(district.database, copy)
    store = Store(tmp_path / "pc.sqlite3")
    with xapi.clock(lambda: datetime(2026, 10, 8, 2, tzinfo=UTC)):
        record_rating(store, SCHOOL, "王老师", ClassInfo(1, district.class_a, "primary", 4),
                      YEAR, Learner(1, 1, KEEN, "甲"), "ai-system-design", 3)
    [rating] = [orjson.loads(r["statement"]) for r in store.statements()]
    store.close()
    lrs = Lrs(HubStorage.sqlite(copy))
    lrs.store_statements([rating], lrs.devices.add("PC", None).device, max_batch=None)
    report = build_report(lrs.storage, YEAR)
    design = ASPECTS.index("ai-system-design")
    assert student(report, SCHOOL, KEEN).levels[design] == 3
    lrs.storage.close()


HOSTILE = ["=1+1", '=HYPERLINK("http://x.example/","x")', "+SUM(1,1)", "@SUM(1,1)",
           "-2+3", "\t=1+1", "\r=1+1"]


def hostile_report() -> DistrictReport:
    """Any school device can name a class or a school: names made to run as formulas."""
    levels = {a: (1, 0, 0, 0) for a in ASPECTS}
    rows = tuple(StudentRow(f"https://school{n}.example/", name, name, -2.5, 1.0, False, 1,
                            (0, 0, 0, 0), False) for n, name in enumerate(HOSTILE))
    teams = tuple(ClassRow(r.school, r.team, 1, 0, 1.0, levels, None) for r in rows)
    school = SchoolReport(HOSTILE[0], teams, rows, len(rows), 0, 1.0, levels, 1)
    return DistrictReport(YEAR, datetime.now(UTC), (school,))


def test_csv_never_hands_excel_a_formula(tmp_path: Path) -> None:
    """Cells starting with =, +, -, @, tab or CR get a leading apostrophe; the hub's
    own numbers (here a negative one) stay numbers."""
    path = tmp_path / "report.csv"
    write_report(path, hostile_report(), "csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        _, *rows = list(csv.reader(f))
    assert [r[1] for r in rows] == ["'" + name for name in HOSTILE]
    assert [r[2] for r in rows] == ["'" + name for name in HOSTILE]
    assert {r[3] for r in rows} == {"-2.5"}


def test_xlsx_and_html_keep_hostile_names_as_text(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    write_report(path, hostile_report(), "xlsx")
    book = openpyxl.load_workbook(path)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row
             if c.value in HOSTILE]
    assert cells and all(c.data_type == "s" for c in cells)
    assert not [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row
                if c.data_type == "f"]
    page = render_html(hostile_report())
    assert "=HYPERLINK(&quot;http://x.example/&quot;,&quot;x&quot;)" in page

"""The ``classroom`` command line: lessons, classes, rosters and progress, without a GUI."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

from classroom_app.cli import hands as cli_hands
from classroom_app.cli import roster as cli_roster
from classroom_app.cli import sample_data as cli_sample_data
from classroom_app.cli import session as cli_session
from classroom_app.cli import sync as cli_sync
from classroom_app.cli import vision as cli_vision
from classroom_app.core import i18n, paths, school_address
from classroom_app.core.console import ends_quietly, prints_safely, table_lines
from classroom_app.core.context import AppContext, open_context
from classroom_app.core.demo_catalog import load_catalog
from classroom_app.core.evaluation.class_report import class_report
from classroom_app.core.evaluation.periods import Period
from classroom_app.core.evaluation.standing import REQUIRED_PERIODS
from classroom_app.core.i18n import pick, tr
from classroom_app.core.lessons.checking import check_packs
from classroom_app.core.lessons.importing import PackExistsError, PackImportError
from classroom_app.core.lessons.model import STAGE_GRADES, STAGES, stage_name
from classroom_app.core.store import StoreError


def _lessons_list(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.json:
        out = [{"id": lesson.id, "stage": lesson.stage, "grades": list(lesson.grades),
                "minutes": lesson.minutes, "title": lesson.title, "summary": lesson.summary,
                "competencies": list(lesson.competencies), "steps": len(lesson.steps),
                "shipped": lesson.shipped, "path": str(lesson.path)}
               for lesson in ctx.library.lessons]
        broken = [{"path": str(r.path), "problems": [str(p) for p in r.problems]}
                  for r in ctx.library.broken]
        print(json.dumps({"lessons": out, "broken": broken}, ensure_ascii=False, indent=2))
        return 0
    for stage in STAGES:
        print(f"{stage_name(stage)}")
        for lesson in ctx.library.by_stage(stage):
            print(f"  {lesson.id:32} {pick(lesson.title)} ({lesson.minutes} "
                  f"{tr('min')})")
    for result in ctx.library.broken:
        print(tr("Refused lesson pack {path}:").format(path=result.path), file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
    return 0


def _lessons_validate(args: argparse.Namespace) -> int:
    """Each pack at each path (a pack, a folder of packs or a .zip): OK or its problems."""
    demos = load_catalog().known()
    failed = 0
    for path in args.paths:
        for result in check_packs(Path(path), demos):
            if result.problems:
                failed += 1
                for problem in result.problems:
                    print(problem)
            else:
                print(tr("{path}: OK").format(path=result.path))
    return 1 if failed else 0


def _lessons_import(ctx: AppContext, args: argparse.Namespace) -> int:
    try:
        lesson = ctx.import_lesson(Path(args.path), replace=args.replace)
    except PackExistsError as error:
        print(error, file=sys.stderr)
        print(error.command_hint(Path(args.path)), file=sys.stderr)
        return 1
    except PackImportError as error:
        print(error, file=sys.stderr)
        return 1
    print(tr("Imported lesson '{title}' ({id}).").format(title=pick(lesson.title), id=lesson.id))
    return 0


def _classes(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.action == "add":
        created = ctx.store.add_class(args.name, args.stage, args.grade,
                                      date.today().isoformat())
        print(created.id)
        return 0
    rows = [asdict(c) for c in ctx.store.classes()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(f"{row['id']:4}  {row['name']}  {stage_name(row['stage'])}  {row['grade']}")
    return 0


def _progress(ctx: AppContext, args: argparse.Namespace) -> int:
    try:
        period = Period.parse(args.period) if args.period else Period.containing(date.today())
        report = class_report(ctx.store, ctx.library, args.class_id, period)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    except KeyError:
        print(tr("There is no class {id}.").format(id=args.class_id), file=sys.stderr)
        return 1
    rows = [{"student_number": learner.student_number, "name": learner.name,
             "periods": round(entry.periods, 2), "year_periods": round(entry.year_periods, 2),
             "required_periods": REQUIRED_PERIODS, "lessons_done": entry.lessons_done,
             "lessons": {t.lesson: {"periods": round(t.periods, 2), "done": t.done}
                         for t in entry.lessons},
             "levels": entry.levels()} for learner, entry in report.rows]
    if args.json:
        print(json.dumps({"period": period.key, "confirmed": report.confirmed,
                          "learners": rows}, ensure_ascii=False, indent=2))
    else:
        print(period.label())
        header = (tr("Student number"), tr("Name"), tr("Class periods this school year"),
                  tr("Lessons done"))
        cells = [(row["student_number"], row["name"],
                  f"{row['year_periods']:.1f} / {REQUIRED_PERIODS}", str(row["lessons_done"]))
                 for row in rows]
        for line in table_lines(header, cells, right=(2, 3)):
            print(line)
    return 0


def _school(ctx: AppContext, args: argparse.Namespace) -> int:
    """Show the school, or set its name and web address (re-addressing the records
    that never left this PC)."""
    if args.address:
        try:
            count = ctx.set_school(args.name or ctx.settings.school_name, args.address)
        except ValueError as error:
            print(error, file=sys.stderr)
            return 2
        print(tr("School web address saved. {count} records made on this PC before now "
                 "carry it.").format(count=count))
    elif args.name:
        ctx.update_settings(school_name=args.name.strip())
    address = ctx.settings.school_home_page
    print(tr("school: {name}").format(name=ctx.settings.school_name or tr("not set")))
    print(tr("web address: {address}").format(
        address=address if school_address.is_set(address) else tr("not set")))
    if not school_address.is_set(address):
        waiting = len(ctx.store.statements_on_this_pc())
        print(tr("{count} records wait on this PC for the address.").format(count=waiting))
    return 0


def _pin_reset(ctx: AppContext, args: argparse.Namespace) -> int:
    ctx.update_settings(teacher_pin_hash="")
    print(tr("The teacher PIN was removed; set a new one in the app."))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="classroom", description=tr("AI classroom toolkit"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=tr("language of the output"))
    sub = parser.add_subparsers(dest="command", required=True)
    lessons = sub.add_parser("lessons", help=tr("list, validate and import lesson packs"))
    lsub = lessons.add_subparsers(dest="action", required=True)
    listing = lsub.add_parser("list", help=tr("list the lesson packs found"))
    listing.add_argument("--json", action="store_true")
    validate = lsub.add_parser("validate", help=tr("check lesson packs and report problems"))
    validate.add_argument("paths", nargs="+")
    importing = lsub.add_parser("import", help=tr("import a lesson pack (folder or .zip)"))
    importing.add_argument("path")
    importing.add_argument("--replace", action="store_true")
    classes = sub.add_parser("classes", help=tr("list or add classes"))
    classes.add_argument("action", choices=["list", "add"], nargs="?", default="list")
    classes.add_argument("--name")
    classes.add_argument("--stage", choices=STAGES)
    classes.add_argument("--grade", type=int)
    classes.add_argument("--json", action="store_true")
    cli_roster.add_parser(sub)
    progress = sub.add_parser("progress", help=tr("show a class's progress"))
    progress.add_argument("class_id", type=int)
    progress.add_argument("--json", action="store_true")
    progress.add_argument("--period", help=tr("school year or term, e.g. 2026 or 2026-autumn "
                                              "(default: this school year)"))
    school = sub.add_parser("school", help=tr("show or set the school's name and web address"))
    school.add_argument("--name", help=tr("the school's name"))
    school.add_argument("--address", metavar="URL", help=tr(
        "the school's web address, e.g. https://www.school-name.edu.cn/ (records name "
        "pupils by it)"))
    pin = sub.add_parser("pin-reset", help=tr("remove the teacher PIN"))
    pin.set_defaults(action="reset")
    cli_vision.add_parsers(sub)
    cli_hands.add_parsers(sub)
    cli_sample_data.add_parsers(sub)
    cli_sync.add_parsers(sub)
    cli_session.add_parsers(sub)
    return parser


def _grade_problem(args: argparse.Namespace) -> str | None:
    """Why ``classes add`` cannot make this class, or None."""
    if not (args.name and args.stage and args.grade):
        return tr("classes add needs --name, --stage and --grade.")
    grades = STAGE_GRADES[args.stage]
    if args.grade not in grades:
        return tr("Grade {grade} is not in {stage}, which has grades {first} to {last}.").format(
            grade=args.grade, stage=stage_name(args.stage), first=grades[0], last=grades[-1])
    return None


@ends_quietly
@prints_safely
def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.lang:
        i18n.set_language(args.lang)
    if args.command in ("classify", "train"):
        return cli_vision.run(args)
    if args.command in cli_hands.COMMANDS:
        return cli_hands.run(args)
    if args.command in (cli_sample_data.COMMAND, *cli_sample_data.ALIASES):
        return cli_sample_data.run(args)
    if args.command == cli_session.COMMAND:
        return cli_session.run(args)
    if args.command == "lessons" and args.action == "validate":
        return _lessons_validate(args)
    if args.command == "classes" and args.action == "add" and (problem := _grade_problem(args)):
        print(problem, file=sys.stderr)
        return 2
    try:
        ctx = open_context(args.lang)
    except StoreError as error:
        print(tr("Cannot open the database {path}: {error}")
              .format(path=paths.database_path(), error=error), file=sys.stderr)
        return 1
    try:
        handlers = {"lessons": {"list": _lessons_list, "import": _lessons_import},
                    "classes": {"list": _classes, "add": _classes},
                    "roster": cli_roster.run, "progress": _progress, "pin-reset": _pin_reset,
                    "school": _school,
                    "sync": cli_sync.run}
        handler = handlers[args.command]
        if isinstance(handler, dict):
            handler = handler[args.action]
        return handler(ctx, args)
    except StoreError as error:  # a full disk: nothing of this command was saved
        print(error, file=sys.stderr)
        return 1
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())

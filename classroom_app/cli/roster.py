"""``classroom roster``: a class's pupils on the command line, as in the Classes page.

``roster CLASS`` lists them, ``roster CLASS FILE`` imports a roster file (.xlsx, CSV or
Excel's Unicode text, columns by header name), ``--add NUMBER NAME [--gender 男|女]``
and ``--remove NUMBER`` change one pupil. The checks are the window's
(:mod:`classroom_app.core.pupils`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from classroom_app.core.console import table_lines
from classroom_app.core.context import AppContext
from classroom_app.core.i18n import tr
from classroom_app.core.pupils import apply_roster, find_pupil, read_roster_file, save_pupil
from classroom_app.core.roster import RosterError, gender_name, normal_gender

COMMAND = "roster"


def add_parser(sub: argparse._SubParsersAction) -> None:
    roster = sub.add_parser(COMMAND, help=tr(
        "list a class's pupils, import a roster file, add or remove a pupil"))
    roster.add_argument("class_id", type=int)
    roster.add_argument("file", nargs="?", help=tr(
        "a roster to import: .xlsx, .csv or .txt with the columns 学号, 姓名 and "
        "optionally 性别 (any order), or two columns without a header"))
    roster.add_argument("--add", nargs=2, metavar=("NUMBER", "NAME"),
                        help=tr("add one pupil"))
    roster.add_argument("--gender", help=tr("with --add: 男 or 女"))
    roster.add_argument("--remove", metavar="NUMBER",
                        help=tr("remove a pupil and all of their progress on this PC"))
    roster.add_argument("--json", action="store_true", help=tr("list as JSON"))


def run(ctx: AppContext, args: argparse.Namespace) -> int:
    if ctx.store.get_class(args.class_id) is None:
        print(tr("There is no class {id}.").format(id=args.class_id), file=sys.stderr)
        return 1
    actions = [a for a in (args.file, args.add, args.remove) if a]
    if len(actions) > 1 or (args.gender and not args.add):
        print(tr("Give one of FILE, --add or --remove (--gender goes with --add)."),
              file=sys.stderr)
        return 2
    if args.file:
        return _import(ctx, args)
    if args.add:
        return _add(ctx, args)
    if args.remove:
        return _remove(ctx, args)
    return _list(ctx, args)


def _list(ctx: AppContext, args: argparse.Namespace) -> int:
    learners = ctx.store.learners(args.class_id)
    if args.json:
        print(json.dumps([{"student_number": x.student_number, "name": x.name,
                           "gender": x.gender} for x in learners], ensure_ascii=False,
                         indent=2))
        return 0
    rows = [(x.student_number, x.name, gender_name(x.gender)) for x in learners]
    for line in table_lines((tr("Student number"), tr("Name"), tr("Gender")), rows):
        print(line)
    return 0


def _import(ctx: AppContext, args: argparse.Namespace) -> int:
    try:
        roster = read_roster_file(Path(args.file))
    except RosterError as error:
        print(tr("The roster was not imported: {error}").format(error=error), file=sys.stderr)
        return 1
    result = apply_roster(ctx.store, args.class_id, roster)
    print(result.summary())
    if result.problems:
        print(tr("{count} rows were skipped:").format(count=len(result.problems)),
              file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
    return 1 if result.problems and not roster.rows else 0


def _add(ctx: AppContext, args: argparse.Namespace) -> int:
    number, name = args.add
    gender = normal_gender(args.gender or "")
    if gender is None:
        print(tr("'{gender}' is not a gender (男 or 女).").format(gender=args.gender),
              file=sys.stderr)
        return 2
    problem = save_pupil(ctx.store, args.class_id, number, name, gender)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    added = find_pupil(ctx.store, args.class_id, number)
    print(tr("Added {name} ({number}).").format(name=added.name if added else name,
                                                number=added.student_number if added
                                                else number))
    return 0


def _remove(ctx: AppContext, args: argparse.Namespace) -> int:
    learner = find_pupil(ctx.store, args.class_id, args.remove)
    if learner is None:
        print(tr("No pupil in this class has the student number {number}.")
              .format(number=args.remove), file=sys.stderr)
        return 1
    ctx.store.delete_learner(learner.id)
    print(tr("Removed {name} ({number}) and their progress on this PC.").format(
        name=learner.name, number=learner.student_number))
    return 0

"""``classroom sample-data`` (also ``demo-data``): a made-up school year of one class, to
try the app, show the evaluation and load sync."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from classroom_app.core import paths
from classroom_app.core.context import open_context
from classroom_app.core.i18n import tr
from classroom_app.core.lessons.model import STAGES
from classroom_app.core.sample_school.year import MAX_LEARNERS, SampleSchoolError, generate
from classroom_app.core.store import StoreError

COMMAND = "sample-data"
ALIASES = ("demo-data",)  # its name before the AI shelf took the word "demo"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            tr("not a date (YYYY-MM-DD): {text}").format(text=text)) from None


def add_parsers(sub: argparse._SubParsersAction) -> None:
    sample = sub.add_parser(COMMAND, aliases=list(ALIASES),
                            help=tr("fill the store with a made-up school year of one "
                                    "class's progress"))
    sample.add_argument("--learners", type=int, default=40,
                      help=tr("learners in the class (1 to {max}, default 40)")
                      .format(max=MAX_LEARNERS))
    sample.add_argument("--days", type=int, default=30,
                      help=tr("school days to simulate (default 30)"))
    sample.add_argument("--stage", choices=STAGES, default="primary",
                      help=tr("the stage whose lessons the class does (default primary)"))
    sample.add_argument("--start", type=_day, metavar="YYYY-MM-DD",
                      help=tr("first day (default: 1 September of the latest school year "
                              "in which the simulated days end before today)"))
    sample.add_argument("--seed", type=int, default=1,
                      help=tr("the same seed gives the same data (default 1)"))


def run(args: argparse.Namespace) -> int:
    try:
        ctx = open_context(getattr(args, "lang", None))
    except StoreError as error:
        print(tr("Cannot open the database {path}: {error}")
              .format(path=paths.database_path(), error=error), file=sys.stderr)
        return 1
    try:
        summary = generate(ctx, args.learners, args.days, args.stage, args.start, args.seed)
    except SampleSchoolError as error:
        print(error, file=sys.stderr)
        return 2
    finally:
        ctx.close()
    print(tr("Class {id} “{name}”: {learners} learners, {days} school days "
             "({first} to {last}), {statements} statements written.").format(
        id=summary.class_id, name=summary.class_name, learners=summary.learners,
        days=summary.days, first=summary.first_day, last=summary.last_day,
        statements=summary.statements))
    return 0

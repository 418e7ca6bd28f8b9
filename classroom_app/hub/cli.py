"""``classroom-hub``: run the LRS, enrol devices, import USB sync files, write reports."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path

from classroom_app.core import i18n, paths
from classroom_app.core.console import ends_quietly, prints_safely
from classroom_app.core.i18n import tr
from classroom_app.core.sync.keys import KeyFormatError
from classroom_app.core.sync.usb_file import SyncFileError
from classroom_app.hub.devices import DeviceError
from classroom_app.hub.lrs import HUB_HOME_PAGE, Lrs
from classroom_app.hub.storage import HubStorage, open_errors, open_storage

DATABASE_ENV = "CLASSROOM_HUB_DATABASE"
DEFAULT_PORT = 8380
ADDRESS_IN_USE = {errno.EADDRINUSE, 10048}  # 10048: WSAEADDRINUSE on Windows


def default_database() -> str:
    return os.environ.get(DATABASE_ENV) or str(paths.data_dir() / "hub.sqlite3")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="classroom-hub", description=tr(
        "The class, school or district hub: an xAPI LRS that receives progress"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=tr("language of the output"))
    parser.add_argument("--database", default=None, help=tr(
        "SQLite file or postgresql:// address (default: $CLASSROOM_HUB_DATABASE or "
        "hub.sqlite3 in the data folder)"))
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help=tr("answer xAPI requests over HTTP(S)"))
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--cert", type=Path, help=tr("TLS certificate (PEM)"))
    serve.add_argument("--key", type=Path, help=tr("TLS private key (PEM)"))
    serve.add_argument("--home-page", default=HUB_HOME_PAGE,
                       help=tr("the hub's home page, named in each statement's authority"))
    serve.add_argument("--verbose", action="store_true")
    device = sub.add_parser("device", help=tr("enrol, list and remove devices"))
    dsub = device.add_subparsers(dest="action", required=True)
    add = dsub.add_parser("add", help=tr("enrol a device and print its credentials"))
    add.add_argument("name")
    scope = add.add_mutually_exclusive_group(required=True)
    scope.add_argument("--school", help=tr("the school's home page (its learners only)"))
    scope.add_argument("--district", action="store_true",
                       help=tr("may read and write every school's statements"))
    add.add_argument("--public-key", help=tr("the device's key (classroom sync key prints it)"))
    dsub.add_parser("list", help=tr("list enrolled devices"))
    remove = dsub.add_parser("remove", help=tr("disable a device's credentials"))
    remove.add_argument("username")
    setkey = dsub.add_parser("key", help=tr("set a device's public key"))
    setkey.add_argument("username")
    setkey.add_argument("public_key")
    importing = sub.add_parser("import", help=tr("import a USB sync file, all or nothing"))
    importing.add_argument("file", type=Path)
    importing.add_argument("--receipt", type=Path, help=tr("where to write the receipt"))
    report = sub.add_parser("report", help=tr(
        "report on everything synced: per school, class and student"))
    report.add_argument("--school", help=tr("the school's home page (default: every school)"))
    report.add_argument("--period", help=tr(
        "school year or term, e.g. 2026 or 2026-autumn (default: this school year)"))
    report.add_argument("--format", choices=("csv", "xlsx", "html"), required=True,
                        help=tr("CSV: the students; XLSX: schools, classes and students; "
                                "HTML: a page with charts"))
    report.add_argument("--output", type=Path, help=tr(
        "the file to write (default: report-PERIOD.FORMAT in this folder)"))
    return parser


@ends_quietly
@prints_safely
def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.lang:
        i18n.set_language(args.lang)
    database = args.database or default_database()
    try:
        storage = open_storage(database)
    except open_errors(database) as error:
        print(tr("Cannot open the hub database {database}: {error}").format(
            database=database, error=error), file=sys.stderr)
        return 1
    try:
        if args.command == "report":
            return _report(storage, args)
        lrs = Lrs(storage, getattr(args, "home_page", HUB_HOME_PAGE))
        if args.command == "serve":
            return _serve(lrs, args)
        if args.command == "device":
            return _device(lrs, args)
        return _import(lrs, args)
    finally:
        storage.close()


def _serve(lrs: Lrs, args: argparse.Namespace) -> int:
    from classroom_app.hub.server import HubHttpServer

    try:
        server = HubHttpServer(lrs, args.host, args.port, verbose=args.verbose)
    except OSError as error:
        print(_listen_problem(args.host, args.port, error), file=sys.stderr)
        return 1
    if args.cert and args.key:
        server.use_tls(args.cert, args.key)
    elif args.host not in ("127.0.0.1", "localhost", "::1"):
        print(tr("Warning: without --cert and --key passwords cross the network "
                 "unencrypted; use TLS or a TLS proxy outside a trusted LAN."), file=sys.stderr)
    print(tr("classroom-hub is listening on {url}").format(url=server.url), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _listen_problem(host: str, port: int, error: OSError) -> str:
    if error.errno in ADDRESS_IN_USE:
        return tr("Port {port} is already in use on this PC: is classroom-hub (or the class "
                  "hub in the teacher's app) already running? Stop it, or choose another port "
                  "with --port.").format(port=port)
    return tr("Cannot listen on {address} port {port}: {error}").format(
        address=host, port=port, error=error.strerror or error)


def _device(lrs: Lrs, args: argparse.Namespace) -> int:
    try:
        if args.action == "add":
            enrolment = lrs.devices.add(args.name, None if args.district else args.school,
                                        args.public_key)
            # One item a line, all written before the note on stderr, so that the
            # note never lands among or before them when both go to one screen or file.
            print("\n".join((tr("username: {value}").format(value=enrolment.device.username),
                             tr("password: {value}").format(value=enrolment.password),
                             tr("hub key: {value}").format(value=enrolment.hub_key))),
                  flush=True)
            print(tr("Keep the password safe: it is shown only now."), file=sys.stderr)
        elif args.action == "list":
            for d in lrs.devices.all():
                scope = d.school or tr("district")
                state = tr("disabled") if d.disabled else ""
                print(f"{d.username}\t{d.name}\t{scope}\t{d.public_key or '-'}\t{state}")
        elif args.action == "remove":
            lrs.devices.remove(args.username)
        else:
            lrs.devices.set_public_key(args.username, args.public_key)
    except (DeviceError, KeyFormatError) as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def _import(lrs: Lrs, args: argparse.Namespace) -> int:
    from classroom_app.hub.usb_import import import_file

    try:
        result = import_file(lrs, args.file, args.receipt)
    except (SyncFileError, OSError) as error:
        print(tr("Refused: {reason}").format(reason=error), file=sys.stderr)
        return 1
    if result.already_imported:
        print(tr("{file} was already imported on {when}; nothing changed.").format(
            file=args.file.name, when=result.already_imported))
    else:
        print(tr("Imported {count} statements from {device} ({added} new).").format(
            count=result.statements, device=result.device, added=result.added))
    print(tr("Receipt: {path}").format(path=result.receipt))
    return 0


def _report(storage: HubStorage, args: argparse.Namespace) -> int:
    """Build the report and write it; a mistake is one line on stderr and exit code 1."""
    from classroom_app.core.evaluation.class_report import LibraryCatalog
    from classroom_app.core.evaluation.periods import Period
    from classroom_app.core.evaluation.standing import REQUIRED_PERIODS
    from classroom_app.core.lessons.library import load_library
    from classroom_app.hub.report import ReportError, build_report, default_period
    from classroom_app.hub.report_files import write_report

    try:
        period = Period.parse(args.period) if args.period else default_period()
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    # Statements carry their lesson's periods, planned length and competencies; the shipped
    # lessons stand in for older ones that do not, as on the teacher's PC.
    catalog = LibraryCatalog(load_library(paths.shipped_lessons_dir(), None, None))
    try:
        report = build_report(storage, period, args.school, catalog)
    except ReportError as error:
        print(error, file=sys.stderr)
        return 1
    output: Path = args.output or Path(f"report-{period.key}.{args.format}")
    try:
        write_report(output, report, args.format)
    except OSError as error:
        print(tr("Could not write {path}: {reason}").format(
            path=output, reason=error.strerror or error), file=sys.stderr)
        return 1
    print(tr("{period} — schools: {schools}, classes: {classes}, students: {learners}, "
             "with {required} class periods or more: {reached} ({share:.0%}).").format(
        period=period.label(), schools=len(report.schools), classes=report.classes,
        learners=report.learners, reached=report.reached, required=REQUIRED_PERIODS,
        share=report.share))
    print(tr("Report: {path}").format(path=output))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``classroom sync``: set up, push, export to and acknowledge from a USB stick."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from classroom_app.core.context import AppContext
from classroom_app.core.i18n import tr
from classroom_app.core.sync import keys
from classroom_app.core.sync.device import DeviceKeyError, load_identity
from classroom_app.core.sync.service import (
    NotConfigured,
    apply_usb_receipt,
    export_usb,
    push_outbox,
)
from classroom_app.core.sync.usb_file import SyncFileError


def add_parsers(sub: argparse._SubParsersAction) -> None:
    sync = sub.add_parser("sync", help=tr("send progress to the hub, or carry it on a USB "
                                          "stick"))
    ssub = sync.add_subparsers(dest="action", required=True)
    setup = ssub.add_parser("setup", help=tr("set the hub's address and this PC's "
                                             "credentials"))
    setup.add_argument("--endpoint", help=tr("the LRS address, e.g. https://hub:8380/xapi/"))
    setup.add_argument("--username")
    setup.add_argument("--password")
    setup.add_argument("--hub-key", help=tr("the hub's key, to check its receipts"))
    ssub.add_parser("key", help=tr("print this PC's device id and public key"))
    ssub.add_parser("status", help=tr("what is waiting, refused and when sync last "
                                      "succeeded"))
    push = ssub.add_parser("push", help=tr("send everything not yet acknowledged"))
    push.add_argument("--batch", type=int, default=1000)
    export = ssub.add_parser("export", help=tr("write everything not yet acknowledged into "
                                               "one signed file"))
    export.add_argument("file", type=Path)
    receipt = ssub.add_parser("receipt", help=tr("read the hub's receipt for a USB file"))
    receipt.add_argument("file", type=Path)
    ssub.add_parser("retry", help=tr("send refused statements again"))


def run(ctx: AppContext, args: argparse.Namespace) -> int:
    handlers = {"setup": _setup, "key": _key, "status": _status, "push": _push,
                "export": _export, "receipt": _receipt, "retry": _retry}
    try:
        return handlers[args.action](ctx, args)
    except (NotConfigured, DeviceKeyError, SyncFileError, keys.KeyFormatError,
            ValueError, OSError) as error:
        print(tr("Sync failed: {reason}").format(reason=error), file=sys.stderr)
        return 1


def _setup(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.hub_key:
        keys.parse_public_key(args.hub_key)
    changes = {name: value for name, value in (
        ("sync_endpoint", args.endpoint), ("sync_username", args.username),
        ("sync_password", args.password), ("sync_hub_key", args.hub_key)) if value}
    ctx.update_settings(**changes)
    print(tr("Sync settings saved."))
    return 0


def _key(ctx: AppContext, args: argparse.Namespace) -> int:
    identity = load_identity()
    print(tr("device: {value}").format(value=identity.device_id))
    print(tr("public key: {value}").format(value=identity.public_key))
    return 0


def _status(ctx: AppContext, args: argparse.Namespace) -> int:
    counts = ctx.store.outbox_counts()
    print(tr("hub: {value}").format(value=ctx.settings.sync_endpoint or tr("not set")))
    print(tr("waiting: {pending}, acknowledged: {acknowledged}, refused: {rejected}")
          .format(**counts))
    last = ctx.store.last_sync()
    print(tr("last synced: {value}").format(value=last["finished"] if last else tr("never")))
    for row in ctx.store.rejected_statements():
        print(tr("refused {id}: {reason}").format(id=row["id"], reason=row["rejected"]))
    return 0


class _Printer:
    def progress(self, done: int, total: int) -> None:
        print(tr("{done} of {total} sent").format(done=done, total=total), file=sys.stderr)

    def cancelled(self) -> bool:
        return False


def _push(ctx: AppContext, args: argparse.Namespace) -> int:
    report = push_outbox(ctx.store, ctx.settings, _Printer(), batch_size=args.batch)
    print(tr("{count} statements acknowledged, {rejected} refused, {remaining} still "
             "waiting.").format(count=report.acknowledged, rejected=len(report.rejected),
                                remaining=report.remaining))
    for statement_id, reason in report.rejected:
        print(tr("refused {id}: {reason}").format(id=statement_id, reason=reason),
              file=sys.stderr)
    if report.error:
        print(tr("Stopped: {reason}").format(reason=report.error), file=sys.stderr)
    return 0 if report.error is None else 1


def _export(ctx: AppContext, args: argparse.Namespace) -> int:
    summary = export_usb(ctx.store, ctx.settings, args.file)
    print(tr("{count} statements written to {path}.").format(count=summary.statements,
                                                             path=summary.path))
    return 0


def _receipt(ctx: AppContext, args: argparse.Namespace) -> int:
    count = apply_usb_receipt(ctx.store, ctx.settings, args.file)
    print(tr("The hub received the file: {count} statements acknowledged.").format(
        count=count))
    return 0


def _retry(ctx: AppContext, args: argparse.Namespace) -> int:
    count = ctx.store.retry_rejected()
    print(tr("{count} refused statements will be sent again.").format(count=count))
    return 0

"""Sync as the app and the command line use it: the configured LRS, push, USB files."""

from __future__ import annotations

from pathlib import Path

from classroom_app.core import school_address, xapi
from classroom_app.core.i18n import tr
from classroom_app.core.settings import Settings
from classroom_app.core.store import Store
from classroom_app.core.sync.device import load_identity
from classroom_app.core.sync.lrs_client import LrsClient
from classroom_app.core.sync.push import PushReport, PushState, push
from classroom_app.core.sync.usb_file import ExportSummary, apply_receipt, export_file


class NotConfigured(Exception):
    """No sync address or credentials yet."""


def require_address(settings: Settings) -> None:
    """Records leave only with the school's own web address in them."""
    if not school_address.is_set(settings.school_home_page):
        raise NotConfigured(tr("Set the school's web address first (Settings): records "
                               "name pupils by it. They are all kept until then."))


def client_for(settings: Settings) -> LrsClient:
    require_address(settings)
    if not settings.sync_endpoint:
        raise NotConfigured(tr("No hub address is set yet."))
    return LrsClient(settings.sync_endpoint, settings.sync_username, settings.sync_password)


def push_outbox(store: Store, settings: Settings, state: PushState | None = None,
                **options: object) -> PushReport:
    return push(store, client_for(settings), state, **options)


def export_usb(store: Store, settings: Settings, target: Path) -> ExportSummary:
    require_address(settings)
    return export_file(store, load_identity(), settings.school_home_page, target,
                       settings.school_name)


def apply_usb_receipt(store: Store, settings: Settings, path: Path) -> int:
    count = apply_receipt(store, path, settings.sync_hub_key)
    store.log_sync("usb", path.name, count, 0, store.outbox_counts()["pending"], None,
                   xapi.format_timestamp(xapi.now()))
    return count

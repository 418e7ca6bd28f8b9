"""The teacher's Sync page against a real hub on loopback: counts, Sync now with progress,
wrong credentials, a refused record sent again, the USB file and its receipt, and this
PC as the class hub (started by its checkbox, receiving a student PC's push and USB file
and passing them on through the outbox)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from classroom_app.core import i18n, xapi
from classroom_app.core.context import AppContext
from classroom_app.core.store import Store
from classroom_app.core.sync.device import load_identity
from classroom_app.core.sync.lrs_client import LrsClient
from classroom_app.core.sync.usb_file import export_file
from classroom_app.hub.devices import Enrolment
from classroom_app.hub.lrs import Lrs
from classroom_app.hub.server import HubHttpServer
from classroom_app.hub.storage import HubStorage
from classroom_app.hub.usb_import import import_file
from classroom_app.ui.sync.class_hub_panel import AddPcDialog
from classroom_app.ui.sync.view import SyncView

SCHOOL = "https://school.example.edu.cn/"
OTHER_SCHOOL = "https://other.example.edu.cn/"
WAIT = 10_000  # ms; each run below takes well under a second


@dataclass
class Hub:
    lrs: Lrs
    room: Enrolment
    server: HubHttpServer


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    """A separate real hub on loopback, with this school's room PC enrolled."""
    lrs = Lrs(HubStorage.sqlite(tmp_path / "hub.sqlite3"))
    room = lrs.devices.add("room", SCHOOL, load_identity().public_key)
    server = HubHttpServer(lrs).start()
    yield Hub(lrs, room, server)
    server.stop()


def record(ctx: AppContext, count: int, home_page: str = SCHOOL) -> None:
    """``count`` experiment records of three pupils, as the demos write them."""
    ctx.update_settings(school_home_page=home_page)
    classes = ctx.store.classes()
    info = classes[0] if classes else ctx.store.add_class("四(2)班", "primary", 4, "2026-09-01")
    if not classes:
        ctx.store.add_learners(info.id, [("20260401", "王小明"), ("20260402", "李华"),
                                         ("20260403", "张伟")])
    pupils = ctx.store.learners(info.id)
    with ctx.store.transaction():
        for n in range(count):
            result = xapi.experiment_result(["猫", "狗"], [6, 6], 4, 0.75)
            ctx.progress.record_experiment(pupils[n % 3].id, "teach_the_computer",
                                           {"zh_CN": "教计算机认图片", "en": "Teach the computer"},
                                           result)
    ctx.update_settings(school_home_page=SCHOOL)


def connect(ctx: AppContext, hub: Hub, password: str | None = None) -> None:
    ctx.update_settings(sync_endpoint=hub.server.url, sync_username=hub.room.device.username,
                        sync_password=password or hub.room.password, sync_hub_key=hub.room.hub_key)


def open_sync(window) -> SyncView:
    window.nav["sync"].click()
    view = window.stack.currentWidget()
    assert isinstance(view, SyncView)
    return view


def sync(window, view: SyncView, qtbot) -> None:
    with qtbot.waitSignal(window.sync.push_finished, timeout=WAIT):
        view.sync_button.click()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def counts(view: SyncView) -> list[str]:
    return [view.counts[key].text() for key in ("pending", "acknowledged", "rejected")]


def test_the_page_shows_what_waits_and_needs_an_address_to_sync(make_window, ctx) -> None:
    """The teacher sees the counts, "never", and why Sync now is disabled."""
    record(ctx, 12)
    view = open_sync(make_window(teacher=True))
    assert counts(view) == ["12", "0", "0"]
    assert view.last_synced.text() == i18n.tr("Last synced: never")
    assert not view.sync_button.isEnabled() and view.hint.isVisible()
    assert view.device_key.text() == load_identity().public_key
    view.address.setText("192.168.1.20:8380")
    view.save_settings()
    assert view.settings_message.text() == i18n.tr(
        "The hub address must start with http:// or https://.")
    assert not ctx.settings.sync_endpoint


def test_sync_now_sends_everything_with_progress(make_window, ctx, hub, qtbot) -> None:
    """Sync now runs in a worker, shows progress, and updates the status after."""
    record(ctx, 600)
    window = make_window(teacher=True)
    view = open_sync(window)
    view.address.setText(hub.server.url)
    view.username.setText(hub.room.device.username)
    view.password.setText(hub.room.password)
    view.save_settings()
    assert view.sync_button.isEnabled() and not view.hint.isVisible()
    seen: list[tuple[int, int]] = []
    window.sync.progressed.connect(lambda done, total: seen.append((done, total)))
    sync(window, view, qtbot)
    assert seen[0] == (0, 600) and seen[-1] == (600, 600) and len(seen) >= 3
    assert (view.progress.value(), view.progress.maximum()) == (600, 600)
    assert counts(view) == ["0", "600", "0"]
    assert hub.lrs.storage.count() == 600
    assert i18n.tr("Last synced: never") != view.last_synced.text()
    assert view.summary.text() == i18n.tr("{sent} sent, {refused} refused, {waiting} waiting.") \
        .format(sent=600, refused=0, waiting=0)
    assert not view.cancel_button.isVisible()


def test_a_wrong_password_is_explained_and_nothing_leaves(make_window, ctx, hub, qtbot) -> None:
    record(ctx, 5)
    connect(ctx, hub, password="not-the-password")
    window = make_window(teacher=True)
    view = open_sync(window)
    sync(window, view, qtbot)
    words = i18n.tr("The hub did not accept this PC's username or password.")
    assert words in view.summary.text() and not view.last_error.isVisible()
    assert counts(view) == ["5", "0", "0"]
    again = open_sync(window)  # a fresh page still tells what went wrong last time
    assert words in again.last_error.text() and again.last_error.isVisible()
    assert again.last_synced.text() == i18n.tr("Last synced: never")


def test_cancel_stops_a_sync_waiting_for_an_absent_hub(make_window, ctx, qtbot) -> None:
    """Without Cancel the run would retry for about 15 s; Cancel ends it at once."""
    record(ctx, 3)
    ctx.update_settings(sync_endpoint=f"http://127.0.0.1:{free_port()}/xapi/",
                        sync_username="x", sync_password="y")
    window = make_window(teacher=True)
    view = open_sync(window)
    view.sync_button.click()
    assert view.cancel_button.isVisible() and not view.sync_button.isEnabled()
    with qtbot.waitSignal(window.sync.push_finished, timeout=3000):
        view.cancel_button.click()
    # Stopped between batches, or while waiting to retry: either way, said so.
    assert any(words in view.summary.text() for words in (
        i18n.tr("Stopped before the end; the rest waits for the next sync."),
        i18n.tr("The hub did not answer: is it switched on, and is this PC on its network?")))
    assert counts(view) == ["3", "0", "0"] and view.sync_button.isEnabled()


def test_a_refused_record_is_listed_and_can_be_sent_again(make_window, ctx, hub,
                                                         qtbot) -> None:
    """A record the hub refuses (another school's pupil) is shown, kept, and reset."""
    record(ctx, 4)
    record(ctx, 1, home_page=OTHER_SCHOOL)
    connect(ctx, hub)
    window = make_window(teacher=True)
    view = open_sync(window)
    sync(window, view, qtbot)
    assert counts(view) == ["0", "4", "1"]
    assert view.refused.rowCount() == 1
    who, what, when, why = (view.refused.item(0, c).text() for c in range(4))
    assert who == "王小明 (20260401)"
    assert what == i18n.tr("{verb}: {activity}").format(verb=i18n.tr("completed"),
                                                        activity="教计算机认图片")
    assert when[:2] == "20"
    assert why == i18n.tr("The hub does not accept records of this school from this PC: "
                          "check the school web address in Settings.")
    assert "403" in view.refused.item(0, 3).toolTip()
    view.retry_button.click()
    assert view.refused.rowCount() == 0 and not view.retry_button.isEnabled()
    assert ctx.store.outbox_counts() == {"pending": 1, "acknowledged": 4, "rejected": 0}


def test_export_to_a_usb_file_then_read_the_hubs_receipt(make_window, ctx, hub, qtbot,
                                                        tmp_path: Path) -> None:
    record(ctx, 20)
    connect(ctx, hub)
    window = make_window(teacher=True)
    view = open_sync(window)
    with qtbot.waitSignal(window.sync.failed, timeout=WAIT):
        view.export_to(tmp_path / "unplugged" / "x.xapisync")
    assert view.usb_message.text().startswith(
        i18n.tr("The USB file was not written: {reason}").split("{")[0])
    (tmp_path / "usb").mkdir()
    with qtbot.waitSignal(window.sync.export_finished, timeout=WAIT):
        assert view.export_to(tmp_path / "usb" / "四(2)班")  # the suffix is added
    target = tmp_path / "usb" / "四(2)班.xapisync"
    assert str(target) in view.usb_message.text() and "20" in view.usb_message.text()
    result = import_file(hub.lrs, target)
    assert (result.statements, result.added) == (20, 20)
    assert view.read_receipt(result.receipt) == i18n.tr("The hub confirmed {count} records.") \
        .format(count=20)
    assert counts(view) == ["0", "20", "0"]
    assert view.read_receipt(target).startswith(i18n.tr("This receipt was not used: {reason}")
                                                .split("{")[0])


def test_the_class_hub_receives_a_student_pc_and_passes_it_on(make_window, ctx, qtbot,
                                                              on_modal) -> None:
    """Checkbox on: a PC enrolled through the dialog pushes; the record reaches the
    outbox; checkbox off stops the hub; the PC can be removed."""
    ctx.update_settings(school_home_page=SCHOOL, class_hub_port=free_port())
    window = make_window(teacher=True)
    panel = open_sync(window).hub_panel
    hub = window.class_hub
    panel.enabled.click()
    qtbot.waitUntil(lambda: hub.running, timeout=WAIT)
    assert ctx.settings.class_hub_enabled
    assert f":{ctx.settings.class_hub_port}/xapi/" in panel.status.text()
    given: dict[str, str] = {}

    def enrol(dialog: AddPcDialog) -> None:
        dialog.name.setText("第3排 12号机")
        dialog.add()
        given.update({key: field.text() for key, field in dialog.fields.items()})
        dialog.accept()

    on_modal(enrol)
    panel.add_button.click()
    assert given["school"] == SCHOOL and given["hub_key"].startswith("ed25519:")
    assert panel.devices.count() == 1 and "第3排 12号机" in panel.devices.item(0).text()
    statement = xapi.make_statement(xapi.actor(SCHOOL, "20260405"), "completed",
                                    xapi.experiment_activity("teach_the_computer", {"en": "T"}),
                                    xapi.demo_context("9f0c7f4e-2d7e-4a55-9f3e-5d0c0a1b2c3d",
                                                      "primary", None))
    client = LrsClient(f"http://127.0.0.1:{hub.port}/xapi/", given["username"],
                       given["password"])
    try:
        assert client.put_statement(statement.id, statement.text.encode()).status == 204
    finally:
        client.close()
    assert [r["id"] for r in ctx.store.statements(unsent_only=True)] == [statement.id]
    panel.enabled.click()
    qtbot.waitUntil(lambda: not hub.running and not hub.busy, timeout=WAIT)
    assert not ctx.settings.class_hub_enabled

    def confirm(box) -> None:
        next(b for b in box.buttons() if b.text() == i18n.tr("Remove")).click()

    panel.devices.setCurrentRow(0)
    on_modal(confirm)
    panel.remove_button.click()
    assert panel.devices.count() == 0


def test_the_class_hub_imports_a_student_pcs_usb_file(make_window, ctx, qtbot,
                                                      tmp_path: Path) -> None:
    """A student PC's signed file, imported by the class hub, lands in the outbox."""
    ctx.update_settings(school_home_page=SCHOOL)
    student_dir = tmp_path / "student"
    student_dir.mkdir()
    student = Store(student_dir / "classroom.sqlite3")
    identity = load_identity(student_dir)
    with student.transaction():
        for n in range(3):
            made = xapi.make_statement(xapi.actor(SCHOOL, f"2026050{n}"), "completed",
                                       xapi.experiment_activity("teach_the_computer",
                                                                {"en": "T"}),
                                       xapi.demo_context("9f0c7f4e-2d7e-4a55-9f3e-5d0c0a1b2c3d",
                                                         "primary", None))
            student.append_statement(made.id, made.text, made.timestamp)
    usb = export_file(student, identity, SCHOOL, tmp_path / "pc12.xapisync").path
    student.close()
    window = make_window(teacher=True)
    view = open_sync(window)
    panel, hub = view.hub_panel, window.class_hub
    panel.import_usb(usb)  # from a PC not enrolled yet: refused, with the reason
    qtbot.waitUntil(lambda: not hub.busy, timeout=WAIT)
    assert "没有在这里登记" in panel.message.text()  # the reason, in the UI's language
    hub.enrol("PC 12", identity.public_key)
    with qtbot.waitSignal(hub.imported, timeout=WAIT):
        panel.import_usb(usb)
    receipt = tmp_path / "pc12.receipt.json"
    assert panel.message.text() == i18n.tr(
        "{count} records imported ({new} new); receipt written to {path}. Give the receipt "
        "back to that PC: it reads it under Sync → Read receipt…").format(count=3, new=3,
                                                                          path=receipt)
    assert receipt.exists()
    assert ctx.store.outbox_counts()["pending"] == 3
    assert view.counts["pending"].text() == "3"


def test_a_port_in_use_is_explained(make_window, ctx, qtbot) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ctx.update_settings(class_hub_port=port)
        window = make_window(teacher=True)
        panel = open_sync(window).hub_panel
        with qtbot.waitSignal(window.class_hub.failed, timeout=WAIT):
            panel.enabled.click()
    assert str(port) in panel.error.text() and panel.error.isVisible()
    assert not panel.enabled.isChecked() and not ctx.settings.class_hub_enabled


def test_the_class_hub_starts_with_the_window_and_stops_with_it(make_window, ctx,
                                                                qtbot) -> None:
    ctx.update_settings(class_hub_enabled=True, class_hub_port=free_port())
    window = make_window(teacher=True)
    hub = window.class_hub
    qtbot.waitUntil(lambda: hub.running, timeout=WAIT)
    port = hub.port
    window.close()
    assert not hub.running
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0

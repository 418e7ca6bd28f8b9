"""The first run sets the school up (name, web address or "offline", PIN, language),
and records refused for an old address are explained and fixed on the Sync page."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from test_sync_view import SCHOOL, connect, hub, open_sync, record, sync  # noqa: F401

from classroom_app.core import school_address
from classroom_app.core.pin import verify_pin
from classroom_app.ui.setup_dialog import SetupDialog


def test_first_run_takes_the_school_address_pin_and_language(make_window, on_modal, ctx,
                                                             qtbot) -> None:
    """The placeholder is only a hint; a made-up address is refused with a reason; the
    school, the PIN and English are saved, and the window speaks English."""
    window = make_window()
    seen = {}

    def fill(dialog: SetupDialog) -> None:
        dialog.language.setCurrentIndex(dialog.language.findData("en"))
        seen["title"] = dialog.windowTitle()
        dialog.school.setText("北京市实验小学")
        dialog.finish()
        seen["empty"] = dialog.error.text()
        dialog.address.setText("https://school.invalid/")
        dialog.finish()
        seen["invalid"] = dialog.error.text()
        dialog.address.setText("https://www.bjsyxx.edu.cn/")
        dialog.pin.setText("2580")
        dialog.repeat.setText("2580")
        dialog.finish()

    on_modal(fill)
    window.first_run()
    assert seen["title"] == "Setting up AI Classroom"
    assert "We are offline" in seen["empty"] and "not a real web address" in seen["invalid"]
    assert ctx.settings.school_home_page == "https://www.bjsyxx.edu.cn/"
    assert ctx.settings.school_name == "北京市实验小学"
    assert verify_pin("2580", ctx.settings.teacher_pin_hash)
    assert window.nav["home"].text() == "Lessons"


def test_offline_first_run_leaves_the_address_unset_and_records_wait(make_window, on_modal,
                                                                     ctx, qtbot) -> None:
    """"We are offline" saves no address at all; lessons recorded then carry the
    marker, and setting the address later in Settings says how many got it."""
    window = make_window()

    def offline(dialog: SetupDialog) -> None:
        dialog.school.setText("山区小学")
        dialog.offline.setChecked(True)
        dialog.pin.setText("1357")
        dialog.repeat.setText("1357")
        dialog.finish()

    on_modal(offline)
    window.first_run()
    assert ctx.settings.school_home_page == "" and ctx.settings.teacher_pin_hash
    record(ctx, 5, school_address.UNADDRESSED)
    ctx.update_settings(school_home_page="")
    told = []

    def set_address(dialog) -> None:
        dialog.home_page.setText("https://www.shanqu.edu.cn/")
        on_modal(lambda box: (told.append(box.text()), box.accept()), kind=QMessageBox)
        dialog.save()

    window.teacher_unlocked = True
    on_modal(set_address)
    window.open_settings()  # the records get the address on a worker, then it is said
    qtbot.waitUntil(lambda: bool(told), timeout=10000)
    assert "5" in told[0] and "https://www.shanqu.edu.cn/" in told[0]
    assert all(school_address.readdressed(row["statement"], "https://www.shanqu.edu.cn/")
               is None for row in ctx.store.statements())


def test_the_sync_page_explains_and_fixes_records_refused_for_an_old_address(
        make_window, ctx, hub, qtbot) -> None:  # noqa: F811 - the hub fixture
    """Records made under another address are refused by the hub; the page says why in
    plain words, one click gives them the school's address, and they all arrive."""
    record(ctx, 4, "https://old-address.example.edu.cn/")
    record(ctx, 2)
    connect(ctx, hub)
    window = make_window(teacher=True)
    view = open_sync(window)
    sync(window, view, qtbot)
    assert view.counts["rejected"].text() == "4"
    assert view.address_note.isVisibleTo(view) and "4" in view.address_note.text()
    assert view.readdress_button.isVisibleTo(view) and SCHOOL in view.readdress_button.text()
    with qtbot.waitSignal(window.sync.readdressed, timeout=10000) as done:
        window.sync.push()  # a sync running: the fix waits for it, then runs
        view.readdress_button.click()
    assert done.args == [4, SCHOOL] and "4" in view.summary.text()
    sync(window, view, qtbot)
    assert [view.counts[k].text() for k in ("pending", "acknowledged", "rejected")] == [
        "0", "6", "0"]
    assert not view.address_note.isVisibleTo(view)

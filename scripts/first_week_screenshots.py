"""Screenshots of a teacher's first week, on the screen Xvfb gives, for review:

    xvfb-run -a -s "-screen 0 1024x768x24" \
        .venv/bin/python scripts/first_week_screenshots.py OUT [--lang=en]

The first-run setup, the home page for a pupil and for the teacher, the projector on a
long step and a quiz, leaving mid-lesson, the attendance grid, the demo shelf, the Sync
page explaining records refused for an old address, and Qt's own file dialog. Uses a
throw-away data directory and a hub on loopback.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("CLASSROOM_DATA_DIR", tempfile.mkdtemp(prefix="classroom-week-"))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox  # noqa: E402
from shots import arguments, settle, shoot, start_app  # noqa: E402

from classroom_app.app import build_main_window  # noqa: E402
from classroom_app.core.context import open_context  # noqa: E402
from classroom_app.core.sample_school.year import generate  # noqa: E402
from classroom_app.core.sync.device import load_identity  # noqa: E402
from classroom_app.core.sync.service import push_outbox  # noqa: E402
from classroom_app.hub.lrs import Lrs  # noqa: E402
from classroom_app.hub.server import HubHttpServer  # noqa: E402
from classroom_app.hub.storage import HubStorage  # noqa: E402
from classroom_app.ui.evaluation.attendance_dialog import AttendanceDialog  # noqa: E402
from classroom_app.ui.setup_dialog import SetupDialog  # noqa: E402

SCHOOL = "https://www.sy.edu.cn/"


def refused_for_an_old_address(ctx) -> HubHttpServer:
    """A hub that refused 6 records made before the school's address was set."""
    lrs = Lrs(HubStorage.sqlite(Path(tempfile.mkdtemp(prefix="week-hub-")) / "hub.sqlite3"))
    room = lrs.devices.add("Room 3", SCHOOL, load_identity().public_key)
    server = HubHttpServer(lrs).start()
    ctx.update_settings(school_home_page="https://old.sy.edu.cn/", sync_endpoint=server.url,
                        sync_username=room.device.username, sync_password=room.password)
    info = ctx.store.classes()[0]
    lesson = ctx.library.get("p3-ai-around-us")
    for learner in ctx.store.learners(info.id)[:6]:
        attempt = ctx.progress.open_attempt(lesson, info.id, learner.id)
        ctx.progress.complete_step(attempt, lesson, lesson.steps[0], 300)
    ctx.update_settings(school_home_page=SCHOOL)
    push_outbox(ctx.store, ctx.settings)
    return server


def run(out: Path, ctx, lang: str) -> None:
    ctx.update_settings(language=lang)
    setup = SetupDialog(ctx)
    setup.show()
    shoot(setup, out / f"setup_{lang}.png")
    setup.close()
    window = build_main_window(ctx)
    window.show()
    shoot(window, out / f"home_pupil_{lang}.png")
    window.teacher_unlocked = True
    shoot(window, out / f"home_teacher_{lang}.png")
    window.show_demos()
    shoot(window, out / f"demo_shelf_{lang}.png")
    window.teacher_page("sync")
    shoot(window, out / f"sync_refused_{lang}.png")
    info = ctx.store.classes()[0]
    window.present_lesson(ctx.library.get("p1-how-computers-see"), info)
    player = window.player
    for index, step in enumerate(player.lesson.steps):
        player.go_to(index)
        shoot(window.projector, out / f"projector_{index + 1}_{step.type}_{lang}.png")
    QTimer.singleShot(600, lambda: shoot_modal(out / f"leave_{lang}.png", True))
    player.leave()
    learners = ctx.store.learners(info.id)
    grid = AttendanceDialog(learners, 38, 6, 8, window.projector)
    grid.show()
    settle()
    list(grid.tiles.values())[3].click()
    shoot(window.projector, out / f"attendance_{lang}.png")
    grid.done(0)
    window.projector.close()
    files = QFileDialog(window, "")
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    files.setWindowTitle(window.windowTitle())
    files.show()
    shoot(files, out / f"file_dialog_{lang}.png")
    files.close()
    window.close()


def shoot_modal(path: Path, stay: bool) -> None:
    box = QApplication.activeModalWidget()
    if box is None:
        return
    screen = QApplication.primaryScreen()
    screen.grabWindow(0).save(str(path))
    print(path)
    if isinstance(box, QMessageBox) and stay:
        box.escapeButton().click()


def main() -> None:
    out, options = arguments()
    langs = options.get("lang", ["zh_CN"])
    start_app()
    ctx = open_context()
    ctx.update_settings(school_name="北京市实验小学")
    generate(ctx, learners=40, days=20, stage="primary", start=date(2026, 9, 1))
    hub = refused_for_an_old_address(ctx)
    for lang in langs:
        run(out, ctx, lang)
    hub.stop()
    ctx.close()


if __name__ == "__main__":
    main()

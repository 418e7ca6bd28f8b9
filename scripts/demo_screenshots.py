"""Screenshots of the demo windows on a classroom screen, for review: run under Xvfb,

    xvfb-run -a -s "-screen 0 1024x768x24" .venv/bin/python scripts/demo_screenshots.py OUT

The demo shelf, the no-camera panel of a hand demo and of the face demo (this PC's
camera is looked for as in a classroom: without one, the panel shows), the hand demo
on its sample clip, the detailed classify view, and the teach window with four classes
collected from folders and trained, in Chinese (the teach window in English too), and
the face demo opened from the projector. Uses a throw-away data directory.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("CLASSROOM_DATA_DIR", tempfile.mkdtemp(prefix="classroom-demo-shots-"))

from shots import settle, shoot, start_app, teacher_window  # noqa: E402

from classroom_app.core import paths  # noqa: E402
from classroom_app.core.context import open_context  # noqa: E402
from classroom_app.core.vision.sources import SourceSpec  # noqa: E402
from classroom_app.ui.main_window import MainWindow  # noqa: E402

HANDS = paths.sample_images_dir() / "hands"


def wait_until(test, ms: int = 30000) -> None:  # noqa: ANN001 - a callable
    waited = 0
    while not test() and waited < ms:
        settle(100)
        waited += 100


def teach_window(window: MainWindow, out: Path, language: str) -> None:
    names = ["张开手", "比耶", "握拳", "竖大拇指"] if language == "zh_CN" else \
        ["open hand", "victory", "fist", "thumb up"]
    demo = window.open_demo("teach_the_computer", {"classes": names})
    view = demo.view
    view.new_project(ask=False)  # the classes above, also when a project exists
    wait_until(demo.showing_panel, 5000)
    shoot(demo, out / f"teach_no_camera_{language}.png", screen=True)
    demo.panel.continue_button.click()
    added: list[int] = []
    view.folder_added.connect(lambda index, _: added.append(index))
    for index, folder in enumerate(("open_palm", "victory", "fist", "thumb_up")):
        view.add_folder(index, HANDS / folder)
        wait_until(lambda i=index: i in added)
    trained = []
    view.trained.connect(trained.append)
    view.train_button.click()
    wait_until(lambda: trained)
    demo.start(SourceSpec("video", str(HANDS / "gestures.mp4")))
    settle(2500)
    shoot(demo, out / f"teach_four_classes_{language}.png", screen=True)
    demo.close()


def run(out: Path, language: str, ctx) -> None:
    ctx.update_settings(language=language)
    window = teacher_window(ctx, 1000, 720)
    window.show_demos()
    shoot(window, out / f"demo_shelf_{language}.png", screen=True)
    teach_window(window, out, language)
    if language == "en":
        window.close()
        return
    for demo_id in ("hand_tracking", "face_detection"):
        demo = window.open_demo(demo_id)
        wait_until(demo.showing_panel, 5000)
        shoot(demo, out / f"{demo_id}_no_camera_{language}.png", screen=True)
        demo.panel.sample_button.click()
        settle(4000)
        shoot(demo, out / f"{demo_id}_samples_{language}.png", screen=True)
        demo.close()
    demo = window.open_demo("image_classification", {"view": "detailed"})
    demo.start(SourceSpec("images", str(paths.sample_images_dir() / "coffee.jpg")))
    settle(2500)
    shoot(demo, out / f"classify_detailed_{language}.png", screen=True)
    demo.close()
    info = ctx.store.add_class("四(2)班", "primary", 4, "2026-09-01")
    window.present_lesson(ctx.library.get("p1-how-computers-see"), info)
    demo = window.open_demo("teach_gestures")
    wait_until(demo.showing_panel, 5000)
    demo.panel.sample_button.click()
    settle(3000)
    shoot(demo, out / f"teach_gestures_projector_{language}.png", screen=True)
    demo.close()
    window.projector.close()
    window.close()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    start_app()
    ctx = open_context()
    try:
        for language in ("zh_CN", "en"):
            run(out, language, ctx)
    finally:
        ctx.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))

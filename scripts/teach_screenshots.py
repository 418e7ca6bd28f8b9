"""Screenshots of both teach demos after training, saying how the test was chosen:

    xvfb-run -a -s "-screen 0 1024x768x24" \
        .venv/bin/python scripts/teach_screenshots.py OUT [--lang=en]

In each, the first class is collected twice and the second once, so the note under the
result says both things: the test used the other recordings, and the class collected
once was tested on its last examples. The shipped samples stand in for the camera.
Uses a throw-away data directory.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("CLASSROOM_DATA_DIR", tempfile.mkdtemp(prefix="classroom-teach-"))

import sys  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from shots import arguments, settle, shoot, start_app, teacher_window  # noqa: E402
from support.held_clips import panned_clip  # noqa: E402

from classroom_app.core import paths  # noqa: E402
from classroom_app.core.context import open_context  # noqa: E402
from classroom_app.core.vision.sources import SourceSpec  # noqa: E402
from classroom_app.ui.main_window import MainWindow  # noqa: E402

NAMES = {"zh_CN": (["咖啡", "猫"], ["张开手", "拳头"]),
         "en": (["coffee", "cat"], ["open palm", "fist"])}




def wait_for(done, seconds: float = 30) -> None:  # noqa: ANN001 - a condition
    for _ in range(int(seconds * 10)):
        if done():
            return
        settle(100)


def shoot_pictures(window: MainWindow, out: Path, lang: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="teach-clips-"))
    clips = [SourceSpec("video", str(panned_clip(paths.sample_images_dir() / f"{n}.jpg",
                                                 folder / f"{n}.avi")))
             for n in ("coffee", "chelsea")]
    demo = window.open_demo("teach_the_computer", {"classes": NAMES[lang][0]})
    view = demo.view
    view.new_project(ask=False)
    for index, holds in ((0, 2), (1, 1)):
        demo.start(clips[index])
        settle(1500)
        for _ in range(holds):
            view.panels[index].hold_button.pressed.emit()
            settle(1300)
            view.panels[index].hold_button.released.emit()
    view.train()
    wait_for(lambda: not view.trainer.busy)
    demo.start(clips[1])
    settle(1500)
    shoot(demo, out / f"teach_pictures_{lang}.png", screen=True)
    demo.close()


def shoot_gestures(window: MainWindow, out: Path, lang: str) -> None:
    hands = paths.sample_images_dir() / "hands"
    demo = window.open_demo("teach_gestures", {"gestures": NAMES[lang][1], "seconds": 1.5})
    view = demo.view
    view.new_project(NAMES[lang][1])
    for index, (folder, times) in enumerate((("open_palm", 2), ("fist", 1))):
        demo.start(SourceSpec("images", str(hands / folder)))
        settle(1500)
        for _ in range(times):
            view.record(index)
            wait_for(lambda: view.recording is None)
    view.train()
    wait_for(lambda: not view.trainer.busy)
    demo.start(SourceSpec("images", str(hands / "fist")))
    settle(2000)
    shoot(demo, out / f"teach_gestures_{lang}.png", screen=True)
    demo.close()


def main() -> None:
    out, options = arguments()
    start_app()
    ctx = open_context()
    for lang in options.get("lang", ["zh_CN"]):
        ctx.update_settings(language=lang)
        window = teacher_window(ctx, 1024, 768)
        shoot_pictures(window, out, lang)
        shoot_gestures(window, out, lang)
        window.close()
    ctx.close()


if __name__ == "__main__":
    main()

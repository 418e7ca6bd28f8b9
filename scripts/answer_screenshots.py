"""Screenshots of what the image demo answers primary pupils, for review: under Xvfb,

    xvfb-run -a -s "-screen 0 1024x768x24" .venv/bin/python scripts/answer_screenshots.py OUT

A person filling the picture (the shipped sample faces/near_and_far.jpg, or --person=FILE)
and the rocket sample, whose best guess "missile" is on the reviewed list (or
--listed=FILE), each in the simple and the detailed view, in Chinese and English. Uses a
throw-away data directory.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("CLASSROOM_DATA_DIR", tempfile.mkdtemp(prefix="classroom-answer-shots-"))

from shots import arguments, settle, shoot, start_app, teacher_window  # noqa: E402

from classroom_app.core import paths  # noqa: E402
from classroom_app.core.context import open_context  # noqa: E402
from classroom_app.core.vision.sources import SourceSpec  # noqa: E402


def both_views(window, photo: Path, out: Path, name: str) -> None:  # noqa: ANN001 - a window
    demo = window.open_demo("image_classification", {"view": "simple"})
    demo.start(SourceSpec("images", str(photo)))
    settle(2500)
    shoot(demo, out / f"{name}_simple.png", screen=True)
    demo.view.set_simple(False)
    shoot(demo, out / f"{name}_detailed.png", screen=True, wait_ms=1000)
    demo.close()


def main() -> None:
    out, options = arguments()
    samples = paths.sample_images_dir()
    person = Path(options.get("person", [str(samples / "faces" / "near_and_far.jpg")])[0])
    listed = Path(options.get("listed", [str(samples / "rocket.jpg")])[0])
    start_app()
    ctx = open_context()
    try:
        for language in ("zh_CN", "en"):
            ctx.update_settings(language=language)
            window = teacher_window(ctx, 1024, 768)
            both_views(window, person, out, f"person_{language}")
            both_views(window, listed, out, f"listed_{language}")
            window.close()
    finally:
        ctx.close()


if __name__ == "__main__":
    main()

"""The face detection demo draws boxes off the GUI thread; without a camera it says so
and falls back to the shipped sample photos."""

from __future__ import annotations

from classroom_app.core import paths
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.ui.demo_window import DemoWindow


def test_the_demo_finds_the_astronauts_face(qtbot, ctx) -> None:
    window = DemoWindow(ctx.demos.get("face_detection"))
    qtbot.addWidget(window)
    window.show()
    view = window.view
    astronaut = SourceSpec("images", str(paths.sample_images_dir() / "astronaut.jpg"))
    with qtbot.waitSignal(view.frame_shown, timeout=10000) as shown:
        window.start(astronaut)
    assert shown.args == [1]
    assert view.picture.pixmap() is not None and not view.picture.pixmap().isNull()
    assert "1" in view.count.text()
    window.close()
    assert view.worker is None


def test_a_missing_camera_falls_back_to_sample_photos(qtbot, ctx) -> None:
    window = DemoWindow(ctx.demos.get("face_detection"))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.view.frame_shown, timeout=10000):
        window.start(SourceSpec("camera", "97"))
    assert "摄像头" in window.status.text()
    assert window.source_box.currentData().kind == "images"
    window.close()

"""The face detection demo draws boxes off the GUI thread; without a camera it says so
and offers the shipped sample faces."""

from __future__ import annotations

from classroom_app.core import paths
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.ui.demos.window import DemoWindow


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


def test_a_missing_camera_offers_the_sample_faces(qtbot, ctx) -> None:
    """Without a camera the demo says what it needs and shows its sample faces on request."""
    window = DemoWindow(ctx.demos.get("face_detection"))
    qtbot.addWidget(window)
    window.show()
    window.start(SourceSpec("camera", "97"))
    qtbot.waitUntil(window.showing_panel, timeout=10000)
    with qtbot.waitSignal(window.view.frame_shown, timeout=10000):
        window.panel.sample_button.click()
    assert window.source_box.currentData().kind == "images"
    assert window.source_box.currentText() == "示例照片"
    window.close()

"""Every demo the catalog finds, on the real models: it plays its shipped samples, falls
back cleanly when the camera is missing (camera 9, which does not exist, stands in for
a classroom without one), and closes with its worker gone and no window left behind.
A new demo folder is tested here without a line added."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication, QWidget

from classroom_app.core.demo_catalog import DemoManifest, load_catalog
from classroom_app.core.vision.source_memory import SourceMemory
from classroom_app.ui.demos.demo_view import CameraDemoView, DemoView
from classroom_app.ui.demos.window import DemoWindow
from classroom_app.ui.workers import FrameWorker

WAIT = 60000  # generous: real models on two shared cores, and a camera slow to give up
CATALOG = load_catalog()


def test_the_catalog_reads_every_manifest() -> None:
    """A broken manifest would drop its demo from the shelf, and from the tests below."""
    assert CATALOG.problems == ()
    assert CATALOG.demos


@pytest.fixture(params=CATALOG.demos, ids=lambda manifest: manifest.id)
def manifest(request) -> DemoManifest:
    return request.param


def open_without_camera(qtbot, ctx, manifest: DemoManifest) -> DemoWindow:
    memory = SourceMemory(lambda: ctx.settings, ctx.update_settings)
    window = DemoWindow(manifest, {}, memory=memory, camera=9)
    qtbot.addWidget(window)
    window.show()
    return window


def running(worker: FrameWorker) -> bool:
    return shiboken6.isValid(worker) and worker.isRunning()


def wait_for_frame(qtbot, view: CameraDemoView) -> None:
    """The camera demo shows a picture from its source (with what it found on it)."""
    picture = view.picture
    qtbot.waitUntil(lambda: picture.pixmap() is not None and not picture.pixmap().isNull(),
                    timeout=WAIT)


def close_cleanly(qtbot, window: DemoWindow, workers: list[FrameWorker],
                  before: list[QWidget]) -> None:
    """Close the window: the view lets its worker go, every worker it ran ends (one let
    go while opening its source ends once the source answers), and no top-level window
    is left behind."""
    view = window.view
    window.close()
    assert view.worker is None
    qtbot.waitUntil(lambda: not any(running(worker) for worker in workers), timeout=WAIT)
    qtbot.waitUntil(lambda: all(w in before for w in QApplication.topLevelWidgets()),
                    timeout=WAIT)


def test_the_demo_plays_its_samples_and_closes_cleanly(qtbot, ctx, manifest) -> None:
    """Opened on a PC without a camera and switched to its samples at once (the camera
    still being looked for), the demo shows their pictures, then closes cleanly."""
    before = QApplication.topLevelWidgets()
    window = open_without_camera(qtbot, ctx, manifest)
    view = window.view
    assert isinstance(view, DemoView) and isinstance(view, CameraDemoView)
    sample = window.sample()
    assert sample is not None and manifest.samples
    workers = [view.worker] if view.worker is not None else []
    window.start(sample)
    workers.append(view.worker)
    wait_for_frame(qtbot, view)
    assert window.spec == sample and not window.showing_panel()
    close_cleanly(qtbot, window, workers, before)


def test_without_a_camera_the_demo_falls_back_to_its_samples(qtbot, ctx, manifest) -> None:
    """No camera: a camera demo says so in its panel, which offers the samples; chosen,
    they play. A demo that needs no camera starts on its samples by itself."""
    before = QApplication.topLevelWidgets()
    window = open_without_camera(qtbot, ctx, manifest)
    view = window.view
    workers = [view.worker] if view.worker is not None else []
    if manifest.needs_camera:
        qtbot.waitUntil(window.showing_panel, timeout=WAIT)
        assert window.panel.sample_button.isVisibleTo(window)
        assert view.worker is None
        window.panel.sample_button.click()
        workers.append(view.worker)
    assert window.spec == window.sample() and not window.showing_panel()
    wait_for_frame(qtbot, view)
    assert window.source_box.currentData() == window.sample()
    close_cleanly(qtbot, window, workers, before)

"""What a demo view offers its window (:class:`DemoView`), and the camera demos' shell.

:class:`CameraDemoView` holds the live feed and its picture: ``start`` stops the source
in use, starts the new one once the demo's model is there (showing "Starting …"
meanwhile), and a source that fails is shown in the picture and told to the window.
A camera demo writes only what is its own: what to do with a frame on the worker
thread (``process``), how to show the result (``show_result``) and, if it needs them,
the hooks ``has_model`` and ``before_start``.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np
from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QWidget

from classroom_app.core.i18n import tr
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.core.vision.stream import FrameResult
from classroom_app.ui.demos.session import DemoSession
from classroom_app.ui.frame_label import FrameLabel
from classroom_app.ui.workers import FrameWorker, LiveFeed


@runtime_checkable
class DemoView(Protocol):
    """A demo's view as its window drives it: built as ``View(params, session)``."""

    failed: SignalInstance  # a message, when the source cannot be read

    def start(self, spec: SourceSpec) -> None:
        """Show pictures from ``spec`` (the source in use stops first)."""

    def stop(self) -> None:
        """The demo closes: stop its source and anything it runs."""

    @property
    def worker(self) -> FrameWorker | None:
        """The thread reading the source, while one runs."""


class CameraDemoView(QWidget):
    """A demo on a live source: its picture, its feed, starting, failing and stopping."""

    failed = Signal(str)

    def __init__(self, session: DemoSession | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session or DemoSession()
        self.spec: SourceSpec | None = None
        self.picture = FrameLabel()
        self.feed = LiveFeed(self.process, self.show_result, self.show_failure, self)

    # -- what each demo writes ---------------------------------------------------------
    def process(self, frame: np.ndarray) -> object:
        """On the worker thread: what the demo makes of one frame."""
        raise NotImplementedError

    def show_result(self, result: FrameResult) -> None:
        """On the GUI thread: show what ``process`` made of the latest frame."""
        raise NotImplementedError

    def has_model(self) -> bool:
        """Whether the demo's model opened: without it no source is started."""
        return True

    def before_start(self, spec: SourceSpec) -> None:
        """Just before ``spec`` starts: set the demo up for it (a mirror for a camera)."""

    # -- the shell -----------------------------------------------------------------------
    def start(self, spec: SourceSpec) -> None:
        self.stop_frames()
        self.spec = spec
        if not self.has_model():
            return
        self.before_start(spec)
        self.picture.show_message(tr("Starting {source}…").format(source=spec.describe()))
        self.feed.start(spec)

    @property
    def worker(self) -> FrameWorker | None:
        return self.feed.worker

    def show_failure(self, message: str) -> None:
        """The source failed: say so in the picture and to the window."""
        self.picture.show_message(message)
        self.failed.emit(message)

    def stop_frames(self) -> None:
        """The source in use stops (another is about to start, or the demo closes)."""
        self.feed.stop()

    def stop(self) -> None:
        self.stop_frames()

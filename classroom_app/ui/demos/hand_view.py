"""The shell of the hand demos: the live hand pipeline, opened once with its model errors."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QWidget

from classroom_app.core.hands.live import HandsFrame, LiveHands
from classroom_app.core.hands.tracker import HandTracker
from classroom_app.core.vision.model_files import ModelError
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.ui.demos.demo_view import CameraDemoView
from classroom_app.ui.demos.session import DemoSession


class HandDemoView(CameraDemoView):
    """A camera demo that follows hands: each frame goes through :class:`LiveHands`,
    shown as a mirror when it comes from a camera."""

    def __init__(self, session: DemoSession | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.live: LiveHands | None = None

    def open_hands(self, variant: str = "lite", max_hands: int = 1) -> str:
        """Open the hand models: "" when they are ready, else why not (also shown in the
        picture, and no source starts)."""
        try:
            self.live = LiveHands(HandTracker.open(variant, max_hands=max_hands))
        except (ModelError, ValueError) as error:
            self.picture.show_message(str(error))
            return str(error)
        return ""

    def process(self, frame: np.ndarray) -> HandsFrame | None:
        live = self.live  # read once: the GUI may change it
        return live(frame) if live else None

    def has_model(self) -> bool:
        return self.live is not None

    def before_start(self, spec: SourceSpec) -> None:
        if self.live is not None:
            self.live.set_mirror(spec.kind == "camera")  # a camera is shown as a mirror

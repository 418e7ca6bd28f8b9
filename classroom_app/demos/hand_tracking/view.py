"""Show me your hand: the live skeleton of each hand, its gesture and the frame rate.

Parameters from a lesson step: ``gestures`` (the canned gestures to name; others show
as "no gesture"), ``model`` ("lite" or "full") and ``hands`` (1 or 2).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from classroom_app.core.hands.gestures import CANNED, NONE, gesture_name
from classroom_app.core.hands.live import HandsFrame
from classroom_app.core.i18n import tr
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.core.vision.stream import FrameResult
from classroom_app.ui.demos.hand_view import HandDemoView
from classroom_app.ui.demos.session import DemoSession


def camera_hint() -> str:
    return tr("Hold your hand up to the camera. Try a thumb up, a victory sign, a fist or "
              "an open hand.")


def picture_hint() -> str:
    return tr("Which gestures does the computer name in the picture? Try it with a thumb "
              "up, a victory sign, a fist or an open hand.")


class HandTrackingView(HandDemoView):
    shown = Signal(object)  # the HandsFrame just shown

    def __init__(self, params: dict, session: DemoSession | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        wanted = params.get("gestures") or list(CANNED)
        self.gestures = {g for g in wanted if g in CANNED}
        self.last: HandsFrame | None = None
        self._build()
        self.open_hands(str(params.get("model", "lite")), int(params.get("hands", 2)))

    def _build(self) -> None:
        layout = QHBoxLayout(self)
        layout.addWidget(self.picture, 3)
        side = QVBoxLayout()
        layout.addLayout(side, 2)
        self.gesture_labels = []
        self.hand_labels = []
        for _ in range(2):
            hand = QLabel()
            hand.setStyleSheet("font-size: 16pt; color: #555;")
            gesture = QLabel()
            gesture.setWordWrap(True)
            gesture.setStyleSheet("font-size: 32pt; font-weight: bold;")
            side.addWidget(hand)
            side.addWidget(gesture)
            self.hand_labels.append(hand)
            self.gesture_labels.append(gesture)
        self.hint = QLabel(camera_hint())
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("font-size: 14pt;")
        side.addWidget(self.hint)
        side.addStretch()
        self.skeleton = QCheckBox(tr("Draw the skeleton"))
        self.skeleton.setChecked(True)
        self.skeleton.toggled.connect(self._toggle_skeleton)
        side.addWidget(self.skeleton)
        self.timing = QLabel()
        side.addWidget(self.timing)
        self._show_hands(None)

    def _toggle_skeleton(self, on: bool) -> None:
        if self.live is not None:
            self.live.draw = on

    # -- frames ----------------------------------------------------------------------
    def before_start(self, spec: SourceSpec) -> None:
        super().before_start(spec)
        self.hint.setText(camera_hint() if spec.kind == "camera" else picture_hint())

    def show_result(self, result: FrameResult) -> None:
        found: HandsFrame | None = result.result
        if found is None:
            return
        self.last = found
        self.picture.show_frame(found.picture)
        self._show_hands(found)
        self.timing.setText(tr("{fps:.0f} pictures per second, {ms:.1f} ms each").format(
            fps=result.fps, ms=found.seconds * 1000))
        self.shown.emit(found)

    def shown_gesture(self, index: int = 0) -> str:
        """The gesture shown for the ``index``-th hand ("" if none)."""
        if self.last is None or index >= len(self.last.hands):
            return ""
        name = self.last.hands[index].gesture.name
        return name if name in self.gestures else NONE

    def _show_hands(self, found: HandsFrame | None) -> None:
        hands = found.hands if found else ()
        for i, (hand_label, gesture_label) in enumerate(
                zip(self.hand_labels, self.gesture_labels, strict=True)):
            if i >= len(hands):
                hand_label.setText(tr("No hand seen") if i == 0 else "")
                gesture_label.setText("")
                continue
            seen = hands[i]
            hand_label.setText(tr("Left hand") if seen.hand.is_left else tr("Right hand"))
            name = self.shown_gesture(i)
            if name == NONE:
                gesture_label.setText(gesture_name(NONE))
            else:
                gesture_label.setText(tr("{gesture} ({percent:.0f}%)").format(
                    gesture=gesture_name(name), percent=seen.gesture.confidence * 100))

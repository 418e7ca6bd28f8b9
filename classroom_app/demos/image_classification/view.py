"""What does the computer see? A real ImageNet model names what is in front of the camera.

The simple view (for primary pupils) shows one big answer and how sure the computer is,
chosen by the core (:func:`classroom_app.core.vision.answer.primary_answer`): never a
label on the reviewed list, and "this model never learned a 'person' class" when a
person fills the picture. The detailed view shows the top 5 with bars (listed labels
marked in grey), the 224x224 picture the model is given and the time it took. The model
can be the fast int8 one, the precise fp32 one, or any ONNX file with the same input,
such as one exported by "teach the computer".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.i18n import sentences, tr
from classroom_app.core.vision.answer import Seen, person_message, primary_answer
from classroom_app.core.vision.classifier import (
    ImageClassifier,
    open_model_file,
    open_shipped,
)
from classroom_app.core.vision.model_files import ModelError
from classroom_app.core.vision.person import PersonCheck
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.core.vision.stream import FrameResult
from classroom_app.ui.demos.charts import ConfidenceBars
from classroom_app.ui.demos.demo_view import CameraDemoView
from classroom_app.ui.demos.session import DemoSession
from classroom_app.ui.frame_label import to_qimage


class ImageClassificationView(CameraDemoView):
    shown = Signal(object)  # the Classification just shown

    def __init__(self, params: dict, session: DemoSession | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.frozen = False
        self.classifier: ImageClassifier | None = None
        self.person_check = PersonCheck()
        self.choice = ""  # the model box's entry for the classifier in use
        self.last: Seen | None = None
        default_simple = self.session.stage() == "primary"
        self.simple = params.get("view", "simple" if default_simple else "detailed") == "simple"
        self._build()
        self.load_model(params.get("model", "int8"))

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        layout.addLayout(bar)
        bar.addWidget(QLabel(tr("Model:")))
        self.model_box = QComboBox()
        self.model_box.addItem(tr("Fast (int8)"), "int8")
        self.model_box.addItem(tr("Precise (fp32)"), "fp32")
        self.model_box.addItem(tr("A model file…"), "file")
        self.model_box.activated.connect(self._model_chosen)
        bar.addWidget(self.model_box)
        bar.addStretch()
        self.view_button = QPushButton()
        self.view_button.clicked.connect(lambda: self.set_simple(not self.simple))
        bar.addWidget(self.view_button)
        self.freeze_button = QPushButton(tr("Freeze"))
        self.freeze_button.setCheckable(True)
        self.freeze_button.toggled.connect(self._freeze)
        bar.addWidget(self.freeze_button)
        self.model_message = QLabel()
        self.model_message.setWordWrap(True)
        self.model_message.setProperty("role", "feedback-wrong")
        self.model_message.hide()
        layout.addWidget(self.model_message)

        body = QHBoxLayout()
        layout.addLayout(body, 1)
        body.addWidget(self.picture, 3)
        side = QVBoxLayout()
        body.addLayout(side, 2)
        # Simple: one big name and how sure.
        self.big_name = QLabel()
        self.big_name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.big_name.setWordWrap(True)
        self.big_name.setStyleSheet("font-size: 34pt; font-weight: bold;")
        self.big_sure = QLabel()
        self.big_sure.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.big_sure.setWordWrap(True)
        self.big_sure.setStyleSheet("font-size: 18pt;")
        self.big_bar = ConfidenceBars(rows=1)
        side.addWidget(self.big_name)
        side.addWidget(self.big_sure)
        side.addWidget(self.big_bar)
        # Detailed: top 5, the model's input, the time.
        self.person_note = QLabel()
        self.person_note.setWordWrap(True)
        self.person_note.setProperty("role", "big")
        self.person_note.hide()
        side.addWidget(self.person_note)
        self.bars = ConfidenceBars(rows=5)
        side.addWidget(self.bars)
        details = QGridLayout()
        side.addLayout(details)
        self.input_caption = QLabel(tr("What the model is given (224×224):"))
        self.input_view = QLabel()
        self.input_view.setFixedSize(168, 168)
        self.input_view.setScaledContents(True)
        self.timing = QLabel()
        self.timing.setWordWrap(True)
        details.addWidget(self.input_caption, 0, 0)
        details.addWidget(self.input_view, 1, 0)
        details.addWidget(self.timing, 2, 0)
        side.addStretch()
        self.model_title = QLabel()
        self.model_title.setWordWrap(True)
        side.addWidget(self.model_title)
        self.set_simple(self.simple)

    def set_simple(self, simple: bool) -> None:
        self.simple = simple
        for widget in (self.big_name, self.big_sure, self.big_bar):
            widget.setVisible(simple)
        for widget in (self.bars, self.input_caption, self.input_view, self.timing,
                       self.model_title):
            widget.setVisible(not simple)
        self.person_note.setVisible(not simple and self.last is not None and self.last.person)
        self.view_button.setText(tr("Show details") if simple else tr("Simple view"))
        if self.last is not None:
            self._show_result(self.last)

    # -- model -----------------------------------------------------------------------
    def load_model(self, choice: str | Path) -> bool:
        """Switch to the int8 or fp32 model or a model file; False (and a message) if not."""
        try:
            if isinstance(choice, Path):
                classifier = open_model_file(choice)
            else:
                classifier = open_shipped(choice)
        except ModelError as error:
            self.model_message.setText(str(error))
            self.model_message.show()
            if self.classifier is None:
                self.picture.show_message(str(error))
            return False
        self.model_message.hide()
        self.classifier = classifier
        self.model_title.setText(tr("Model: {title}").format(title=classifier.title))
        self.choice = choice if isinstance(choice, str) else "file"
        self.model_box.setCurrentIndex(self.model_box.findData(self.choice))
        if self.spec is not None and self.worker is None:
            self.start(self.spec)
        return True

    def _model_chosen(self, index: int) -> None:
        choice = self.model_box.itemData(index)
        if choice == "file":
            path, _ = QFileDialog.getOpenFileName(self, tr("Open a model"), "",
                                                  tr("ONNX models (*.onnx)"))
            if not path:
                self._reselect_current()
                return
            if not self.load_model(Path(path)):
                self._reselect_current()
        elif not self.load_model(choice):
            self._reselect_current()

    def _reselect_current(self) -> None:
        if self.choice:
            self.model_box.setCurrentIndex(self.model_box.findData(self.choice))

    def process(self, frame: np.ndarray) -> Seen | None:
        """On the worker thread: the model's guesses, and whether a person fills the
        picture (only asked of the ImageNet model, which has no "person" class)."""
        classifier = self.classifier  # read once: the GUI may swap it meanwhile
        if classifier is None:
            return None
        person = classifier.imagenet and self.person_check.fills(frame)
        return Seen(classifier.classify(frame), classifier.hidden, person)

    # -- frames ----------------------------------------------------------------------
    def has_model(self) -> bool:
        return self.classifier is not None

    def before_start(self, spec: SourceSpec) -> None:
        self.person_check.forget()

    def show_result(self, result: FrameResult) -> None:
        if self.frozen or result.result is None:
            return
        self.picture.show_frame(result.frame)
        self.last = result.result
        self._show_result(result.result, result.fps)
        self.shown.emit(result.result.found)

    def _show_result(self, seen: Seen, fps: float | None = None) -> None:
        if self.simple:
            self._show_answer(seen)
        else:
            self._show_details(seen, fps)

    def _show_answer(self, seen: Seen) -> None:
        answer = primary_answer(seen)
        self.big_name.setText(answer.headline)
        self.big_sure.setText(answer.detail)
        guess = answer.guess
        self.big_bar.set_items([(guess.label.name(), guess.probability)] if guess else [])

    def _show_details(self, seen: Seen, fps: float | None) -> None:
        found = seen.found
        self.person_note.setText(person_message())
        self.person_note.setVisible(seen.person)
        self.bars.set_items([(g.label.name(), g.probability) for g in found.guesses],
                            [tr("hidden from primary") if seen.hides(g) else ""
                             for g in found.guesses])
        self.input_view.setPixmap(QPixmap.fromImage(to_qimage(found.view)))
        self.timing.setText(sentences(
            tr("Looking took {ms:.1f} ms.").format(ms=found.seconds * 1000),
            tr("{fps:.0f} pictures per second").format(fps=fps) if fps else ""))

    def _freeze(self, frozen: bool) -> None:
        self.frozen = frozen
        self.freeze_button.setText(tr("Continue") if frozen else tr("Freeze"))

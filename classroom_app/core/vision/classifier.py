"""Image classification with ONNX Runtime: the shipped EfficientNet-Lite0 or a model file.

:func:`open_shipped` loads the ImageNet model (``fp32`` or ``int8``) after checking its
sha256. :func:`open_model_file` opens any ONNX file that takes EfficientNet's input
[N, 3, 224, 224], such as one exported by "teach the computer" (its class names travel
in the file's metadata). Both give an :class:`ImageClassifier`.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort

from classroom_app.core.i18n import tr
from classroom_app.core.vision import imagenet, suitable
from classroom_app.core.vision.model_files import (
    EFFICIENTNET,
    Label,
    ModelError,
    load_labels,
    load_manifest,
    open_session,
    verified_file,
)

LABELS_METADATA = "ai_classroom.labels"
KIND_METADATA = "ai_classroom.kind"
TAUGHT_KIND = "taught-image-classifier"


@dataclass(frozen=True)
class Guess:
    label: Label
    probability: float


@dataclass(frozen=True)
class Classification:
    guesses: tuple[Guess, ...]  # best first
    seconds: float  # pre-processing and inference
    view: np.ndarray  # the 224x224 BGR picture the model was given

    @property
    def best(self) -> Guess:
        return self.guesses[0]


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


class ImageClassifier:
    """``hidden``: the ImageNet labels primary pupils are never shown; empty for a model
    with its own classes, which has nothing to hide and may well know people."""

    def __init__(self, session: ort.InferenceSession, labels: tuple[Label, ...], title: str,
                 output: str, outputs_probabilities: bool,
                 hidden: frozenset[int] | None = None) -> None:
        self.session = session
        self.labels = labels
        self.title = title
        self.output = output
        self.outputs_probabilities = outputs_probabilities
        self.hidden = hidden or frozenset()
        self.imagenet = hidden is not None
        self.input = session.get_inputs()[0].name

    def probabilities(self, batch: np.ndarray) -> np.ndarray:
        """Class probabilities [N, K] for a batch of model inputs [N, 3, 224, 224]."""
        scores = self.session.run([self.output], {self.input: batch})[0]
        return scores if self.outputs_probabilities else softmax(scores)

    def classify(self, frame: np.ndarray, top: int = 5) -> Classification:
        """The ``top`` most likely labels for a BGR frame of any size."""
        started = time.perf_counter()
        view = imagenet.model_view(frame)
        probabilities = self.probabilities(imagenet.to_input(view))[0]
        best = np.argsort(-probabilities)[:top]
        guesses = tuple(Guess(self.labels[i], float(probabilities[i])) for i in best)
        return Classification(guesses, time.perf_counter() - started, view)


def open_shipped(variant: str = "int8") -> ImageClassifier:
    """The ImageNet classifier that ships with the app, its sha256 checked."""
    manifest = load_manifest(EFFICIENTNET)
    if variant not in manifest.data.get("variants", {}):
        raise ModelError(tr("The model variant '{variant}' does not exist.").format(
            variant=variant))
    path = verified_file(manifest.file(variant), manifest.sha256(variant))
    labels = load_labels(manifest)
    hidden = suitable.unsuitable_for_children(manifest)
    title = tr("EfficientNet-Lite0, 1000 things ({variant})").format(variant=variant)
    return ImageClassifier(open_session(path), labels, title, "logits", False, hidden)


def check_image_input(session: ort.InferenceSession, name: str) -> None:
    """A ModelError unless the model takes [N, 3, 224, 224] float pictures."""
    inputs = session.get_inputs()
    shape = list(inputs[0].shape) if inputs else []
    fixed = [d if isinstance(d, int) else None for d in shape]
    if len(inputs) != 1 or len(fixed) != 4 or fixed[1:] != [3, 224, 224] or \
            inputs[0].type != "tensor(float)":
        raise ModelError(tr("'{name}' expects input of shape {shape}; this demo needs a model "
                            "that takes pictures of shape [N, 3, 224, 224], like EfficientNet-"
                            "Lite0 or a model exported by “Teach the computer”.")
                         .format(name=name, shape=shape))


def open_model_file(path: Path) -> ImageClassifier:
    """Any ONNX image classifier with EfficientNet's input, e.g. a student's export."""
    if not path.is_file():
        raise ModelError(tr("'{name}' does not exist.").format(name=path.name))
    session = open_session(path)
    check_image_input(session, path.name)
    output = session.get_outputs()[0]
    classes = output.shape[-1] if output.shape and isinstance(output.shape[-1], int) else None
    if len(output.shape or []) != 2 or not classes:
        raise ModelError(tr("'{name}' does not give one score per class (its output has shape "
                            "{shape}).").format(name=path.name, shape=output.shape))
    metadata = session.get_modelmeta().custom_metadata_map
    names = _metadata_labels(metadata.get(LABELS_METADATA), classes)
    hidden = None
    if names is not None:
        labels = tuple(Label(i, n, n) for i, n in enumerate(names))
    elif classes == 1000:
        manifest = load_manifest(EFFICIENTNET)
        labels, hidden = load_labels(manifest), suitable.unsuitable_for_children(manifest)
    else:
        labels = tuple(Label(i, f"class {i + 1}", f"第 {i + 1} 类") for i in range(classes))
    probabilities = metadata.get(KIND_METADATA) == TAUGHT_KIND
    return ImageClassifier(session, labels, path.stem, output.name, probabilities, hidden)


def _metadata_labels(text: str | None, classes: int) -> list[str] | None:
    if not text:
        return None
    try:
        names = json.loads(text)
    except json.JSONDecodeError:
        return None
    if isinstance(names, list) and len(names) == classes and all(isinstance(n, str)
                                                                 for n in names):
        return names
    return None

"""A student's own gesture classifier: softmax regression on the 127 landmark features.

Training takes a fraction of a second (the features are small), so it happens while the
class watches. The model is exported as a small ONNX file (features in, probabilities
out) with the gesture names in its metadata; :class:`GestureClassifier` runs either the
model in memory or such a file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from classroom_app.core.hands.features import COUNT
from classroom_app.core.i18n import tr
from classroom_app.core.vision.export import save_onnx
from classroom_app.core.vision.model_files import ModelError, open_session
from classroom_app.core.vision.training import TrainedModel, train

MIN_GESTURES = 2
MAX_GESTURES = 8
MIN_EXAMPLES = 3  # per gesture: two to learn from and one to test on
KIND = "gesture-classifier"
KIND_METADATA = "ai_classroom.kind"
LABELS_METADATA = "ai_classroom.labels"
FEATURES_DOC = ("127 landmark features: 21 image landmarks (x, y, z) relative to the wrist "
                "over the longest side of their box; P(left hand); 21 world landmarks, the "
                "same way")


def train_gestures(features: np.ndarray, labels: np.ndarray, names: Sequence[str],
                   **options: Any) -> TrainedModel:
    """Train on 2-8 named gestures; a TrainingError says what is missing."""
    return train(features, labels, names, max_classes=MAX_GESTURES, min_samples=MIN_EXAMPLES,
                 **options)


@dataclass(frozen=True)
class GesturePrediction:
    names: tuple[str, ...]
    probabilities: np.ndarray

    @property
    def best(self) -> tuple[str, float]:
        i = int(self.probabilities.argmax())
        return self.names[i], float(self.probabilities[i])


class GestureClassifier:
    def __init__(self, names: Sequence[str], model: TrainedModel | None = None,
                 session: ort.InferenceSession | None = None) -> None:
        self.names = tuple(names)
        self.model = model
        self.session = session

    @classmethod
    def from_model(cls, model: TrainedModel) -> GestureClassifier:
        return cls(model.class_names, model=model)

    @classmethod
    def open(cls, path: Path) -> GestureClassifier:
        """A gesture model file exported by this app; a ModelError for any other file."""
        session = open_session(path, threads=1)
        meta = session.get_modelmeta().custom_metadata_map
        inputs = session.get_inputs()
        if meta.get(KIND_METADATA) != KIND or len(inputs) != 1 or inputs[0].shape[-1] != COUNT:
            raise ModelError(tr("'{name}' is not a gesture model made by this app. Train one "
                                "in “Teach the computer gestures” and export it.")
                             .format(name=path.name))
        try:
            names = json.loads(meta[LABELS_METADATA])
        except (KeyError, ValueError) as error:
            raise ModelError(tr("'{name}' has no gesture names.").format(name=path.name)
                             ) from error
        return cls(names, session=session)

    def predict(self, features: np.ndarray) -> GesturePrediction:
        row = np.asarray(features, np.float32).reshape(1, COUNT)
        if self.model is not None:
            probabilities = self.model.probabilities(row)[0]
        else:
            assert self.session is not None, "made from a trained model or a model file"
            probabilities = self.session.run(None, {"landmark_features": row})[0][0]
        return GesturePrediction(self.names, np.asarray(probabilities, np.float64))


def gesture_model_proto(model: TrainedModel) -> onnx.ModelProto:
    k = len(model.class_names)
    graph = helper.make_graph(
        [helper.make_node("Gemm", ["landmark_features", "weights", "bias"], ["logits"],
                          name="gesture_classifier"),
         helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1, name="softmax")],
        "taught_gesture_classifier",
        [helper.make_tensor_value_info("landmark_features", TensorProto.FLOAT,
                                       ["batch", COUNT])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", k])],
        [numpy_helper.from_array(model.weights.astype(np.float32), "weights"),
         numpy_helper.from_array(model.bias.astype(np.float32), "bias")])
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="ai-classroom")
    proto.ir_version = 9
    for key, value in {
        LABELS_METADATA: json.dumps(list(model.class_names), ensure_ascii=False),
        KIND_METADATA: KIND,
        "ai_classroom.features": FEATURES_DOC,
        "ai_classroom.landmark_model": "MediaPipe hand landmarks 0.10.14, Apache-2.0",
        "ai_classroom.test_accuracy": f"{model.test_accuracy:.4f}",
    }.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    proto.doc_string = "A gesture classifier taught in AI Classroom: " + ", ".join(
        model.class_names)
    onnx.checker.check_model(proto)
    return proto


def export_gesture_model(model: TrainedModel, out: Path) -> Path:
    """Write the ONNX file to ``out`` atomically and return its path."""
    return save_onnx(gesture_model_proto(model), out)

"""Exporting a taught model as one self-contained ONNX file.

The shipped EfficientNet-Lite0 graph is cut after its pooled ``features``; the student's
classifier (one Gemm with standardisation folded in, then Softmax) is appended, so the
file takes a picture [N, 3, 224, 224] and gives ``probabilities`` [N, classes]. The
class names and the pre-processing travel in the file's metadata. Any ONNX Runtime can
run it; this app's "what does the computer see?" demo opens it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import onnx
from onnx import TensorProto, helper, numpy_helper

from classroom_app.core.i18n import tr
from classroom_app.core.vision.classifier import KIND_METADATA, LABELS_METADATA, TAUGHT_KIND
from classroom_app.core.vision.model_files import ModelError
from classroom_app.core.vision.training import TrainedModel

PREPROCESSING = ("RGB; centre crop 224/256 of the short side; bicubic resize to 224x224; "
                 "(x - 127) / 128; NCHW float32")


def taught_model_proto(feature_model: Path, model: TrainedModel) -> onnx.ModelProto:
    proto = onnx.load(str(feature_model))
    graph = proto.graph
    # Keep only what computes ``features``: drop the ImageNet classifier layer.
    needed = {"features"}
    kept = []
    for node in reversed(graph.node):
        if needed & set(node.output):
            kept.append(node)
            needed.update(i for i in node.input if i)
    kept.reverse()
    initializers = [t for t in graph.initializer if t.name in needed]
    del graph.node[:]
    graph.node.extend(kept)
    del graph.initializer[:]
    graph.initializer.extend(initializers)
    graph.initializer.extend([
        numpy_helper.from_array(model.weights, "taught_weights"),
        numpy_helper.from_array(model.bias, "taught_bias"),
    ])
    graph.node.extend([
        helper.make_node("Gemm", ["features", "taught_weights", "taught_bias"],
                         ["taught_logits"], name="taught_classifier"),
        helper.make_node("Softmax", ["taught_logits"], ["probabilities"], axis=1,
                         name="taught_softmax"),
    ])
    del graph.output[:]
    graph.output.append(helper.make_tensor_value_info(
        "probabilities", TensorProto.FLOAT, ["batch", len(model.class_names)]))
    graph.name = "taught_image_classifier"
    del proto.metadata_props[:]
    for key, value in {
        LABELS_METADATA: json.dumps(list(model.class_names), ensure_ascii=False),
        KIND_METADATA: TAUGHT_KIND,
        "ai_classroom.preprocessing": PREPROCESSING,
        "ai_classroom.test_accuracy": f"{model.test_accuracy:.4f}",
        "ai_classroom.feature_network": "EfficientNet-Lite0 (ImageNet), Apache-2.0",
    }.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    proto.doc_string = "A picture classifier taught in AI Classroom: " + ", ".join(
        model.class_names)
    onnx.checker.check_model(proto)
    return proto


def save_onnx(proto: onnx.ModelProto, out: Path) -> Path:
    """Write ``proto`` to ``out`` (``.onnx`` added if missing) atomically; its path."""
    if out.suffix.lower() != ".onnx":
        out = out.with_suffix(".onnx")
    tmp = out.with_name(out.name + ".part")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        onnx.save(proto, str(tmp))
        os.replace(tmp, out)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise ModelError(tr("Could not save the model to '{path}': {error}")
                         .format(path=out, error=error.strerror or error)) from error
    return out


def export_taught_model(feature_model: Path, model: TrainedModel, out: Path) -> Path:
    """Write the self-contained ONNX file to ``out`` (atomically) and return it."""
    return save_onnx(taught_model_proto(feature_model, model), out)

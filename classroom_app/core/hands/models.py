"""The shipped hand models: palm detection and hand landmarks, lite or full."""

from __future__ import annotations

from pathlib import Path

import onnxruntime as ort

from classroom_app.core.vision.model_files import (
    ModelManifest,
    load_manifest,
    open_session,
    verified_file,
)

HANDS = "hands"


def manifest(root: Path | None = None) -> ModelManifest:
    return load_manifest(HANDS, root)


def model_file(kind: str, variant: str = "lite", root: Path | None = None) -> Path:
    """The verified ONNX file of ``kind`` ("palm_detection" or "hand_landmark")."""
    found = manifest(root)
    name = f"{kind}_{variant}"
    return verified_file(found.file(name), found.sha256(name))


def open_model(kind: str, variant: str = "lite", threads: int = 2,
               root: Path | None = None) -> ort.InferenceSession:
    return open_session(model_file(kind, variant, root), threads)

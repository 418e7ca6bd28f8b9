"""Keeping a trained classifier and a learner's files on disk, safely.

Shared by the picture and the gesture projects: files are replaced whole (written
beside, then renamed), and a missing or damaged model file reads as "not trained yet".
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from classroom_app.core.vision.training import EpochReport, TrainedModel


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Replace ``path`` whole; ``durable`` waits for the disk (not worth it per sample,
    collected seven a second on the GUI thread: a power cut loses only that picture)."""
    tmp = path.with_name(path.name + ".part")
    with tmp.open("wb") as f:
        f.write(data)
        if durable:
            f.flush()
            os.fsync(f.fileno())
    os.replace(tmp, path)


def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    tmp = path.with_name(path.name + ".part.npz")
    np.savez(tmp, allow_pickle=False, **arrays)
    os.replace(tmp, path)


def save_trained_model(path: Path, m: TrainedModel) -> None:
    save_npz(path, {
        "class_names": np.array(json.dumps(list(m.class_names), ensure_ascii=False)),
        "weights": m.weights, "bias": m.bias, "confusion": m.confusion,
        "train_accuracy": np.array(m.train_accuracy),
        "test_accuracy": np.array(m.test_accuracy),
        "samples_per_class": np.array(m.samples_per_class),
        "test_samples": np.array(m.test_samples),
        "test_rules": np.array(json.dumps(list(m.test_rules))),
        "loss": np.array([h.loss for h in m.history]),
        "train_acc": np.array([h.train_accuracy for h in m.history]),
        "test_acc": np.array([h.test_accuracy for h in m.history])})


def load_trained_model(path: Path) -> TrainedModel | None:
    """The model saved at ``path``; None if there is none or it is damaged."""
    try:
        with np.load(path) as saved:
            names = tuple(json.loads(str(saved["class_names"])))
            counts = tuple(int(c) for c in saved["samples_per_class"])
            epochs = len(saved["loss"])
            history = tuple(EpochReport(e, epochs, float(lo), float(a), float(t))
                            for e, lo, a, t in zip(range(1, epochs + 1), saved["loss"],
                                                   saved["train_acc"], saved["test_acc"],
                                                   strict=True))
            return TrainedModel(names, saved["weights"], saved["bias"],
                                float(saved["train_accuracy"]),
                                float(saved["test_accuracy"]), saved["confusion"], counts,
                                int(saved["test_samples"]), history, _test_rules(saved))
    except (OSError, ValueError, KeyError):
        return None


def _test_rules(saved: np.lib.npyio.NpzFile) -> tuple[str, ...]:
    """How the model's test examples were chosen; () for a model saved before the app
    chose them by recording (tested on examples picked at random)."""
    if "test_rules" not in saved.files:
        return ()
    return tuple(str(r) for r in json.loads(str(saved["test_rules"])))

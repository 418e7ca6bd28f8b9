"""Shipped model files: their manifest, their labels, and the sha256 check on load.

Each model lives in ``models/<name>/`` with a ``manifest.toml`` (task, input,
pre-processing, labels, licence, source and the sha256 of every file). A file that is
missing, damaged or not the one the manifest names raises :class:`ModelError` with a
message that says what is wrong and how to fix it; callers show it and carry on.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import onnxruntime as ort

from classroom_app.core import paths
from classroom_app.core.i18n import language, tr

EFFICIENTNET = "efficientnet_lite0"


class ModelError(Exception):
    """A model cannot be used; the message is for the person at the PC."""


@dataclass(frozen=True)
class Label:
    index: int
    en: str
    zh_CN: str

    def name(self) -> str:
        """The name in the UI's language."""
        return self.zh_CN if language() == "zh_CN" and self.zh_CN else self.en


@dataclass(frozen=True)
class ModelManifest:
    folder: Path
    data: dict

    def file(self, variant: str) -> Path:
        return self.folder / self.data["variants"][variant]["file"]

    def sha256(self, variant: str) -> str:
        return self.data["variants"][variant]["sha256"]

    @property
    def labels_file(self) -> Path:
        return self.folder / self.data["labels"]


def load_manifest(name: str = EFFICIENTNET, root: Path | None = None) -> ModelManifest:
    folder = (root or paths.models_dir()) / name
    try:
        data = tomllib.loads((folder / "manifest.toml").read_text(encoding="utf-8"))
    except OSError as error:
        raise ModelError(tr("The model '{name}' is not installed ({error}). Reinstall the app, "
                            "or regenerate the model with models/convert_efficientnet.py.")
                         .format(name=name, error=error)) from error
    except tomllib.TOMLDecodeError as error:
        raise ModelError(tr("The description of the model '{name}' is damaged: {error}. "
                            "Reinstall the app.").format(name=name, error=error)) from error
    return ModelManifest(folder, data)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verified_file(path: Path, expected_sha256: str) -> Path:
    """``path`` if it exists and has the expected sha256; else a :class:`ModelError`."""
    if not path.is_file():
        raise ModelError(tr("The model file '{name}' is missing. Reinstall the app, or copy the "
                            "file back into {folder}.").format(name=path.name, folder=path.parent))
    if file_sha256(path) != expected_sha256:
        raise ModelError(tr("The model file '{name}' is damaged or is not the file this app "
                            "expects (its sha256 does not match). Reinstall the app, or copy the "
                            "original file back into {folder}.")
                         .format(name=path.name, folder=path.parent))
    return path


@cache
def _labels(path: Path, sha256: str) -> tuple[Label, ...]:
    verified_file(path, sha256)
    labels = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        index, en, zh = line.split("\t")
        labels.append(Label(int(index), en, zh))
    return tuple(labels)


def load_labels(manifest: ModelManifest) -> tuple[Label, ...]:
    try:
        return _labels(manifest.labels_file, manifest.data["labels_sha256"])
    except ValueError as error:
        raise ModelError(tr("The labels file '{name}' is damaged: {error}. Reinstall the app.")
                         .format(name=manifest.labels_file.name, error=error)) from error


def session_options(threads: int = 2) -> ort.SessionOptions:
    """CPU options for a weak PC: two threads that sleep instead of spinning.

    Spinning threads of two sessions on two cores halve each other's speed.
    """
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return options


def open_session(path: Path | bytes, threads: int = 2) -> ort.InferenceSession:
    """An onnxruntime CPU session; a file that is not a usable ONNX model is a ModelError."""
    name = path.name if isinstance(path, Path) else tr("the model")
    try:
        source = str(path) if isinstance(path, Path) else path
        return ort.InferenceSession(source, session_options(threads),
                                    providers=["CPUExecutionProvider"])
    except Exception as error:  # noqa: BLE001 - onnxruntime raises several unrelated types
        raise ModelError(tr("'{name}' is not a model this app can run: {error}")
                         .format(name=name, error=str(error).splitlines()[0][:300])) from error

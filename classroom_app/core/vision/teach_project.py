"""A student's "teach the computer" project, kept on disk as it changes.

One folder per project under ``<data>/projects/<owner>/``::

    project.json      the classes, their samples (file name and recording), the model summary
    samples/*.jpg     each sample as the 224x224 picture the model sees
    embeddings.npz    each sample's features (computed once, reused by every training)
    model.npz         the trained classifier's weights

Every sample is written the moment it is collected and ``project.json`` is replaced
atomically, so a killed process loses at most the sample being written. A damaged
``project.json`` raises :class:`ProjectError`; the samples stay where they are.

Each sample notes its recording (``burst``): one press of the collect button, so that
the test holds out whole recordings (:mod:`classroom_app.core.vision.held_out`). A
picture added from a file is a recording of its own. Format 1 projects, saved before
recordings were noted, open with each class's samples as one recording (``EARLIER``,
tested on its last examples: the conservative choice) and are saved as format 2.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from classroom_app.core import paths
from classroom_app.core.i18n import language, tr
from classroom_app.core.vision import imagenet
from classroom_app.core.vision.held_out import saved_sample
from classroom_app.core.vision.model_store import (
    load_trained_model,
    save_npz,
    save_trained_model,
    write_atomic,
)
from classroom_app.core.vision.training import TrainedModel

FORMAT = 2
FORMATS = (1, 2)  # the ones this version opens
JPEG_QUALITY = 92


class ProjectError(Exception):
    """A project cannot be opened or saved; the message says why."""


@dataclass
class Sample:
    id: str
    view: np.ndarray  # 224x224 BGR
    burst: str  # the recording it was taken in


def new_burst() -> str:
    """An id for a new recording (one press of a collect button)."""
    return uuid.uuid4().hex[:12]


@dataclass
class TaughtClass:
    name: str
    samples: list[Sample] = field(default_factory=list)


def projects_dir(owner: str) -> Path:
    path = paths.data_dir() / "projects" / slug(owner)
    path.mkdir(parents=True, exist_ok=True)
    return path


def slug(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text, flags=re.UNICODE).strip("._") or "project"


def export_file_name(project_name: str, suffix: str = ".onnx") -> str:
    """The file name a project's model is offered under, in the UI's language:
    "我的手势模型.onnx" in Chinese, "my-gestures-model.onnx" in English."""
    name = project_name.strip() or tr("My model")
    word = tr("model")
    if not name.lower().endswith(word.lower()):
        name = tr("{name} model").format(name=name)
    if language() == "en":
        name = "-".join(name.lower().split())
    return re.sub(r'[\\/:*?"<>|]+', "_", name) + suffix


def list_projects(owner: str) -> list[str]:
    folder = projects_dir(owner)
    return sorted(p.name for p in folder.iterdir() if (p / "project.json").is_file())


class TeachProject:
    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.name = name
        self.classes: list[TaughtClass] = []
        self.embeddings: dict[str, np.ndarray] = {}
        self.model: TrainedModel | None = None
        self.created = ""

    # -- creating and opening ----------------------------------------------------------
    @classmethod
    def create(cls, owner: str, name: str, class_names: list[str]) -> TeachProject:
        base = projects_dir(owner) / slug(name)
        folder, n = base, 2
        while folder.exists():
            folder, n = base.with_name(f"{base.name}-{n}"), n + 1
        (folder / "samples").mkdir(parents=True)
        project = cls(folder, name)
        project.classes = [TaughtClass(c) for c in class_names]
        project.save()
        return project

    @classmethod
    def open(cls, folder: Path) -> TeachProject:
        try:
            data = json.loads((folder / "project.json").read_text(encoding="utf-8"))
            if data.get("format") not in FORMATS:
                raise ValueError(tr("unknown format {format}").format(format=data.get("format")))
            project = cls(folder, str(data["name"]))
            project.classes = [project._read_class(entry) for entry in data["classes"]]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ProjectError(tr("The project in '{folder}' cannot be opened: {error}. Its "
                                  "photos are still in the folder 'samples'.")
                               .format(folder=folder.name, error=error)) from error
        project._load_embeddings()
        project._load_model()
        return project

    def _read_class(self, entry: dict) -> TaughtClass:
        """A class from ``project.json``: format 2 lists {"id", "burst"} per sample,
        format 1 only ids (one recording per class, ``EARLIER``)."""
        taught = TaughtClass(str(entry["name"]))
        for item in entry["samples"]:
            sample_id, burst = saved_sample(item)
            view = cv2.imread(str(self.folder / "samples" / f"{sample_id}.jpg"))
            if view is not None and view.shape[:2] == (imagenet.SIZE, imagenet.SIZE):
                taught.samples.append(Sample(sample_id, view, burst))
        return taught

    def _load_embeddings(self) -> None:
        try:
            with np.load(self.folder / "embeddings.npz") as cached:
                self.embeddings = {k: cached[k] for k in cached.files}
        except (OSError, ValueError):
            self.embeddings = {}  # a missing or damaged cache is recomputed

    def _load_model(self) -> None:
        self.model = load_trained_model(self.folder / "model.npz")

    # -- changing ----------------------------------------------------------------------
    def add_sample(self, class_index: int, frame: np.ndarray,
                   burst: str | None = None) -> Sample:
        """Keep ``frame`` (any size, BGR) as a sample of the class, on disk at once, taken
        in recording ``burst`` (None: a picture on its own, a recording of its own)."""
        view = imagenet.model_view(frame)
        sample_id = uuid.uuid4().hex[:12]
        sample = Sample(sample_id, view, burst or sample_id)
        path = self.folder / "samples" / f"{sample.id}.jpg"
        ok, data = cv2.imencode(".jpg", view, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        if not ok:
            raise ProjectError(tr("Could not store the picture."))
        write_atomic(path, data.tobytes(), durable=False)
        # Train on the picture as stored, so a reopened project trains the same.
        stored = cv2.imdecode(data, cv2.IMREAD_COLOR)
        if stored is None:
            raise ProjectError(tr("Could not store the picture."))
        sample.view = stored
        self.classes[class_index].samples.append(sample)
        return sample

    def remove_sample(self, class_index: int, sample_id: str) -> None:
        samples = self.classes[class_index].samples
        self.classes[class_index].samples = [s for s in samples if s.id != sample_id]
        self.embeddings.pop(sample_id, None)

    def add_class(self, name: str) -> None:
        self.classes.append(TaughtClass(name))

    def remove_class(self, index: int) -> None:
        for sample in self.classes[index].samples:
            self.embeddings.pop(sample.id, None)
        del self.classes[index]

    def class_names(self) -> list[str]:
        return [c.name for c in self.classes]

    def counts(self) -> list[int]:
        return [len(c.samples) for c in self.classes]

    def missing_embeddings(self) -> list[Sample]:
        return [s for c in self.classes for s in c.samples if s.id not in self.embeddings]

    def training_data(self) -> tuple[np.ndarray, np.ndarray]:
        features, labels = [], []
        for index, taught in enumerate(self.classes):
            for sample in taught.samples:
                features.append(self.embeddings[sample.id])
                labels.append(index)
        return np.array(features, np.float32).reshape(-1, 1280), np.array(labels, int)

    def bursts(self) -> list[str]:
        """Each sample's recording, in the order of :meth:`training_data`."""
        return [s.burst for c in self.classes for s in c.samples]

    # -- saving ------------------------------------------------------------------------
    def save(self) -> None:
        data = {"format": FORMAT, "name": self.name,
                "classes": [{"name": c.name,
                             "samples": [{"id": s.id, "burst": s.burst} for s in c.samples]}
                            for c in self.classes]}
        if self.model is not None:
            data["model"] = {"classes": list(self.model.class_names),
                             "test_accuracy": self.model.test_accuracy,
                             "samples_per_class": list(self.model.samples_per_class),
                             "test_rules": list(self.model.test_rules)}
        try:
            write_atomic(self.folder / "project.json",
                          json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
            self._save_arrays()
            self._remove_orphans()
        except OSError as error:
            raise ProjectError(tr("Could not save the project: {error}")
                               .format(error=error.strerror or error)) from error

    def _save_arrays(self) -> None:
        keep = {s.id for c in self.classes for s in c.samples}
        cached = {k: v for k, v in self.embeddings.items() if k in keep}
        save_npz(self.folder / "embeddings.npz", cached)
        if self.model is not None:
            save_trained_model(self.folder / "model.npz", self.model)

    def _remove_orphans(self) -> None:
        keep = {f"{s.id}.jpg" for c in self.classes for s in c.samples}
        for path in (self.folder / "samples").glob("*.jpg"):
            if path.name not in keep:
                path.unlink(missing_ok=True)

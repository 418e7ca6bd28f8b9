"""A learner's "teach the computer gestures" project, kept on disk as it changes.

One folder per project under ``<data>/gesture_projects/<owner>/``::

    project.json   the gestures' names, their examples' ids and recordings, the model summary
    samples.npz    every example's 127 landmark features
    model.npz      the trained classifier

Examples are landmark features, not pictures: nothing of the pupil's face or room is
kept. Files are replaced whole, so a killed process loses at most the examples of the
recording under way; a damaged ``project.json`` raises :class:`ProjectError`.

Each example notes its recording (``burst``: one press of "Record", or a photo of its
own), so that the test holds out whole recordings. Format 1 projects, saved before
recordings were noted, open with each gesture's examples as one recording
(``EARLIER``) and are saved as format 2.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from classroom_app.core import paths
from classroom_app.core.hands.features import COUNT
from classroom_app.core.i18n import tr
from classroom_app.core.vision.held_out import saved_sample
from classroom_app.core.vision.model_store import (
    load_trained_model,
    save_npz,
    save_trained_model,
    write_atomic,
)
from classroom_app.core.vision.teach_project import ProjectError, slug
from classroom_app.core.vision.training import TrainedModel

FORMAT = 2
FORMATS = (1, 2)  # the ones this version opens


@dataclass
class GestureClass:
    name: str
    samples: dict[str, np.ndarray] = field(default_factory=dict)  # id -> features
    bursts: dict[str, str] = field(default_factory=dict)  # id -> recording


def projects_dir(owner: str) -> Path:
    path = paths.data_dir() / "gesture_projects" / slug(owner)
    path.mkdir(parents=True, exist_ok=True)
    return path


def newest_project(owner: str) -> Path | None:
    folders = [p for p in projects_dir(owner).iterdir() if (p / "project.json").is_file()]
    return max(folders, key=lambda p: (p / "project.json").stat().st_mtime, default=None)


class GestureProject:
    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.name = name
        self.classes: list[GestureClass] = []
        self.model: TrainedModel | None = None

    @classmethod
    def create(cls, owner: str, name: str, gestures: list[str]) -> GestureProject:
        base = projects_dir(owner) / slug(name)
        folder, n = base, 2
        while folder.exists():
            folder, n = base.with_name(f"{base.name}-{n}"), n + 1
        folder.mkdir(parents=True)
        project = cls(folder, name)
        project.classes = [GestureClass(g) for g in gestures]
        project.save()
        return project

    @classmethod
    def open(cls, folder: Path) -> GestureProject:
        try:
            data = json.loads((folder / "project.json").read_text(encoding="utf-8"))
            if data.get("format") not in FORMATS:
                raise ValueError(tr("unknown format {format}").format(format=data.get("format")))
            project = cls(folder, str(data["name"]))
            stored = project._load_samples()
            project.classes = [_read_class(entry, stored) for entry in data["classes"]]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ProjectError(tr("The project in '{folder}' cannot be opened: {error}.")
                               .format(folder=folder.name, error=error)) from error
        project.model = load_trained_model(folder / "model.npz")
        return project

    def _load_samples(self) -> dict[str, np.ndarray]:
        try:
            with np.load(self.folder / "samples.npz") as saved:
                return {str(i): f for i, f in zip(saved["ids"], saved["features"], strict=True)
                        if f.shape == (COUNT,) and np.isfinite(f).all()}
        except (OSError, ValueError, KeyError):
            return {}  # no examples yet, or a damaged file: the gestures stay, collect again

    # -- changing ----------------------------------------------------------------------
    def add_sample(self, class_index: int, features: np.ndarray,
                   burst: str | None = None) -> str:
        """Keep an example, taken in recording ``burst`` (None: a photo of its own)."""
        sample_id = uuid.uuid4().hex[:12]
        gesture = self.classes[class_index]
        gesture.samples[sample_id] = np.asarray(features, np.float32)
        gesture.bursts[sample_id] = burst or sample_id
        return sample_id

    def clear_class(self, class_index: int) -> None:
        self.classes[class_index].samples.clear()
        self.classes[class_index].bursts.clear()

    def add_class(self, name: str) -> None:
        self.classes.append(GestureClass(name))

    def remove_class(self, index: int) -> None:
        del self.classes[index]

    def rename_class(self, index: int, name: str) -> None:
        self.classes[index].name = name

    def class_names(self) -> list[str]:
        return [c.name for c in self.classes]

    def counts(self) -> list[int]:
        return [len(c.samples) for c in self.classes]

    def training_data(self) -> tuple[np.ndarray, np.ndarray]:
        features = [f for c in self.classes for f in c.samples.values()]
        labels = [i for i, c in enumerate(self.classes) for _ in c.samples]
        return (np.array(features, np.float32).reshape(-1, COUNT), np.array(labels, int))

    def bursts(self) -> list[str]:
        """Each example's recording, in the order of :meth:`training_data`."""
        return [c.bursts[i] for c in self.classes for i in c.samples]

    # -- saving ------------------------------------------------------------------------
    def save(self) -> None:
        data: dict = {"format": FORMAT, "name": self.name,
                      "classes": [{"name": c.name,
                                   "samples": [{"id": i, "burst": c.bursts[i]}
                                               for i in c.samples]}
                                  for c in self.classes]}
        if self.model is not None:
            data["model"] = {"classes": list(self.model.class_names),
                             "test_accuracy": self.model.test_accuracy,
                             "test_rules": list(self.model.test_rules)}
        ids = [i for c in self.classes for i in c.samples]
        features = [f for c in self.classes for f in c.samples.values()]
        try:
            save_npz(self.folder / "samples.npz",
                     {"ids": np.array(ids, dtype=str),
                      "features": np.array(features, np.float32).reshape(-1, COUNT)})
            if self.model is not None:
                save_trained_model(self.folder / "model.npz", self.model)
            write_atomic(self.folder / "project.json",
                         json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        except OSError as error:
            raise ProjectError(tr("Could not save the project: {error}")
                               .format(error=error.strerror or error)) from error


def _read_class(entry: dict, stored: dict[str, np.ndarray]) -> GestureClass:
    """A gesture from ``project.json``: format 2 lists {"id", "burst"} per example,
    format 1 only ids (one recording per gesture, ``EARLIER``)."""
    gesture = GestureClass(str(entry["name"]))
    for item in entry["samples"]:
        sample_id, burst = saved_sample(item)
        if sample_id in stored:
            gesture.samples[sample_id] = stored[sample_id]
            gesture.bursts[sample_id] = burst
    return gesture

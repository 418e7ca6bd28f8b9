"""Training off the GUI thread: embed the samples not yet cached, then fit the model."""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal

from classroom_app.core.vision.embeddings import Embedder
from classroom_app.core.vision.model_files import ModelError
from classroom_app.core.vision.teach_project import TeachProject
from classroom_app.core.vision.training import EpochReport, TrainingError, train


class TrainingWorker(QThread):
    embedding = Signal(int, int)  # done, total
    epoch = Signal(object)  # EpochReport
    done = Signal(object)  # TrainedModel
    failed = Signal(str)

    def __init__(self, project: TeachProject, embedder: Embedder,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.embedder = embedder
        self.names = project.class_names()
        self.counts = project.counts()
        self.samples = [s for c in project.classes for s in c.samples]
        self.bursts = project.bursts()
        self.missing = project.missing_embeddings()
        self._stop = threading.Event()

    def run(self) -> None:
        try:
            total = len(self.missing)
            if total:
                vectors = self.embedder.embed_views(
                    [s.view for s in self.missing],
                    lambda done: self.embedding.emit(done, total))
                for sample, vector in zip(self.missing, vectors, strict=True):
                    self.project.embeddings[sample.id] = vector
            features = np.array([self.project.embeddings[s.id] for s in self.samples],
                                np.float32).reshape(-1, 1280)
            labels = np.repeat(np.arange(len(self.counts)), self.counts)
            model = train(features, labels, self.names, on_epoch=self._epoch,
                          should_stop=self._stop.is_set, bursts=self.bursts)
        except (TrainingError, ModelError) as error:
            self.failed.emit(str(error))
            return
        if not self._stop.is_set():
            self.done.emit(model)

    def _epoch(self, report: EpochReport) -> None:
        self.epoch.emit(report)

    def stop(self) -> None:
        self._stop.set()
        self.wait(5000)

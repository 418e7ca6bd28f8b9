"""Training as a task for the view's runner: embed the samples not yet cached, then fit."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from classroom_app.core.vision.embeddings import Embedder
from classroom_app.core.vision.teach_project import TeachProject
from classroom_app.core.vision.training import TrainedModel, train


class Training:
    """What to train, read from ``project`` on the GUI thread; calling it runs on the
    worker, reporting ``(done, total)`` while embedding and ``(epoch, epochs, report)``
    for each training round."""

    def __init__(self, project: TeachProject, embedder: Embedder) -> None:
        self.project = project
        self.embedder = embedder
        self.names = project.class_names()
        self.counts = project.counts()
        self.samples = [s for c in project.classes for s in c.samples]
        self.bursts = project.bursts()
        self.missing = project.missing_embeddings()

    def __call__(self, report: Callable[..., None],
                 should_stop: Callable[[], bool]) -> TrainedModel:
        total = len(self.missing)
        if total:
            vectors = self.embedder.embed_views([s.view for s in self.missing],
                                                lambda done: report(done, total))
            for sample, vector in zip(self.missing, vectors, strict=True):
                self.project.embeddings[sample.id] = vector
        features = np.array([self.project.embeddings[s.id] for s in self.samples],
                            np.float32).reshape(-1, 1280)
        labels = np.repeat(np.arange(len(self.counts)), self.counts)
        return train(features, labels, self.names, should_stop=should_stop,
                     on_epoch=lambda epoch: report(epoch.epoch, epoch.epochs, epoch),
                     bursts=self.bursts)

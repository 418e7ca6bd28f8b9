"""Embeddings: EfficientNet-Lite0's 1280 pooled features, the input to a taught model.

A student's samples are turned into embeddings once (the expensive part) and a small
classifier is trained on them in well under a second.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from classroom_app.core.vision import imagenet
from classroom_app.core.vision.model_files import (
    EFFICIENTNET,
    load_manifest,
    open_session,
    verified_file,
)

FEATURES = 1280
BATCH = 8


class Embedder:
    """Turns pictures into feature vectors with the shipped fp32 network."""

    def __init__(self) -> None:
        manifest = load_manifest(EFFICIENTNET)
        self.model_path = verified_file(manifest.file("fp32"), manifest.sha256("fp32"))
        self.session = open_session(self.model_path)

    def embed_views(self, views: Sequence[np.ndarray],
                    progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Features [N, 1280] for 224x224 BGR model views, in batches."""
        out = np.zeros((len(views), FEATURES), np.float32)
        for start in range(0, len(views), BATCH):
            batch = np.concatenate([imagenet.to_input(v) for v in views[start:start + BATCH]])
            out[start:start + len(batch)] = self.session.run(["features"], {"input": batch})[0]
            if progress:
                progress(start + len(batch))
        return out

    def embed(self, frame: np.ndarray) -> np.ndarray:
        """Features [1280] for one BGR frame of any size."""
        return self.embed_views([imagenet.model_view(frame)])[0]

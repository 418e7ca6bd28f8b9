"""A frame source for benchmarks: cycles through frames in memory, ``limit`` in all,
so that a demo's worker loop is timed without camera or disk."""

from __future__ import annotations

import numpy as np

from classroom_app.core.vision.sources import SourceError


class LoopSource:
    def __init__(self, frames: list[np.ndarray], limit: int) -> None:
        self.frames, self.limit, self.count = frames, limit, 0

    def read(self) -> np.ndarray:
        if self.count >= self.limit:
            raise SourceError("done")
        self.count += 1
        return self.frames[self.count % len(self.frames)]

    def close(self) -> None:
        pass

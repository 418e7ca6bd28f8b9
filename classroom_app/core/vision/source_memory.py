"""Where each camera demo takes its pictures on a PC without a camera.

A teacher who once chose a video or a folder of photos for a demo should not have to
choose it again every lesson: the choice is kept per demo in the settings and offered
first the next time the camera cannot be opened, as long as the file or folder is
still there.
"""

from __future__ import annotations

from collections.abc import Callable

from classroom_app.core.settings import Settings
from classroom_app.core.vision.sources import SourceSpec


class SourceMemory:
    """Reads and writes ``Settings.demo_sources`` through the app's own settings."""

    def __init__(self, current: Callable[[], Settings],
                 update: Callable[..., None]) -> None:
        self._current = current
        self._update = update

    def recall(self, demo_id: str) -> SourceSpec | None:
        """The source chosen last time for ``demo_id``, if it can still be opened."""
        spec = SourceSpec.from_dict(self._current().demo_sources.get(demo_id))
        return spec if spec is not None and spec.kind != "camera" and spec.exists() else None

    def remember(self, demo_id: str, spec: SourceSpec) -> None:
        """Keep ``spec`` for ``demo_id`` (a camera is never kept: it is always tried)."""
        if spec.kind == "camera":
            return
        sources = dict(self._current().demo_sources)
        sources[demo_id] = spec.to_dict()
        self._update(demo_sources=sources)

    def forget(self, demo_id: str) -> None:
        sources = dict(self._current().demo_sources)
        if sources.pop(demo_id, None) is not None:
            self._update(demo_sources=sources)

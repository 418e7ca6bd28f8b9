"""What outlives the pages (a language change rebuilds them): built by the app's
composition root and handed to the main window."""

from __future__ import annotations

from dataclasses import dataclass, field

from classroom_app.core.session.discovery import Announcing
from classroom_app.core.session.protocol import PORT
from classroom_app.core.session.runtime import SessionRuntime
from classroom_app.ui.sync.class_hub import ClassHub
from classroom_app.ui.sync.runner import SyncRunner


@dataclass
class SessionServices:
    """What every dual-teacher session of this run shares."""

    port: int = PORT  # classrooms type it; tests take any free port (0)
    discovery: Announcing = field(default_factory=Announcing)  # tests: loopback only
    _runtime: SessionRuntime | None = field(default=None, init=False)

    def runtime(self) -> SessionRuntime:
        """The one loop thread for live sessions, started when first needed."""
        if self._runtime is None:
            self._runtime = SessionRuntime()
        return self._runtime

    def close(self) -> None:
        if self._runtime is not None:
            self._runtime.close()


@dataclass
class Services:
    sync: SyncRunner
    class_hub: ClassHub
    sessions: SessionServices

    def shutdown(self) -> None:
        """Sessions, sync work and the class hub end before the app does."""
        self.sessions.close()
        self.sync.shutdown()
        self.class_hub.shutdown()

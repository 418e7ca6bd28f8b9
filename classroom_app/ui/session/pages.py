"""The dual-teacher page: the launcher, then the session hosted, joined or replayed, and
the launcher again when it ends."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from classroom_app.core.context import AppContext
from classroom_app.core.lessons.model import Lesson
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.ui.services import SessionServices

if TYPE_CHECKING:
    from classroom_app.core.session.recording import Recording
    from classroom_app.ui.session.classroom_view import SessionClassroomView
    from classroom_app.ui.session.host_view import SessionHostView
    from classroom_app.ui.session.launcher_view import SessionLauncherView

# WebRTC and codecs load when the page is first opened, not at start-up: the views are
# imported inside the methods.


class SessionPages:
    def __init__(self, ctx: AppContext, services: SessionServices,
                 show: Callable[[QWidget], None], open_demo: Callable,
                 closing: Callable[[], bool]) -> None:
        self.ctx = ctx
        self.services = services
        self.show = show  # puts a widget on the dual-teacher page
        self.open_demo = open_demo
        self.closing = closing

    def launcher(self) -> SessionLauncherView:
        from classroom_app.ui.session.launcher_view import SessionLauncherView

        launcher = SessionLauncherView(self.ctx, self.services.runtime(),
                                       self.services.discovery.port)
        launcher.host.connect(self.host)
        launcher.join.connect(self.join)
        launcher.replay.connect(self.replay)
        return launcher

    def host(self, lesson: Lesson, source: SourceSpec | None, record: bool) -> None:
        from classroom_app.ui.session.host_view import SessionHostView

        self._open(SessionHostView(self.ctx, self.services.runtime(), lesson, source, record,
                                   self.services.port, self.services.discovery))

    def join(self, address: str, code: str, name: str, class_id: int | None) -> None:
        view = self._classroom(class_id)
        view.join(address, code, name)
        self._open(view)

    def replay(self, recording: Recording, class_id: int | None) -> None:
        view = self._classroom(class_id)
        view.play(recording)
        self._open(view)

    def _classroom(self, class_id: int | None) -> SessionClassroomView:
        from classroom_app.ui.session.classroom_view import SessionClassroomView

        return SessionClassroomView(self.ctx, self.services.runtime(), self.open_demo, class_id)

    def _open(self, view: SessionHostView | SessionClassroomView) -> None:
        view.left.connect(self._left)
        self.show(view)

    def _left(self) -> None:
        if not self.closing():  # a session that ends as the window closes leaves no page
            self.show(self.launcher())

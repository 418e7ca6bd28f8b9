"""What the sync tests share besides fixtures: the school, the two hub backends, and
real statements recorded as the demos record them. (A module of its own: ``conftest``
is ambiguous between tests/core and tests/ui.)"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from classroom_app.core import xapi
from classroom_app.core.context import AppContext
from classroom_app.hub.devices import Enrolment
from classroom_app.hub.lrs import Lrs
from classroom_app.hub.server import HubHttpServer
from classroom_app.hub.storage import open_storage

__all__ = ["BACKENDS", "SCHOOL", "RunningHub", "open_storage", "record_statements"]

SCHOOL = "https://school.example.edu.cn/"
BACKENDS = pytest.mark.parametrize("hub_database", ["sqlite", "postgres"], indirect=True)


@dataclass
class RunningHub:
    server: HubHttpServer
    lrs: Lrs
    school: Enrolment
    district: Enrolment

    @property
    def url(self) -> str:
        return self.server.url


def record_statements(ctx: AppContext, count: int, learners: int = 5) -> list[str]:
    """``count`` real experiment statements for a class, as the demos record them."""
    ctx.update_settings(school_home_page=SCHOOL)
    info = ctx.store.add_class("四(2)班", "primary", 4, "2026-09-01")
    ctx.store.add_learners(info.id, [(f"2026{n:04}", f"学生{n}") for n in range(learners)])
    pupils = ctx.store.learners(info.id)
    ids = []
    with ctx.store.transaction():
        for n in range(count):
            result = xapi.experiment_result(["猫", "狗"], [5 + n % 7, 6], 4, (n % 5) / 4)
            ids.append(ctx.progress.record_experiment(
                pupils[n % learners].id, "teach_the_computer",
                {"zh_CN": "教计算机认图片", "en": "Teach the computer"}, result) or "")
    return ids

"""What the sync tests share besides fixtures: the school, the two hub backends, and
real statements recorded as the demos record them. (A module of its own: ``conftest``
is ambiguous between tests/core and tests/ui.)"""

from __future__ import annotations

import urllib.error
import urllib.request
from base64 import b64encode
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest

from classroom_app.core import xapi
from classroom_app.core.context import AppContext
from classroom_app.hub.devices import Enrolment
from classroom_app.hub.lrs import Lrs
from classroom_app.hub.server import HubHttpServer
from classroom_app.hub.storage import open_storage

__all__ = ["BACKENDS", "SCHOOL", "RunningHub", "hub_request", "open_storage",
           "record_statements"]

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


def hub_request(hub: RunningHub, method: str, resource: str, params: dict[str, str],
                body: bytes = b"", headers: dict[str, str] | None = None,
                district: bool = False) -> tuple[int, bytes, dict[str, str]]:
    """One request as an xAPI client sends it: (status, body, headers)."""
    enrolment = hub.district if district else hub.school
    token = b64encode(f"{enrolment.device.username}:{enrolment.password}".encode()).decode()
    request = urllib.request.Request(
        f"{hub.url}{resource}?{urlencode(params)}", data=body if method in ("PUT", "POST")
        else None, method=method, headers={"Authorization": f"Basic {token}",
                                           "X-Experience-API-Version": "1.0.3",
                                           **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read(), dict(answer.headers.items())
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers.items())

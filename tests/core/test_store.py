"""The store: WAL, foreign keys, versioned schema, and transactions that hold."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from classroom_app.core.store import MIGRATIONS, Store, StoreError


def test_a_new_store_is_wal_with_foreign_keys_and_versioned(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.version == len(MIGRATIONS)
    assert {"classes", "learners", "attempts", "step_results", "answers", "attendance",
            "settings", "outbox"} <= set(store.db.table_names())
    store.close()
    again = Store(tmp_path / "s.sqlite3")  # re-opening migrates nothing
    assert again.version == len(MIGRATIONS)


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    with pytest.raises(sqlite3.IntegrityError):
        store.add_learners(999, [("1", "A")])


def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    info = store.add_class("4(2)", "primary", 4, "2026-09-01")
    with pytest.raises(RuntimeError), store.transaction():
        store.append_statement("a", "{}", "2026-09-01T00:00:00Z")
        raise RuntimeError("power cut")
    assert store.statements() == []
    assert store.get_class(info.id) == info


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError):
        Store(path)


def test_deleting_a_class_deletes_its_learners(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    info = store.add_class("4(2)", "primary", 4, "2026-09-01")
    store.add_learners(info.id, [("1", "A"), ("2", "B")])
    store.delete_class(info.id)
    assert store.query("SELECT COUNT(*) AS n FROM learners")[0]["n"] == 0


def test_version_3_adds_the_gender_to_an_existing_roster(tmp_path: Path) -> None:
    """A PC's database from before rosters had a gender migrates forward: its pupils
    keep everything and have no gender yet; only 男, 女 or nothing is stored."""
    path = tmp_path / "s.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    for migration in MIGRATIONS[:2]:
        migration(db)
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO classes VALUES (1, '4(2)', 'primary', 4, '2026-09-01')")
    conn.execute("INSERT INTO learners (class_id, student_number, name) VALUES (1, '1', '甲')")
    conn.close()
    store = Store(path)
    assert store.version == 3
    assert [(x.student_number, x.name, x.gender) for x in store.learners(1)] == [("1", "甲", "")]
    store.add_learners(1, [("1", "甲", "女"), ("2", "乙")])
    store.add_learners(1, [("1", "甲乙")])  # no gender given: the stored one stays
    assert [(x.name, x.gender) for x in store.learners(1)] == [("甲乙", "女"), ("乙", "")]
    with pytest.raises(sqlite3.IntegrityError):
        store.add_learners(1, [("3", "丙", "x")])

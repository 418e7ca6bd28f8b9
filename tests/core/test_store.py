"""The store: WAL, foreign keys, versioned schema, and transactions that hold."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
import sqlite_utils

from classroom_app.core import paths
from classroom_app.core.store import MIGRATIONS, Attempt, Store, StoreError


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


def _attempt(attempt_id: str, class_id: int, learner_id: int | None, lesson: str,
             started: str, finished: str | None = None) -> Attempt:
    mode = "class" if learner_id is None else "student"
    return Attempt(attempt_id, lesson, class_id, learner_id, mode, started, finished, 0, 0.0)


def test_attempts_are_read_by_learner_and_lesson_oldest_first(tmp_path: Path) -> None:
    """A learner's attempts at one lesson, the unfinished ones among them, and one attempt
    by id; the whole list has every attempt and class session."""
    store = Store(tmp_path / "s.sqlite3")
    info = store.add_class("4(2)", "primary", 4, "2026-09-01")
    store.add_learners(info.id, [("1", "甲"), ("2", "乙")])
    first, second = store.learners(info.id)
    for attempt in (_attempt("b", info.id, first.id, "L1", "2026-09-02", "2026-09-02"),
                    _attempt("a", info.id, first.id, "L1", "2026-09-01"),
                    _attempt("c", info.id, first.id, "L2", "2026-09-03"),
                    _attempt("d", info.id, second.id, "L1", "2026-09-04"),
                    _attempt("e", info.id, None, "L1", "2026-09-05")):
        store.insert_attempt(attempt)
    assert [a.id for a in store.learner_attempts(first.id, "L1")] == ["a", "b"]
    assert [a.id for a in store.unfinished_attempts(first.id, "L1")] == ["a"]
    assert store.get_attempt("c").lesson_id == "L2"
    assert [a.id for a in store.attempts()] == ["a", "b", "c", "d", "e"]


def test_a_pupils_name_is_found_by_student_number(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    info = store.add_class("4(2)", "primary", 4, "2026-09-01")
    store.add_learners(info.id, [("20260001", "甲")])
    assert store.name_for_student_number("20260001") == "甲"
    assert store.name_for_student_number("20269999") is None


def test_statement_reads_for_reports_and_usb_files(tmp_path: Path) -> None:
    """The oldest statement's time; the texts of a time window (or matching a pattern)
    in the order written; and what a USB file carries: neither acknowledged nor refused."""
    store = Store(tmp_path / "s.sqlite3")
    assert store.first_statement_created() is None
    for sid, text, created in (("1", '{"n":1}', "2026-09-02"),
                               ("2", '{"n":2,"x":"y"}', "2027-03-01"),
                               ("3", '{"n":3}', "2026-08-30"), ("4", '{"n":4}', "2026-10-01")):
        store.append_statement(sid, text, created)
    assert store.first_statement_created() == "2026-08-30"
    texts = store.statement_texts_created("2026-09-01", "2027-01-01", '%"x":"y"%')
    assert list(texts) == ['{"n":1}', '{"n":2,"x":"y"}', '{"n":4}']
    store.acknowledge(["1"], "hub")
    store.reject("3", "refused")
    assert [(r["id"], r["created"]) for r in store.statements_to_export()] == [
        ("2", "2027-03-01"), ("4", "2026-10-01")]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_database_and_its_folder_are_owner_only(tmp_path: Path) -> None:
    """The store holds the sync password in clear: the data folder is 0700 and the
    database with its WAL and SHM files 0600, whatever the umask."""
    old = os.umask(0o022)
    try:
        path = paths.database_path()
        store = Store(path)
        store.put_settings({"sync_password": "secret"})
        assert _mode(path.parent) == 0o700
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert name.exists() and _mode(name) == 0o600, name
        store.close()
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_an_older_readable_database_is_tightened_on_open(tmp_path: Path) -> None:
    """A data folder and files an older version made 0755 / 0644 are made owner-only."""
    path = paths.database_path()
    Store(path).close()
    side = Path(f"{path}-journal")
    side.write_bytes(b"")
    for name in (path, side):
        name.chmod(0o644)
    path.parent.chmod(0o755)
    store = Store(paths.database_path())  # as the app opens it
    assert _mode(path.parent) == 0o700
    assert _mode(path) == 0o600 and _mode(side) == 0o600
    store.close()


def test_a_full_disk_rolls_back_cleanly_and_says_the_disk_is_full(tmp_path: Path) -> None:
    """SQLite's page limit gives a real "database or disk is full" mid-transaction; the
    store used to hide it behind "cannot rollback - no transaction is active"."""
    from classroom_app.core.store import DiskFullError

    store = Store(tmp_path / "s.sqlite3")
    info = store.add_class("4(2)", "primary", 4, "2026-09-01")
    store.add_learners(info.id, [("1", "A")])
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    many = [(str(n), "名字" * 200) for n in range(2, 2000)]
    with pytest.raises(DiskFullError, match="disk is full|磁盘已满") as caught:
        store.add_learners(info.id, many)
    assert "rollback" not in str(caught.value)
    with pytest.raises(DiskFullError, match="disk is full|磁盘已满"), store.transaction():
        store.add_learners(info.id, many)  # nested: the outer one rolls back too
    assert not store.conn.in_transaction
    assert [p.student_number for p in store.learners(info.id)] == ["1"]
    store.conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    store.add_learners(info.id, many[:10])
    assert len(store.learners(info.id)) == 11
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

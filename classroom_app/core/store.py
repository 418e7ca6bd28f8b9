"""The one place that talks to SQLite.

WAL journal, foreign keys on, ``synchronous=FULL`` (classroom PCs lose power), and the
schema versioned with ``PRAGMA user_version`` and applied by forward migrations. Every
change to progress is written together with the xAPI statement that records it in one
transaction (:meth:`Store.transaction`), so the outbox never disagrees with progress.

Writes use plain ``execute`` inside our own transactions because sqlite-utils' write
helpers commit on their own; sqlite-utils builds the schema and answers queries.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from classroom_app.core.i18n import tr
from classroom_app.core.private_files import private_database


@dataclass(frozen=True)
class ClassInfo:
    id: int
    name: str
    stage: str
    grade: int


@dataclass(frozen=True)
class Learner:
    id: int
    class_id: int
    student_number: str
    name: str
    # "男", "女" or "" (not known). Kept on this PC with the roster only: statements,
    # sync files and every export sent off the PC identify a pupil by the student
    # number alone and never carry the gender (see core/xapi.py).
    gender: str = ""


GENDERS = ("男", "女")


@dataclass(frozen=True)
class Attempt:
    id: str
    lesson_id: str
    class_id: int
    learner_id: int | None
    mode: str
    started: str
    finished: str | None
    current_step: int
    seconds: float


def _v1(db: sqlite_utils.Database) -> None:
    db.execute("""CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)""")
    db.execute("""CREATE TABLE classes (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, stage TEXT NOT NULL,
        grade INTEGER NOT NULL, created TEXT NOT NULL)""")
    db.execute("""CREATE TABLE learners (
        id INTEGER PRIMARY KEY,
        class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        student_number TEXT NOT NULL, name TEXT NOT NULL,
        UNIQUE (class_id, student_number))""")
    db.execute("""CREATE TABLE attempts (
        id TEXT PRIMARY KEY, lesson_id TEXT NOT NULL,
        class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
        learner_id INTEGER REFERENCES learners(id) ON DELETE CASCADE,
        mode TEXT NOT NULL CHECK (mode IN ('student', 'class')),
        started TEXT NOT NULL, finished TEXT,
        current_step INTEGER NOT NULL DEFAULT 0, seconds REAL NOT NULL DEFAULT 0)""")
    db.execute("CREATE INDEX attempts_learner ON attempts (learner_id, lesson_id)")
    db.execute("""CREATE TABLE step_results (
        attempt_id TEXT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
        step_id TEXT NOT NULL, completed TEXT NOT NULL, seconds REAL NOT NULL DEFAULT 0,
        score REAL, max_score REAL, response TEXT,
        PRIMARY KEY (attempt_id, step_id))""")
    db.execute("""CREATE TABLE answers (
        attempt_id TEXT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
        step_id TEXT NOT NULL, question INTEGER NOT NULL, response TEXT NOT NULL,
        correct INTEGER NOT NULL, answered TEXT NOT NULL,
        PRIMARY KEY (attempt_id, step_id, question))""")
    db.execute("""CREATE TABLE attendance (
        attempt_id TEXT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
        learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
        seconds REAL NOT NULL, recorded TEXT NOT NULL,
        PRIMARY KEY (attempt_id, learner_id))""")
    db.execute("""CREATE TABLE outbox (
        id TEXT PRIMARY KEY, statement TEXT NOT NULL, created TEXT NOT NULL,
        sent INTEGER NOT NULL DEFAULT 0)""")
    db.execute("CREATE INDEX outbox_unsent ON outbox (sent, created)")


def _v2(db: sqlite_utils.Database) -> None:
    """Sync: why an LRS refused a statement (kept and shown, never dropped), the USB
    files written and what each held (a receipt acknowledges exactly those), and a log
    of sync runs (the "last synced" the teacher sees)."""
    db.execute("ALTER TABLE outbox ADD COLUMN rejected TEXT")
    db.execute("ALTER TABLE outbox ADD COLUMN acknowledged TEXT")
    db.execute("""CREATE TABLE usb_exports (
        id TEXT PRIMARY KEY, created TEXT NOT NULL, path TEXT NOT NULL,
        statements INTEGER NOT NULL, sha256 TEXT NOT NULL, acknowledged TEXT)""")
    db.execute("""CREATE TABLE usb_export_items (
        export_id TEXT NOT NULL REFERENCES usb_exports(id) ON DELETE CASCADE,
        statement_id TEXT NOT NULL, PRIMARY KEY (export_id, statement_id))""")
    db.execute("""CREATE TABLE sync_log (
        id INTEGER PRIMARY KEY, finished TEXT NOT NULL, kind TEXT NOT NULL,
        target TEXT NOT NULL, acknowledged INTEGER NOT NULL, rejected INTEGER NOT NULL,
        remaining INTEGER NOT NULL, error TEXT)""")


def _v3(db: sqlite_utils.Database) -> None:
    """Rosters: each pupil's gender (性别) as the school's list gives it, or empty. It
    stays in this table; nothing that leaves the PC reads it."""
    db.execute("ALTER TABLE learners ADD COLUMN gender TEXT NOT NULL DEFAULT ''"
               " CHECK (gender IN ('', '男', '女'))")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3]


class StoreError(Exception):
    """The database cannot be opened or written, or is newer than this app."""


class DiskFullError(StoreError):
    """The disk (or SQLite's page limit) is full: what was being written was rolled
    back whole, and the data already stored is intact."""

    def __init__(self) -> None:
        super().__init__(tr("The disk is full: this was not saved (everything saved "
                            "before is safe). Free some space on the disk and try again."))


def _is_disk_full(error: BaseException) -> bool:
    return isinstance(error, sqlite3.OperationalError) and (
        getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
        or "disk is full" in str(error))


class Store:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            private_database(self.path)  # the sync password is in it: 0600, tightened
            conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=10)
            self.db = sqlite_utils.Database(conn)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._depth = 0
            self._migrate()
        except sqlite3.DatabaseError as error:
            raise StoreError(str(error)) from error

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def close(self) -> None:
        self.conn.close()

    @property
    def version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.version
        if current > len(MIGRATIONS):
            raise StoreError(f"database schema {current} is newer than this app")
        for number in range(current, len(MIGRATIONS)):
            with self.transaction():
                MIGRATIONS[number](self.db)
                self.conn.execute(f"PRAGMA user_version = {number + 1}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All writes inside commit together or not at all. Nests."""
        if self._depth == 0:
            self.conn.execute("BEGIN IMMEDIATE")
        self._depth += 1
        try:
            yield self.conn
            if self._depth == 1:
                self.conn.execute("COMMIT")
        except BaseException as error:
            self._depth -= 1
            if self._depth == 0:
                self._roll_back()
                if _is_disk_full(error):
                    raise DiskFullError() from error
            raise
        self._depth -= 1

    def _roll_back(self) -> None:
        """SQLite may already have rolled back by itself (a full disk does that): the
        error that caused it is the one to report, not the failed ROLLBACK."""
        if self.conn.in_transaction:
            with suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    # -- settings ------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        return {row["key"]: json.loads(row["value"]) for row in self.db.query(
            "SELECT key, value FROM settings")}

    def put_settings(self, values: dict[str, Any]) -> None:
        with self.transaction() as c:
            for key, value in values.items():
                c.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) "
                          "DO UPDATE SET value = excluded.value",
                          (key, json.dumps(value, ensure_ascii=False)))

    # -- classes and learners --------------------------------------------------------
    def add_class(self, name: str, stage: str, grade: int, created: str) -> ClassInfo:
        with self.transaction() as c:
            cur = c.execute("INSERT INTO classes (name, stage, grade, created) VALUES (?,?,?,?)",
                            (name, stage, grade, created))
        return ClassInfo(int(cur.lastrowid or 0), name, stage, grade)

    def classes(self) -> list[ClassInfo]:
        return [ClassInfo(r["id"], r["name"], r["stage"], r["grade"]) for r in self.db.query(
            "SELECT id, name, stage, grade FROM classes ORDER BY grade, name")]

    def get_class(self, class_id: int) -> ClassInfo | None:
        return next((c for c in self.classes() if c.id == class_id), None)

    def delete_class(self, class_id: int) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM classes WHERE id = ?", (class_id,))

    def add_learners(self, class_id: int,
                     rows: Sequence[tuple[str, str] | tuple[str, str, str | None]]) -> int:
        """Add or update pupils by student number: rows of (number, name) or (number,
        name, gender); a gender of None (or none given) keeps the one already stored."""
        with self.transaction() as c:
            for number, name, *rest in rows:
                gender = rest[0] if rest else None
                c.execute("INSERT INTO learners (class_id, student_number, name, gender)"
                          " VALUES (?,?,?,COALESCE(?, ''))"
                          " ON CONFLICT(class_id, student_number) DO UPDATE SET"
                          " name = excluded.name, gender = COALESCE(?, gender)",
                          (class_id, number, name, gender, gender))
        return len(rows)

    def update_learner(self, learner_id: int, number: str, name: str, gender: str) -> None:
        """Change one pupil's student number, name and gender; progress stays theirs."""
        with self.transaction() as c:
            c.execute("UPDATE learners SET student_number = ?, name = ?, gender = ?"
                      " WHERE id = ?", (number, name, gender, learner_id))

    @staticmethod
    def _learner(row: dict[str, Any]) -> Learner:
        return Learner(row["id"], row["class_id"], row["student_number"], row["name"],
                       row["gender"])

    def learners(self, class_id: int) -> list[Learner]:
        return [self._learner(r) for r in self.db.query(
            "SELECT * FROM learners WHERE class_id = ? ORDER BY student_number", [class_id])]

    def get_learner(self, learner_id: int) -> Learner | None:
        rows = list(self.db.query("SELECT * FROM learners WHERE id = ?", [learner_id]))
        return self._learner(rows[0]) if rows else None

    def name_for_student_number(self, student_number: str) -> str | None:
        """The name of a pupil with this student number, in any class (None: nobody)."""
        rows = self.query("SELECT name FROM learners WHERE student_number = ? LIMIT 1",
                          (student_number,))
        return rows[0]["name"] if rows else None

    def delete_learner(self, learner_id: int) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM learners WHERE id = ?", (learner_id,))

    # -- attempts, results, outbox ---------------------------------------------------
    def insert_attempt(self, attempt: Attempt) -> None:
        self.conn.execute(
            "INSERT INTO attempts VALUES (?,?,?,?,?,?,?,?,?)",
            (attempt.id, attempt.lesson_id, attempt.class_id, attempt.learner_id, attempt.mode,
             attempt.started, attempt.finished, attempt.current_step, attempt.seconds))

    def _attempts(self, where: str = "1", params: tuple = ()) -> list[Attempt]:
        return [Attempt(**r) for r in self.db.query(
            f"SELECT * FROM attempts WHERE {where} ORDER BY started", list(params))]

    def attempts(self) -> list[Attempt]:
        """Every attempt and class session on this PC, oldest first."""
        return self._attempts()

    def get_attempt(self, attempt_id: str) -> Attempt:
        """The attempt with this id as stored now (raises IndexError if there is none)."""
        return self._attempts("id = ?", (attempt_id,))[0]

    def learner_attempts(self, learner_id: int, lesson_id: str) -> list[Attempt]:
        """A learner's attempts at a lesson, oldest first."""
        return self._attempts("learner_id = ? AND lesson_id = ?", (learner_id, lesson_id))

    def unfinished_attempts(self, learner_id: int, lesson_id: str) -> list[Attempt]:
        """A learner's attempts at a lesson not finished yet, oldest first."""
        return self._attempts("learner_id = ? AND lesson_id = ? AND finished IS NULL",
                              (learner_id, lesson_id))

    def update_attempt(self, attempt_id: str, **values: Any) -> None:
        columns = ", ".join(f"{k} = ?" for k in values)
        self.conn.execute(f"UPDATE attempts SET {columns} WHERE id = ?",
                          (*values.values(), attempt_id))

    def add_attempt_seconds(self, attempt_id: str, seconds: float) -> None:
        self.conn.execute("UPDATE attempts SET seconds = seconds + ? WHERE id = ?",
                          (seconds, attempt_id))

    def upsert_step_result(self, attempt_id: str, step_id: str, completed: str, seconds: float,
                           score: float | None, max_score: float | None,
                           response: str | None) -> None:
        self.conn.execute(
            "INSERT INTO step_results VALUES (?,?,?,?,?,?,?) ON CONFLICT(attempt_id, step_id) "
            "DO UPDATE SET completed = excluded.completed, seconds = seconds + excluded.seconds,"
            " score = excluded.score, max_score = excluded.max_score,"
            " response = excluded.response",
            (attempt_id, step_id, completed, seconds, score, max_score, response))

    def step_results(self, attempt_id: str) -> dict[str, dict[str, Any]]:
        return {r["step_id"]: r for r in self.db.query(
            "SELECT * FROM step_results WHERE attempt_id = ?", [attempt_id])}

    def upsert_answer(self, attempt_id: str, step_id: str, question: int, response: str,
                      correct: bool, answered: str) -> None:
        self.conn.execute(
            "INSERT INTO answers VALUES (?,?,?,?,?,?) ON CONFLICT(attempt_id, step_id, question)"
            " DO UPDATE SET response = excluded.response, correct = excluded.correct,"
            " answered = excluded.answered",
            (attempt_id, step_id, question, response, int(correct), answered))

    def answers(self, attempt_id: str, step_id: str) -> dict[int, dict[str, Any]]:
        return {r["question"]: r for r in self.db.query(
            "SELECT * FROM answers WHERE attempt_id = ? AND step_id = ?", [attempt_id, step_id])}

    def insert_attendance(self, attempt_id: str, learner_id: int, seconds: float,
                          recorded: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO attendance VALUES (?,?,?,?)",
                          (attempt_id, learner_id, seconds, recorded))

    def append_statement(self, statement_id: str, text: str, created: str) -> None:
        self.conn.execute("INSERT INTO outbox (id, statement, created) VALUES (?,?,?)",
                          (statement_id, text, created))

    def statements(self, unsent_only: bool = False) -> list[dict[str, Any]]:
        where = "WHERE sent = 0" if unsent_only else ""
        return list(self.db.query(f"SELECT * FROM outbox {where} ORDER BY rowid"))

    def first_statement_created(self) -> str | None:
        """When the oldest statement on this PC was written (None: there is none)."""
        rows = self.query("SELECT MIN(created) AS first FROM outbox")
        return rows[0]["first"] if rows else None

    def statement_texts_created(self, low: str, high: str, or_like: str) -> Iterator[str]:
        """The text of every statement created in [low, high) or whose text matches the
        LIKE pattern ``or_like``, in the order written; read lazily, as it is consumed."""
        return (r[0] for r in self.conn.execute(
            "SELECT statement FROM outbox WHERE created >= ? AND (created < ? OR statement LIKE ?)"
            " ORDER BY rowid", (low, high, or_like)))

    # -- sync ------------------------------------------------------------------------------
    # Statements leave in the order they were written (rowid), never by their
    # timestamps: a PC clock set back must not reorder or skip anything.
    _PENDING = "sent = 0 AND rejected IS NULL"

    def pending_statements(self, after: int = 0, limit: int = 500) -> list[tuple[int, str, str]]:
        """(rowid, id, text) of statements still to send, after rowid ``after``."""
        return [tuple(r) for r in self.conn.execute(
            f"SELECT rowid, id, statement FROM outbox WHERE {self._PENDING} AND rowid > ?"
            " ORDER BY rowid LIMIT ?", (after, limit))]

    def outbox_counts(self) -> dict[str, int]:
        row = self.conn.execute(
            f"SELECT COALESCE(SUM({self._PENDING}), 0), COALESCE(SUM(sent), 0),"
            " COALESCE(SUM(rejected IS NOT NULL AND sent = 0), 0) FROM outbox").fetchone()
        return {"pending": row[0], "acknowledged": row[1], "rejected": row[2]}

    def acknowledge(self, ids: list[str], how: str) -> None:
        with self.transaction() as c:
            c.executemany("UPDATE outbox SET sent = 1, rejected = NULL, acknowledged = ?"
                          " WHERE id = ?", [(how, i) for i in ids])

    def reject(self, statement_id: str, reason: str) -> None:
        with self.transaction() as c:
            c.execute("UPDATE outbox SET rejected = ? WHERE id = ? AND sent = 0",
                      (reason, statement_id))

    def statements_to_export(self) -> list[dict[str, Any]]:
        """id, statement and created of every statement still to send (not acknowledged,
        not refused), in the order written: what a USB sync file carries."""
        return self.query(f"SELECT id, statement, created FROM outbox WHERE {self._PENDING}"
                          " ORDER BY rowid")

    def rejected_statements(self) -> list[dict[str, Any]]:
        return self.query("SELECT id, statement, created, rejected FROM outbox"
                          " WHERE rejected IS NOT NULL AND sent = 0 ORDER BY rowid")

    def statements_on_this_pc(self) -> list[tuple[str, str]]:
        """(id, text) of records that never left this PC: not acknowledged by a hub and
        not written to a USB file (refused ones included: the hub did not keep them)."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT id, statement FROM outbox WHERE sent = 0 AND id NOT IN"
            " (SELECT statement_id FROM usb_export_items) ORDER BY rowid")]

    def rewrite_statements(self, changes: list[tuple[str, str]]) -> None:
        """Replace the text of records that never left this PC (and clear a refusal, so
        they are sent again); all in one transaction."""
        with self.transaction() as c:
            c.executemany("UPDATE outbox SET statement = ?, rejected = NULL"
                          " WHERE id = ? AND sent = 0", [(text, i) for i, text in changes])

    def retry_rejected(self) -> int:
        """Send refused statements again (after the hub or the app was fixed)."""
        with self.transaction() as c:
            return c.execute("UPDATE outbox SET rejected = NULL WHERE rejected IS NOT NULL"
                             " AND sent = 0").rowcount

    def log_sync(self, kind: str, target: str, acknowledged: int, rejected: int,
                 remaining: int, error: str | None, finished: str) -> None:
        with self.transaction() as c:
            c.execute("INSERT INTO sync_log (finished, kind, target, acknowledged, rejected,"
                      " remaining, error) VALUES (?,?,?,?,?,?,?)",
                      (finished, kind, target, acknowledged, rejected, remaining, error))

    def last_sync(self, succeeded: bool = True) -> dict[str, Any] | None:
        where = "WHERE error IS NULL" if succeeded else ""
        rows = self.query(f"SELECT * FROM sync_log {where} ORDER BY id DESC LIMIT 1")
        return rows[0] if rows else None

    def record_export(self, export_id: str, created: str, path: str, sha256: str,
                      ids: list[str]) -> None:
        with self.transaction() as c:
            c.execute("INSERT INTO usb_exports (id, created, path, statements, sha256)"
                      " VALUES (?,?,?,?,?)", (export_id, created, path, len(ids), sha256))
            c.executemany("INSERT INTO usb_export_items VALUES (?, ?)",
                          [(export_id, i) for i in ids])

    def export_info(self, export_id: str) -> dict[str, Any] | None:
        rows = self.query("SELECT * FROM usb_exports WHERE id = ?", (export_id,))
        return rows[0] if rows else None

    def acknowledge_export(self, export_id: str, when: str) -> int:
        """The hub imported this USB file: its statements are acknowledged."""
        with self.transaction() as c:
            count = c.execute(
                "UPDATE outbox SET sent = 1, rejected = NULL, acknowledged = ? WHERE sent = 0"
                " AND id IN (SELECT statement_id FROM usb_export_items WHERE export_id = ?)",
                (f"usb:{export_id}", export_id)).rowcount
            c.execute("UPDATE usb_exports SET acknowledged = ? WHERE id = ?", (when, export_id))
        return count

    def query(self, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
        """A read-only query: the named reads above use it, and tests check rows with it."""
        return list(self.db.query(sql, list(params)))

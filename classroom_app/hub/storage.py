"""Where the hub keeps statements: SQLite (one file) or PostgreSQL (a district server).

Both run the same SQL; only the parameter markers, the key column and the writer lock
differ by dialect.
Writes are serialised (``BEGIN IMMEDIATE`` on SQLite, a transaction-level
advisory lock on PostgreSQL), so a batch is checked against what is stored and written
whole, or not at all, and ``stored`` times never go backwards even if the clock does.
Reading uses ``seq``, the order statements arrived in, for paging: a clock that jumps
cannot make a page skip or repeat a statement.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from classroom_app.core.private_files import private_database
from classroom_app.core.sync.compare import same_statement
from classroom_app.hub.statements import Incoming, format_stored

SCHEMA = """
CREATE TABLE IF NOT EXISTS lrs_statements (
    seq {key},
    id TEXT NOT NULL UNIQUE,
    school TEXT NOT NULL,
    device TEXT NOT NULL,
    body TEXT NOT NULL,
    stored TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    verb TEXT NOT NULL,
    actor TEXT NOT NULL,
    object_key TEXT NOT NULL,
    registration TEXT,
    voids TEXT,
    voided INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS lrs_statements_school ON lrs_statements (school, seq);
CREATE INDEX IF NOT EXISTS lrs_statements_stored ON lrs_statements (stored);
CREATE TABLE IF NOT EXISTS lrs_devices (
    username TEXT PRIMARY KEY, name TEXT NOT NULL, school TEXT,
    salt TEXT NOT NULL, password_hash TEXT NOT NULL, public_key TEXT,
    created TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS lrs_imports (
    sha256 TEXT PRIMARY KEY, device TEXT NOT NULL, export_id TEXT NOT NULL,
    imported TEXT NOT NULL, statements INTEGER NOT NULL, added INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS lrs_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lrs_documents (
    resource TEXT NOT NULL, scope TEXT NOT NULL, activity TEXT NOT NULL,
    agent TEXT NOT NULL, registration TEXT NOT NULL, id TEXT NOT NULL,
    content_type TEXT NOT NULL, content {blob} NOT NULL, etag TEXT NOT NULL,
    updated TEXT NOT NULL,
    PRIMARY KEY (resource, scope, activity, agent, registration, id));
"""

COLUMNS = ("id, school, device, body, stored, timestamp, verb, actor, object_key, "
           "registration, voids")
MAX_PAGE = 1000


class Conflict(Exception):
    """A statement id is already stored with different content (409)."""


class Connection(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...


@dataclass(frozen=True)
class Query:
    """A statements query, already checked; ``after`` is the paging cursor (a seq)."""

    school: str | None
    agent: str | None = None
    related_agents: bool = False
    verb: str | None = None
    activity: str | None = None
    related_activities: bool = False
    registration: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int = 0
    ascending: bool = False
    after: int | None = None


@dataclass(frozen=True)
class Place:
    """Where documents of the State, Activity Profile or Agent Profile resource live: the
    resource, the school whose device wrote them ("" for the district) and the
    activity, agent and registration they belong to ("" where the resource has none)."""

    resource: str
    scope: str
    activity: str = ""
    agent: str = ""
    registration: str = ""

    def key(self) -> tuple[str, str, str, str, str]:
        return (self.resource, self.scope, self.activity, self.agent, self.registration)


@dataclass(frozen=True)
class Document:
    content_type: str
    content: bytes
    etag: str  # the SHA-1 of the content, in hex
    updated: str  # when it was last written, in the stored time format


@dataclass(frozen=True)
class Row:
    seq: int
    body: str
    stored: str
    device: str


class HubStorage:
    """One hub database. ``forward_to_outbox``: also append each new statement to the
    ``outbox`` table of the same SQLite file (the teacher's app as the class hub passes
    everything it receives on to the district with its own statements)."""

    def __init__(self, dialect: str, connect: Callable[[], Any],
                 forward_to_outbox: bool = False) -> None:
        self.dialect = dialect
        self._connect = connect
        self._local = threading.local()
        self._all: list[Any] = []
        self._guard = threading.Lock()
        self._checkpoints: list[threading.Thread] = []
        self.forward_to_outbox = forward_to_outbox
        self._integrity_errors: tuple[type[Exception], ...] = (sqlite3.IntegrityError,)
        if dialect == "postgres":
            import psycopg

            self._integrity_errors = (psycopg.IntegrityError,)
        key = ("INTEGER PRIMARY KEY AUTOINCREMENT" if dialect == "sqlite"
               else "BIGSERIAL PRIMARY KEY")
        blob = "BLOB" if dialect == "sqlite" else "BYTEA"
        with self.write() as c:
            for statement in SCHEMA.format(key=key, blob=blob).split(";"):
                if statement.strip():
                    self._run(c, statement)

    # -- connections -------------------------------------------------------------------
    @classmethod
    def sqlite(cls, path: Path | str, forward_to_outbox: bool = False) -> HubStorage:
        def connect() -> sqlite3.Connection:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=30,
                                   check_same_thread=False)
            # Statements are ~1 KB: bigger pages store them ~20 % faster. Takes effect
            # only when the file is new (the class hub shares the app's database).
            conn.execute("PRAGMA page_size=16384")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            return conn
        # The hub's private signing key is in it: 0600 (WAL and SHM too), tightened if
        # an older hub made it readable to all.
        private_database(Path(path))
        return cls("sqlite", connect, forward_to_outbox)

    @classmethod
    def postgres(cls, uri: str) -> HubStorage:
        import psycopg  # only a district hub on PostgreSQL needs the driver

        return cls("postgres", lambda: psycopg.connect(uri, autocommit=True))

    def is_disk_full(self, error: BaseException) -> bool:
        """Whether ``error`` is the database's disk (or size limit) running out."""
        if isinstance(error, sqlite3.Error):
            return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL \
                or "database or disk is full" in str(error)
        return getattr(error, "sqlstate", None) == "53100"  # PostgreSQL's disk_full

    def _conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
            with self._guard:
                self._all.append(conn)
        return conn

    def release_thread(self) -> None:
        """Close the calling thread's connection, if it has one."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            return
        self._local.conn = None
        with self._guard:
            if conn in self._all:
                self._all.remove(conn)
        with contextlib.suppress(Exception):
            conn.close()

    def close(self) -> None:
        # A checkpoint still running would have its connection closed under it (a crash
        # in SQLite, as the threads share connections): let it finish first.
        with self._guard:
            running, self._checkpoints = self._checkpoints, []
        for worker in running:
            worker.join()
        with self._guard:
            for conn in self._all:
                with contextlib.suppress(Exception):  # a connection of a finished thread
                    conn.close()
            self._all.clear()
        self._local = threading.local()

    def _run(self, conn: Any, sql: str, params: Sequence[Any] = ()) -> Any:
        if self.dialect == "postgres":
            sql = sql.replace("?", "%s")
        return conn.execute(sql, params)

    def run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """A read (or a single write outside :meth:`write`)."""
        return list(self._run(self._conn(), sql, params).fetchall())

    @contextmanager
    def write(self) -> Iterator[Any]:
        """One writer at a time; everything inside commits together or not at all."""
        conn = self._conn()
        if self.dialect == "sqlite":
            conn.execute("BEGIN IMMEDIATE")
        else:
            conn.execute("BEGIN")
            conn.execute("SELECT pg_advisory_xact_lock(827001)")
        try:
            yield conn
        except BaseException:
            # SQLite has already rolled back on some errors (a full disk): a second
            # ROLLBACK would fail and hide the real error.
            if self.dialect != "sqlite" or conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # -- statements --------------------------------------------------------------------
    def store(self, batch: Sequence[Incoming], device: str,
              now: datetime | None = None) -> tuple[list[str], int]:
        """Store a batch whole: the ids in order, and how many were new. Statements
        already stored with the same content are accepted again and not stored twice;
        one stored with different content raises :class:`Conflict`, and nothing is
        written."""
        return self.store_chunks([batch], device, now)

    def store_chunks(self, chunks: Iterable[Sequence[Incoming]], device: str,
                     now: datetime | None = None) -> tuple[list[str], int]:
        """:meth:`store` for batches arriving in parts, all in one transaction. The
        parts may come from a generator that prepares the next while this one is
        written (SQLite works without holding Python's lock)."""
        ids: list[str] = []
        seen: dict[str, str] = {}
        with self.write() as c:
            stored = self._next_stored(c, now)
            for batch in chunks:
                if self._insert_all_new(c, batch, device, stored, seen):
                    ids.extend(s.id for s in batch)
                    continue
                existing = self._existing(c, [s.id for s in batch])
                fresh = []
                for s in batch:
                    ids.append(s.id)
                    old = existing.get(s.id) or seen.get(s.id)
                    if old is not None:
                        if not same_statement(old, s.body):
                            raise Conflict(f"statement {s.id} is already stored with other "
                                           "content")
                        continue
                    seen[s.id] = s.body
                    fresh.append(s)
                self._insert(c, fresh, device, stored)
        return ids, len(seen)

    def _insert_all_new(self, c: Any, batch: Sequence[Incoming], device: str, stored: str,
                        seen: dict[str, str]) -> bool:
        """The usual case, statements the hub has never seen, without looking each id
        up first: insert them all, and if one is already there, undo (savepoint) and
        say so, for the careful path to compare them one by one."""
        fresh = {s.id: s.body for s in batch}
        if len(fresh) < len(batch) or not fresh.keys().isdisjoint(seen):
            return False
        self._run(c, "SAVEPOINT chunk")
        try:
            self._insert(c, list(batch), device, stored)
        except self._integrity_errors:
            self._run(c, "ROLLBACK TO SAVEPOINT chunk")
            self._run(c, "RELEASE SAVEPOINT chunk")
            return False
        self._run(c, "RELEASE SAVEPOINT chunk")
        seen.update(fresh)
        return True

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A large import on this thread: SQLite copies its write-ahead log into the
        database afterwards, on another thread, instead of inside the commit (the data
        is safe on disk once the log is synced at commit)."""
        if self.dialect != "sqlite":
            yield
            return
        conn = self._conn()
        conn.execute("PRAGMA wal_autocheckpoint=0")
        try:
            yield
        finally:
            conn.execute("PRAGMA wal_autocheckpoint=1000")
            worker = threading.Thread(target=self._checkpoint, name="hub-checkpoint",
                                      daemon=True)
            with self._guard:
                self._checkpoints = [t for t in self._checkpoints if t.is_alive()] + [worker]
            worker.start()

    def _checkpoint(self) -> None:
        with contextlib.suppress(Exception):  # the next commit checkpoints anyway
            self._conn().execute("PRAGMA wal_checkpoint(PASSIVE)")
        self.release_thread()

    def _existing(self, c: Any, ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for sid, body in self._run(
                    c, f"SELECT id, body FROM lrs_statements WHERE id IN ({marks})", chunk):
                found[sid] = body
        return found

    def _next_stored(self, c: Any, now: datetime | None) -> str:
        """Now, but never before the last stored time (a clock set back)."""
        text = format_stored(now or datetime.now(UTC))
        row = self._run(c, "SELECT stored FROM lrs_statements ORDER BY seq DESC LIMIT 1"
                        ).fetchone()
        return max(text, row[0]) if row else text

    def _insert(self, c: Any, rows: list[Incoming], device: str, stored: str) -> None:
        if not rows:
            return
        values = [(s.id, s.school, device, s.body, stored, s.timestamp or stored, s.verb,
                   s.actor, s.object_key, s.registration, s.voids) for s in rows]
        sql = f"INSERT INTO lrs_statements ({COLUMNS}) VALUES ({','.join('?' * 11)})"
        if self.dialect == "postgres":
            c.cursor().executemany(sql.replace("?", "%s"), values)
        else:
            c.executemany(sql, values)
        targets = [(s.voids, s.school) for s in rows if s.voids]
        for target, school in targets:
            self._run(c, "UPDATE lrs_statements SET voided = 1 WHERE id = ? AND voids IS NULL"
                      " AND school = ?", (target, school))
        if self.forward_to_outbox:
            c.executemany("INSERT OR IGNORE INTO outbox (id, statement, created) VALUES (?,?,?)",
                          [(s.id, s.body, s.timestamp or stored) for s in rows])

    def get(self, statement_id: str, school: str | None, voided: bool) -> Row | None:
        """One statement by id; a voided one only when asked by ``voidedStatementId``."""
        sql = ("SELECT seq, body, stored, device FROM lrs_statements WHERE id = ? "
               "AND voided = ?")
        params: list[Any] = [statement_id.lower(), int(voided)]
        if school is not None:
            sql += " AND school = ?"
            params.append(school)
        rows = self.run(sql, params)
        return Row(*rows[0]) if rows else None

    def query(self, q: Query) -> tuple[list[Row], int | None]:
        """A page of statements and the cursor for the next page (or None)."""
        where: list[str] = ["voided = 0"]
        params: list[Any] = []
        if q.school is not None:
            where.append("school = ?")
            params.append(q.school)
        match, match_params = self._matching(q)
        if match:
            # A statement that targets another (a StatementRef, a voiding) matches when
            # its target does, even a voided target (xAPI 1.0.3, Communication 2.1.3).
            school = " AND school = ?" if q.school is not None else ""
            where.append(f"({match} OR object_key IN (SELECT id FROM lrs_statements"
                         f" WHERE {match}{school}))")
            params += [*match_params, *match_params,
                       *([q.school] if q.school is not None else [])]
        if q.since is not None:
            where.append("stored > ?")
            params.append(q.since)
        if q.until is not None:
            where.append("stored <= ?")
            params.append(q.until)
        if q.after is not None:
            where.append("seq > ?" if q.ascending else "seq < ?")
            params.append(q.after)
        limit = min(q.limit or MAX_PAGE, MAX_PAGE)
        order = "ASC" if q.ascending else "DESC"
        rows = [Row(*r) for r in self.run(
            f"SELECT seq, body, stored, device FROM lrs_statements WHERE {' AND '.join(where)}"
            f" ORDER BY seq {order} LIMIT {limit + 1}", params)]
        more = rows[limit - 1].seq if len(rows) > limit else None
        return rows[:limit], more

    @staticmethod
    def _matching(q: Query) -> tuple[str, list[Any]]:
        """The agent, verb, registration and activity filters as one condition."""
        where: list[str] = []
        params: list[Any] = []
        if q.agent is not None:
            if q.related_agents:
                where.append("(actor = ? OR object_key = ? OR body LIKE ?)")
                params += [q.agent, q.agent, f"%{q.agent.split('|')[-1]}%"]
            else:
                where.append("(actor = ? OR object_key = ?)")
                params += [q.agent, q.agent]
        for column, value in (("verb", q.verb), ("registration", q.registration)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if q.activity is not None:
            if q.related_activities:
                where.append("(object_key = ? OR body LIKE ?)")
                params += [q.activity, f'%"id":"{q.activity}"%']
            else:
                where.append("object_key = ?")
                params.append(q.activity)
        return " AND ".join(where), params

    def last_stored(self) -> str | None:
        rows = self.run("SELECT stored FROM lrs_statements ORDER BY seq DESC LIMIT 1")
        return rows[0][0] if rows else None

    def count(self, school: str | None = None) -> int:
        if school is None:
            return int(self.run("SELECT COUNT(*) FROM lrs_statements")[0][0])
        return int(self.run("SELECT COUNT(*) FROM lrs_statements WHERE school = ?",
                            (school,))[0][0])

    def schools(self) -> list[str]:
        """Every school with statements on the hub, sorted."""
        return sorted(r[0] for r in self.run("SELECT DISTINCT school FROM lrs_statements"))

    def has_school(self, school: str) -> bool:
        """Whether statements of ``school``, spelt exactly so, are stored."""
        return bool(self.run("SELECT 1 FROM lrs_statements WHERE school = ? LIMIT 1",
                             (school,)))

    def report_page(self, school: str, verbs: Sequence[str], low: str, high: str,
                    any_time_verb: str, later_verbs: Sequence[str], after: int,
                    limit: int) -> list[tuple[int, str, str]]:
        """(seq, timestamp, body) of up to ``limit`` statements of ``school`` after seq
        ``after``, in seq order, not voided, with a verb in ``verbs`` and a timestamp in
        [low, high), or at any time with ``any_time_verb``, or from ``low`` on with a verb
        in ``later_verbs``: what a report on a school year reads."""
        marks = ",".join("?" * len(verbs))
        later = ",".join("?" * len(later_verbs))
        return self.run(
            "SELECT seq, timestamp, body FROM lrs_statements WHERE school = ? AND voided = 0"
            f" AND verb IN ({marks}) AND ((timestamp >= ? AND timestamp < ?) OR verb = ?"
            f" OR (verb IN ({later}) AND timestamp >= ?)) AND seq > ? ORDER BY seq LIMIT ?",
            (school, *verbs, low, high, any_time_verb, *later_verbs, low, after, limit))

    # -- devices and USB imports ---------------------------------------------------------
    def add_device(self, username: str, name: str, school: str | None, salt: str,
                   password_hash: str, public_key: str | None, created: str) -> None:
        with self.write() as c:
            self._run(c, "INSERT INTO lrs_devices (username, name, school, salt, password_hash,"
                      " public_key, created) VALUES (?,?,?,?,?,?,?)",
                      (username, name, school, salt, password_hash, public_key, created))

    def set_device_key(self, username: str, public_key: str) -> None:
        with self.write() as c:
            self._run(c, "UPDATE lrs_devices SET public_key = ? WHERE username = ?",
                      (public_key, username))

    def disable_device(self, username: str) -> None:
        with self.write() as c:
            self._run(c, "UPDATE lrs_devices SET disabled = 1 WHERE username = ?", (username,))

    def devices(self) -> list[tuple]:
        """(username, name, school, public_key, disabled) of every device, oldest first."""
        return self.run(
            "SELECT username, name, school, public_key, disabled FROM lrs_devices"
            " ORDER BY created, username")

    def device_password(self, username: str) -> tuple[str, str] | None:
        """(salt, password_hash) of an enabled device, or None."""
        rows = self.run("SELECT salt, password_hash FROM lrs_devices WHERE username = ?"
                        " AND disabled = 0", (username,))
        return (rows[0][0], rows[0][1]) if rows else None

    def import_time(self, sha256: str) -> str | None:
        """When the USB file with this hash was first imported, or None."""
        rows = self.run("SELECT imported FROM lrs_imports WHERE sha256 = ?", (sha256,))
        return rows[0][0] if rows else None

    def record_import(self, sha256: str, device: str, export_id: str, imported: str,
                      statements: int, added: int) -> None:
        with self.write() as c:
            self._run(c, "INSERT INTO lrs_imports VALUES (?,?,?,?,?,?)",
                      (sha256, device, export_id, imported, statements, added))

    # -- settings ------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        rows = self.run("SELECT value FROM lrs_meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def keep_first_meta(self, key: str, value: str) -> str | None:
        """Store ``value`` under ``key`` unless a value is there already (two threads at
        once: the first one wins); the value stored."""
        with self.write() as c:
            if self._run(c, "SELECT value FROM lrs_meta WHERE key = ?", (key,)).fetchone() is None:
                self._run(c, "INSERT INTO lrs_meta (key, value) VALUES (?, ?)", (key, value))
        return self.meta(key)

    # -- documents (State, Activity Profile, Agent Profile) ------------------------------
    _PLACE = "resource = ? AND scope = ? AND activity = ? AND agent = ? AND registration = ?"

    def document(self, place: Place, doc_id: str) -> Document | None:
        rows = self.run(f"SELECT content_type, content, etag, updated FROM lrs_documents"
                        f" WHERE {self._PLACE} AND id = ?", (*place.key(), doc_id))
        return Document(rows[0][0], bytes(rows[0][1]), rows[0][2], rows[0][3]) if rows \
            else None

    def document_ids(self, place: Place, since: str | None = None) -> list[str]:
        """The ids of the documents at ``place`` (written after ``since``), oldest first."""
        sql = f"SELECT id FROM lrs_documents WHERE {self._PLACE}"
        params: list[Any] = list(place.key())
        if since is not None:
            sql += " AND updated > ?"
            params.append(since)
        return [r[0] for r in self.run(sql + " ORDER BY updated, id", params)]

    def change_document(self, place: Place, doc_id: str,
                        change: Callable[[Document | None], Document | None]) -> None:
        """Replace a document by what ``change`` makes of the stored one (None: delete
        it), under the writer lock: what ``change`` saw is what it replaces. An
        exception from ``change`` leaves everything as it was."""
        with self.write() as c:
            rows = self._run(c, f"SELECT content_type, content, etag, updated FROM"
                                f" lrs_documents WHERE {self._PLACE} AND id = ?",
                             (*place.key(), doc_id)).fetchall()
            old = Document(rows[0][0], bytes(rows[0][1]), rows[0][2], rows[0][3]) \
                if rows else None
            new = change(old)
            self._run(c, f"DELETE FROM lrs_documents WHERE {self._PLACE} AND id = ?",
                      (*place.key(), doc_id))
            if new is not None:
                self._run(c, "INSERT INTO lrs_documents (resource, scope, activity, agent,"
                             " registration, id, content_type, content, etag, updated)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          (*place.key(), doc_id, new.content_type, new.content, new.etag,
                           new.updated))

    def delete_documents(self, place: Place) -> None:
        """Every document at ``place`` (the State resource's DELETE without a stateId)."""
        with self.write() as c:
            self._run(c, f"DELETE FROM lrs_documents WHERE {self._PLACE}", place.key())

    def activity_objects(self, activity_id: str, school: str | None) -> list[str]:
        """The stored statements (JSON text) whose object is this activity, oldest first,
        from ``school``'s devices (None: every school)."""
        sql = "SELECT body FROM lrs_statements WHERE object_key = ?"
        params: list[Any] = [activity_id]
        if school is not None:
            sql += " AND school = ?"
            params.append(school)
        return [r[0] for r in self.run(sql + " ORDER BY seq", params)]


def open_storage(database: str) -> HubStorage:
    """A file path is SQLite; a ``postgresql://`` URI is a PostgreSQL server."""
    if database.startswith(("postgresql://", "postgres://")):
        return HubStorage.postgres(database)
    return HubStorage.sqlite(Path(database))


def open_errors(database: str) -> tuple[type[Exception], ...]:
    """What :func:`open_storage` may raise for ``database``: SQLite's and the file
    system's errors, and PostgreSQL's where it is on PostgreSQL (its driver is optional)."""
    errors: tuple[type[Exception], ...] = (sqlite3.Error, OSError)
    if not database.startswith(("postgresql://", "postgres://")):
        return errors
    try:
        import psycopg
    except ImportError:
        return (*errors, ImportError)
    return (*errors, psycopg.Error)

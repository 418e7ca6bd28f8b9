"""The hub's storage answers its named reads and writes the same on SQLite and on
PostgreSQL: devices, USB imports, settings, schools and a report's pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.sync_support import BACKENDS, SCHOOL

from classroom_app.hub.statements import Incoming
from classroom_app.hub.storage import HubStorage, open_storage

OTHER = "https://other.example.edu.cn/"
pytestmark = BACKENDS


@pytest.fixture
def storage(hub_database: str) -> Iterator[HubStorage]:
    opened = open_storage(hub_database)
    yield opened
    opened.close()


def incoming(sid: str, verb: str, timestamp: str, school: str = SCHOOL) -> Incoming:
    return Incoming(sid, f'{{"id":"{sid}"}}', timestamp, verb, "actor", "object", None, None,
                    school)


def test_devices_are_added_rekeyed_and_disabled(storage: HubStorage) -> None:
    storage.add_device("device-1", "Room 3", SCHOOL, "salt", "hash", None, "2026-09-01")
    storage.add_device("device-2", "Office", None, "s2", "h2", "key", "2026-09-02")
    storage.set_device_key("device-1", "new-key")
    storage.disable_device("device-2")
    assert storage.devices() == [("device-1", "Room 3", SCHOOL, "new-key", 0),
                                 ("device-2", "Office", None, "key", 1)]
    assert storage.device_password("device-1") == ("salt", "hash")
    assert storage.device_password("device-2") is None  # disabled
    assert storage.device_password("device-9") is None


def test_a_usb_import_is_remembered_by_its_hash(storage: HubStorage) -> None:
    assert storage.import_time("abc") is None
    storage.record_import("abc", "device-1", "export-1", "2026-09-01T08:00:00Z", 10, 7)
    assert storage.import_time("abc") == "2026-09-01T08:00:00Z"


def test_the_first_setting_stored_wins(storage: HubStorage) -> None:
    assert storage.meta("key") is None
    assert storage.keep_first_meta("key", "first") == "first"
    assert storage.keep_first_meta("key", "second") == "first"


def test_schools_and_a_report_page(storage: HubStorage) -> None:
    """Schools as stored; a page of one school's statements with the verbs asked for in
    the window, any time for one verb, and from the window's start for later verbs."""
    storage.store([incoming("a", "read", "2026-09-02"), incoming("b", "read", "2025-01-01"),
                   incoming("c", "confirm", "2028-01-01"), incoming("d", "rate", "2028-01-01"),
                   incoming("e", "rate", "2025-01-01"), incoming("f", "other", "2026-09-03"),
                   incoming("g", "read", "2026-09-04", OTHER)], "device-1")
    assert storage.schools() == sorted([SCHOOL, OTHER])
    assert storage.has_school(SCHOOL) and not storage.has_school(SCHOOL.rstrip("/"))

    def page(after: int, limit: int) -> list[tuple[int, str, str]]:
        return storage.report_page(SCHOOL, ("read", "confirm", "rate"), "2026-09-01",
                                   "2027-09-01", "confirm", ("rate", "comment"), after, limit)

    rows = page(0, 10)
    assert [body for _, _, body in rows] == ['{"id":"a"}', '{"id":"c"}', '{"id":"d"}']
    assert rows[0][1] == "2026-09-02"
    assert page(rows[0][0], 1) == rows[1:2]

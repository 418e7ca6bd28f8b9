"""The signed USB sync file: exported by a device, imported by the hub whole or not at
all, acknowledged back by a signed receipt; truncated, altered, foreign and conflicting
files are refused with the reason and change nothing."""

from __future__ import annotations

import json
import re
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from support.sync_support import BACKENDS, SCHOOL, open_storage, record_statements

from classroom_app.cli import main as cli
from classroom_app.core.context import AppContext
from classroom_app.core.sync.device import load_identity
from classroom_app.core.sync.keys import new_private_key, public_key_text, sign
from classroom_app.core.sync.service import apply_usb_receipt, export_usb
from classroom_app.core.sync.usb_file import MAX_RATIO, SyncFileError
from classroom_app.hub import cli as hub_cli
from classroom_app.hub.lrs import Lrs
from classroom_app.hub.usb_import import import_file


@pytest.fixture(autouse=True)
def english(ctx: AppContext) -> None:
    """The reasons are checked in English (the Chinese ones are in the catalogue)."""
    ctx.update_settings(language="en")


@pytest.fixture
def enrolled(ctx: AppContext, hub_database: str):
    """A hub with this PC enrolled (its key), and the PC knowing the hub's key."""
    lrs = Lrs(open_storage(hub_database))
    enrolment = lrs.devices.add("Room 3 PC", SCHOOL, load_identity().public_key)
    ctx.update_settings(sync_hub_key=enrolment.hub_key, school_home_page=SCHOOL)
    yield lrs
    lrs.storage.close()


def hub_rows(lrs: Lrs) -> dict[str, str]:
    return dict(lrs.storage.run("SELECT id, body FROM lrs_statements"))


def rewrite(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    change(members)
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


@BACKENDS
def test_export_import_receipt_round_trip(ctx: AppContext, enrolled: Lrs,
                                          tmp_path: Path) -> None:
    record_statements(ctx, 400)
    summary = export_usb(ctx.store, ctx.settings, tmp_path / "room3.xapisync")
    assert summary.statements == 400
    result = import_file(enrolled, summary.path)
    assert (result.statements, result.added, result.already_imported) == (400, 400, None)
    assert hub_rows(enrolled) == {r["id"]: r["statement"] for r in ctx.store.statements()}
    assert ctx.store.outbox_counts()["pending"] == 400  # until the receipt comes back
    assert result.receipt is not None
    assert apply_usb_receipt(ctx.store, ctx.settings, result.receipt) == 400
    assert ctx.store.outbox_counts() == {"pending": 0, "acknowledged": 400, "rejected": 0}
    again = import_file(enrolled, summary.path)
    assert again.added == 0 and again.already_imported is not None
    assert len(hub_rows(enrolled)) == 400


def test_importing_the_same_file_twice_changes_nothing(ctx, enrolled, tmp_path) -> None:
    record_statements(ctx, 50)
    path = export_usb(ctx.store, ctx.settings, tmp_path / "a.xapisync").path
    import_file(enrolled, path)
    before = hub_rows(enrolled)
    second = import_file(enrolled, path)
    assert second.added == 0 and second.already_imported
    assert hub_rows(enrolled) == before


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.999])
def test_a_truncated_file_is_refused_and_changes_nothing(ctx, enrolled, tmp_path, keep) -> None:
    record_statements(ctx, 300)
    path = export_usb(ctx.store, ctx.settings, tmp_path / "a.xapisync").path
    data = path.read_bytes()
    cut = tmp_path / "cut.xapisync"
    cut.write_bytes(data[:int(len(data) * keep)])
    with pytest.raises(SyncFileError, match="damaged or incomplete"):
        import_file(enrolled, cut)
    assert hub_rows(enrolled) == {}


def test_altered_statements_manifest_or_signature_are_refused(ctx, enrolled, tmp_path) -> None:
    record_statements(ctx, 20)
    path = export_usb(ctx.store, ctx.settings, tmp_path / "a.xapisync").path

    def better_score(members: dict[str, bytes]) -> None:
        members["statements.jsonl"] = members["statements.jsonl"].replace(
            b'"scaled":0', b'"scaled":1', 1)

    def fewer(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        manifest["statements"] = 19
        members["manifest.json"] = json.dumps(manifest).encode()

    def dropped_line(members: dict[str, bytes]) -> None:
        members["statements.jsonl"] = b"\n".join(members["statements.jsonl"].split(b"\n")[1:])

    for change, reason in ((better_score, "statements do not match"),
                           (fewer, "signature does not match"),
                           (dropped_line, "statements do not match")):
        altered = rewrite(path, tmp_path / f"{change.__name__}.xapisync", change)
        with pytest.raises(SyncFileError, match=reason):
            import_file(enrolled, altered)
    assert hub_rows(enrolled) == {}


def test_a_file_from_a_device_not_enrolled_is_refused(ctx, enrolled, tmp_path) -> None:
    record_statements(ctx, 5)
    path = export_usb(ctx.store, ctx.settings, tmp_path / "a.xapisync").path
    stranger = Lrs(open_storage(str(tmp_path / "other-hub.sqlite3")))
    stranger.devices.add("someone else", SCHOOL, public_key_text(new_private_key()))
    with pytest.raises(SyncFileError, match="not enrolled"):
        import_file(stranger, path)
    stranger.storage.close()


def test_one_conflicting_statement_refuses_the_whole_file(ctx, enrolled, tmp_path) -> None:
    record_statements(ctx, 30)
    first = ctx.store.statements()[12]
    changed = json.loads(first["statement"])
    changed["result"]["success"] = False
    device = enrolled.devices.by_public_key(load_identity().public_key)
    enrolled.store_statements([changed], device)
    path = export_usb(ctx.store, ctx.settings, tmp_path / "a.xapisync").path
    with pytest.raises(SyncFileError, match="already stored with other content"):
        import_file(enrolled, path)
    assert list(hub_rows(enrolled)) == [first["id"]]


def test_receipts_must_be_signed_by_the_hub_and_name_an_export_of_this_pc(
        ctx, enrolled, tmp_path) -> None:
    record_statements(ctx, 10)
    path = export_usb(ctx.store, ctx.settings, tmp_path / "a.xapisync").path
    receipt = import_file(enrolled, path).receipt
    assert receipt is not None
    forged = json.loads(receipt.read_text())
    forged["receipt"]["export_id"] = "00000000-0000-4000-8000-000000000000"
    fake = tmp_path / "fake.receipt.json"
    fake.write_text(json.dumps(forged))
    with pytest.raises(SyncFileError, match="not signed"):
        apply_usb_receipt(ctx.store, ctx.settings, fake)
    ctx.update_settings(sync_hub_key="")
    with pytest.raises(SyncFileError, match="key"):
        apply_usb_receipt(ctx.store, ctx.settings, receipt)
    assert ctx.store.outbox_counts()["pending"] == 10


def test_the_command_lines_export_import_and_acknowledge(ctx, enrolled, tmp_path,
                                                         hub_database, capsys) -> None:
    record_statements(ctx, 25)
    ctx.close()
    target = tmp_path / "stick" / "room3.xapisync"
    target.parent.mkdir()
    assert cli.main(["--lang", "en", "sync", "export", str(target)]) == 0
    assert "25 statements written" in capsys.readouterr().out
    assert hub_cli.main(["--lang", "en", "--database", hub_database, "import",
                         str(target)]) == 0
    assert "Imported 25 statements" in capsys.readouterr().out
    assert hub_cli.main(["--lang", "en", "--database", hub_database, "import",
                         str(target)]) == 0
    assert "already imported" in capsys.readouterr().out
    receipt = target.with_name("room3.receipt.json")
    assert cli.main(["--lang", "en", "sync", "receipt", str(receipt)]) == 0
    assert "25 statements acknowledged" in capsys.readouterr().out
    broken = tmp_path / "broken.xapisync"
    broken.write_bytes(target.read_bytes()[:100])
    assert hub_cli.main(["--lang", "en", "--database", hub_database, "import",
                         str(broken)]) == 1
    assert "damaged or incomplete" in capsys.readouterr().err


def crafted(target: Path, manifest: dict, statements_level: int, key: bytes,
            zeros: int = 0, statements: bytes = b"") -> Path:
    """A sync file made by hand: ``zeros`` bytes of zeros (a compression bomb) or the
    given statements, under ``manifest`` signed by ``key``."""
    manifest_bytes = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED,
                         compresslevel=statements_level) as archive:
        archive.writestr("manifest.json", manifest_bytes)
        archive.writestr("manifest.sig", sign(key, manifest_bytes))
        with archive.open("statements.jsonl", "w") as member:
            block = bytes(1 << 20)
            for _ in range(zeros >> 20):
                member.write(block)
            member.write(statements)
    return target


def bomb_manifest(key: str) -> dict:
    return {"format": "ai-classroom-sync", "version": 1, "export_id": "e", "device_id": "d",
            "device_key": key, "school": SCHOOL, "statements": 1,
            "statements_sha256": "0" * 64}


def peak_memory(call) -> int:
    """The most memory Python held while ``call`` ran, in bytes."""
    tracemalloc.start()
    try:
        call()
    except SyncFileError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_a_compression_bomb_costs_little_memory_and_is_refused(ctx, enrolled,
                                                               tmp_path) -> None:
    """1 GiB of zeros in a 1 MB file: signed by a key not enrolled here it is refused
    before it is unpacked; signed by an enrolled device its compression ratio (no real
    export compresses more than about 15 times) refuses it."""
    stranger = new_private_key()
    foreign = crafted(tmp_path / "foreign.xapisync",
                      bomb_manifest(public_key_text(stranger)), 9, stranger, zeros=1 << 30)
    assert foreign.stat().st_size < 1_100_000
    with pytest.raises(SyncFileError, match="not enrolled"):
        import_file(enrolled, foreign)
    assert peak_memory(lambda: import_file(enrolled, foreign)) < 30_000_000
    own = load_identity()
    ours = crafted(tmp_path / "ours.xapisync", bomb_manifest(own.public_key), 9,
                   own.private_key, zeros=1 << 30)
    with pytest.raises(SyncFileError, match="far more than any export"):
        import_file(enrolled, ours)
    assert peak_memory(lambda: import_file(enrolled, ours)) < 30_000_000
    assert hub_rows(enrolled) == {}


def test_a_real_export_is_far_from_the_compression_bound(ctx, enrolled, tmp_path) -> None:
    record_statements(ctx, 3000, learners=40)
    path = export_usb(ctx.store, ctx.settings, tmp_path / "a.xapisync").path
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("statements.jsonl")
    assert info.file_size / info.compress_size < MAX_RATIO / 4
    assert import_file(enrolled, path).added == 3000


def test_a_flipped_byte_in_the_compressed_manifest_says_the_file_is_damaged(
        ctx, enrolled, tmp_path) -> None:
    record_statements(ctx, 5)
    path = export_usb(ctx.store, ctx.settings, tmp_path / "a.xapisync").path
    data = path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("manifest.json")
    name_length, extra_length = struct.unpack(
        "<HH", data[info.header_offset + 26:info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    for position in range(start, start + info.compress_size):
        flipped = bytearray(data)
        flipped[position] ^= 0xFF
        target = tmp_path / "flipped.xapisync"
        target.write_bytes(bytes(flipped))
        try:
            import_file(enrolled, target)
        except SyncFileError as error:
            assert re.search("damaged|altered|not a sync file|manifest", str(error))
        else:  # the flip hit bits after the manifest's last byte: what was read is intact
            assert position - start >= info.compress_size - 2
    assert set(hub_rows(enrolled)) <= {r["id"] for r in ctx.store.statements()}


@pytest.mark.parametrize("change", [
    {"export_id": None}, {"export_id": 5}, {"statements": "2"}, {"statements": True},
    {"device_id": ["d"]}, {"statements_sha256": None}])
def test_a_signed_manifest_with_missing_or_wrong_fields_stores_nothing(
        ctx, enrolled, tmp_path, change) -> None:
    record_statements(ctx, 2)
    path = export_usb(ctx.store, ctx.settings, tmp_path / "a.xapisync").path
    identity = load_identity()

    def resign(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        for field, value in change.items():
            if value is None:
                del manifest[field]
            else:
                manifest[field] = value
        members["manifest.json"] = json.dumps(manifest).encode()
        members["manifest.sig"] = identity.sign(members["manifest.json"]).encode()

    altered = rewrite(path, tmp_path / "altered.xapisync", resign)
    with pytest.raises(SyncFileError, match="manifest lacks a valid"):
        import_file(enrolled, altered)
    assert hub_rows(enrolled) == {}
    assert enrolled.storage.run("SELECT COUNT(*) FROM lrs_imports") == [(0,)]


@pytest.mark.parametrize("body", [
    [], {"receipt": [], "signature": "x"}, {"receipt": {"format": 1}, "signature": 5},
    {"receipt": "text", "signature": None}, "receipt", 7])
def test_a_receipt_with_wrong_json_types_gets_a_clear_message(ctx, enrolled, tmp_path,
                                                               capsys, body) -> None:
    record_statements(ctx, 3)
    receipt = tmp_path / "odd.receipt.json"
    receipt.write_text(json.dumps(body))
    ctx.close()
    assert cli.main(["--lang", "en", "sync", "receipt", str(receipt)]) == 1
    err = capsys.readouterr().err
    assert "is not a receipt" in err and "Traceback" not in err

"""The master's signaling endpoint facing bad input on the school network."""

from __future__ import annotations

import asyncio

import aiohttp

from classroom_app.core import i18n
from classroom_app.core.session.client import SessionClient
from classroom_app.core.session.host import MAX_WRONG_CODES, SessionHost


def test_bad_offers_and_guessed_codes_are_refused() -> None:
    """Offers that are not WebRTC offers get 400 and leave no classroom behind; an
    address guessing codes is stopped after ten wrong ones and told why."""

    async def run() -> tuple[list[int], list[int], str, str, int]:
        host = SessionHost("m1")
        url = await host.start("127.0.0.1", 0)
        bad = []
        async with aiohttp.ClientSession() as http:
            for body in ({"code": host.code, "classroom": "x", "sdp": "garbage"},
                         {"code": host.code, "classroom": "x",
                          "sdp": "v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"},
                         {"code": host.code}, ["not", "an", "object"]):
                async with http.post(url + "/offer", json=body) as response:
                    bad.append(response.status)
            guesses = []
            for _ in range(MAX_WRONG_CODES + 2):
                wrong = "000000" if host.code != "000000" else "111111"
                async with http.post(url + "/offer", json={"code": wrong, "classroom": "g",
                                                           "sdp": "m=application"}) as response:
                    guesses.append(response.status)
        client = SessionClient(url, host.code, "after the guesses")
        details: list[str] = []
        client.on_status = lambda status, detail: details.append(detail)
        await client.run()  # refused at once: JoinError, no retry loop
        await host.stop()
        return bad, guesses, client.status, details[-1], len(host.peers)

    with i18n.using("en"):
        bad, guesses, status, detail, peers = asyncio.run(run())
    assert bad == [400, 400, 400, 400]
    assert guesses[:MAX_WRONG_CODES] == [403] * MAX_WRONG_CODES
    assert guesses[MAX_WRONG_CODES:] == [429, 429]
    assert status == "failed" and "wait a minute" in detail
    assert peers == 0


def test_a_lone_application_line_or_binary_junk_in_an_offer_is_a_bad_offer() -> None:
    """aiortc's parser failed on these with an AssertionError: a 500 for the sender."""

    async def run() -> tuple[list[int], int]:
        host = SessionHost("m1")
        url = await host.start("127.0.0.1", 0)
        statuses = []
        async with aiohttp.ClientSession() as http:
            for sdp in ("m=application", "m=application" + bytes(range(256)).decode("latin-1"),
                        "v=0\r\nm=application\r\n\x00\xff"):
                async with http.post(url + "/offer", json={
                        "code": host.code, "classroom": "x", "sdp": sdp}) as response:
                    statuses.append(response.status)
            async with http.post(url + "/offer", data=bytes(range(256)) * 4) as response:
                statuses.append(response.status)
        await host.stop()
        return statuses, len(host.peers)

    statuses, peers = asyncio.run(run())
    assert statuses == [400, 400, 400, 400]
    assert peers == 0


def test_a_malformed_message_does_not_cut_the_classroom_off() -> None:
    """{"type": "ack", "seq": "x"} used to raise inside the data channel's handler, and
    the master heard nothing more from that classroom."""

    async def run() -> tuple[bool, bool, int]:
        host = SessionHost("m1")
        url = await host.start("127.0.0.1", 0)
        client = SessionClient(url, host.code, "room A")
        task = asyncio.ensure_future(client.run())
        for _ in range(100):
            if client.status == "connected":
                break
            await asyncio.sleep(0.1)
        for bad in ({"type": "ack", "seq": "x"}, {"type": "quality", "fps": "fast"},
                    {"type": "ack", "seq": [1]}, {"type": "quality", "loss": {}}):
            client._send(bad)
        client.raise_hand(True)
        for _ in range(50):
            if host.snapshot() and host.snapshot()[0].hand:
                break
            await asyncio.sleep(0.1)
        status = host.snapshot()[0]
        await client.stop()
        await asyncio.wait_for(task, 6)
        await host.stop()
        return status.hand, status.connected, status.applied_seq

    hand, connected, applied = asyncio.run(run())
    assert hand and connected
    assert applied == 0


def test_wrong_codes_from_many_addresses_lock_the_code_until_a_new_one() -> None:
    """Guesses spread over many addresses (each under its own limit) lock the session
    code for everyone; the master is told and issues a new code, which works."""
    from classroom_app.core.session.host import LOCK_AFTER_WRONG_CODES

    async def run() -> tuple[list[int], int, list[int], str, str]:
        locked: list[bool] = []
        host = SessionHost("m1", code="123456", on_code_locked=lambda: locked.append(True))
        url = await host.start("127.0.0.1", 0)
        statuses = []
        for n in range(LOCK_AFTER_WRONG_CODES + 5):  # 7 addresses, 5 guesses each
            connector = aiohttp.TCPConnector(local_addr=(f"127.0.0.{2 + n // 5}", 0))
            async with aiohttp.ClientSession(connector=connector) as http, http.post(
                    url + "/offer", json={"code": f"{n:06d}", "classroom": "g",
                                          "sdp": "m=application"}) as response:
                statuses.append(response.status)
        async with aiohttp.ClientSession() as http, http.post(url + "/offer", json={
                "code": "123456", "classroom": "g", "sdp": "m=application"}) as response:
            right_code = response.status
        refused = SessionClient(url, "123456", "room A")
        details: list[str] = []
        refused.on_status = lambda status, detail: details.append(detail)
        await refused.run()
        new = host.renew_code()
        room = SessionClient(url, new, "room A")
        task = asyncio.ensure_future(room.run())
        for _ in range(100):
            if room.status == "connected":
                break
            await asyncio.sleep(0.1)
        status = room.status
        await room.stop()
        await asyncio.wait_for(task, 6)
        await host.stop()
        return statuses, len(locked) + 1000 * right_code, [], details[-1], status

    with i18n.using("en"):
        statuses, marks, _, detail, status = asyncio.run(run())
    assert statuses[:LOCK_AFTER_WRONG_CODES] == [403] * LOCK_AFTER_WRONG_CODES
    assert statuses[LOCK_AFTER_WRONG_CODES:] == [423] * 5
    assert marks == 1 + 1000 * 423  # told once; the right code is locked too
    assert "locked" in detail and "new code" in detail
    assert status == "connected"

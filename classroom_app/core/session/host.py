"""The master teacher's side of a live session: signaling, media and lesson commands.

A small HTTP endpoint on the master's PC (``POST /offer``) takes each classroom's
WebRTC offer with the session code and answers it. Every classroom gets the video at
its own quality, the voice, and a data channel that carries the lesson commands.
Runs on one asyncio loop; a GUI drives it through :class:`SessionRuntime`.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import hmac
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web
from aiortc import RTCConfiguration, RTCDataChannel, RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaRelay
from aiortc.mediastreams import MediaStreamTrack

from classroom_app.core.session import loopback
from classroom_app.core.session.discovery import Announcing, Beacon, announcement
from classroom_app.core.session.protocol import (
    CHANNEL,
    PORT,
    ClassroomStatus,
    Command,
    LessonState,
    ProtocolError,
    answers_from,
    decode,
    encode,
)
from classroom_app.core.session.recording import SessionRecorder
from classroom_app.core.session.video import LEVELS, AdaptiveVideoTrack, SessionFeed, next_level

log = logging.getLogger(__name__)
HEARTBEAT_S = 1.0
SILENT_AFTER_S = 5.0
SETTLE_S = 4.0  # reports right after a (re)connect or a level change say little
PROBE_S = 15.0
MAX_WRONG_CODES = 10
LOCK_AFTER_WRONG_CODES = 30  # from all addresses together in a minute: the code locks
GUESS_WINDOW_S = 60.0
MAX_CLASSROOMS = 8  # beyond a handful, media should go through an SFU (see the design)


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


@dataclass
class _Peer:
    status: ClassroomStatus
    pc: RTCPeerConnection
    channel: RTCDataChannel
    video: AdaptiveVideoTrack | None
    heard: float = field(default_factory=time.monotonic)
    good_reports: int = 0
    cap: int = 0  # the classroom's own ceiling: e.g. "audio only" on a metered link
    settle_until: float = field(default_factory=lambda: time.monotonic() + SETTLE_S)
    probe_after: float = PROBE_S  # audio only since a bad link: try video again after this

    def gone(self, now: float) -> bool:
        """The classroom left (or its PC went off): its place may be given away."""
        return not self.status.connected and (
            self.pc.connectionState in ("failed", "closed") or now - self.heard > SILENT_AFTER_S)


class SessionHost:
    """One live session. Create, ``await start()``, ``send(op, value)``, ``await stop()``."""

    def __init__(self, lesson: str, code: str | None = None, feed: SessionFeed | None = None,
                 audio: MediaStreamTrack | None = None, title: str = "",
                 recorder: SessionRecorder | None = None,
                 on_change: Callable[[list[ClassroomStatus]], None] | None = None,
                 announce: Announcing | None = None, teacher: str = "",
                 on_code_locked: Callable[[], None] | None = None) -> None:
        loopback.install()
        self.code = code or new_code()
        self.title = title
        self.feed, self.audio, self.recorder = feed, audio, recorder
        self.on_change = on_change
        self.state = LessonState(lesson=lesson)
        self.seq = 0
        self.peers: dict[str, _Peer] = {}
        self._misses: dict[str, list[float]] = {}
        self._all_misses: list[float] = []
        self.code_locked = False
        self.on_code_locked = on_code_locked
        self.relay = MediaRelay()
        self.url = ""
        self.announce, self.teacher = announce, teacher
        self._beacon: Beacon | None = None
        self._runner: web.AppRunner | None = None
        self._tasks: list[asyncio.Task] = []

    # -- life ------------------------------------------------------------------------
    async def start(self, host: str = "0.0.0.0", port: int = PORT) -> str:
        app = web.Application(client_max_size=256 * 1024)
        app.router.add_get("/session", self._info)
        app.router.add_post("/offer", self._offer)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = self._runner.addresses[0][1]
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        self.url = f"http://{shown}:{bound}"
        self._tasks.append(asyncio.ensure_future(self._heartbeat()))
        if self.announce is not None:  # classrooms on the LAN find the session
            self._beacon = Beacon(announcement(bound, self.state.lesson, self.title,
                                               self.teacher), self.announce)
            self._beacon.start()
        if self.recorder is not None:
            self.recorder.start(self.feed, self.state)
            if self.audio is not None:
                self._tasks.append(asyncio.ensure_future(
                    self.recorder.pull_audio(self.relay.subscribe(self.audio))))
        return self.url

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1]) if self.url else 0

    async def stop(self) -> None:
        if not self.state.ended:
            self.send("end")
        await asyncio.sleep(0.1)  # let the last command leave
        if self._beacon is not None:
            self._beacon.stop()
        for task in self._tasks:
            task.cancel()
        for peer in list(self.peers.values()):
            await peer.pc.close()
        if self.recorder is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.recorder.close)
        if self._runner is not None:
            await self._runner.cleanup()

    # -- lesson commands -------------------------------------------------------------
    def send(self, op: str, value: int | str | None = None) -> Command:
        """Move the shared lesson on and tell every classroom, in order."""
        self.state = self.state.after(op, value)
        self.seq += 1
        command = Command(self.seq, op, value, self.state, time.time())
        text = encode(command.to_message())
        for peer in self.peers.values():
            self._send_text(peer, text)
        if self.recorder is not None:
            self.recorder.event(command)
        self._changed()
        return command

    def _send_text(self, peer: _Peer, text: str) -> None:
        if peer.channel.readyState == "open":
            with contextlib.suppress(Exception):  # a link that just died; heartbeat notices
                peer.channel.send(text)

    def _state_message(self) -> str:
        return encode({"type": "state", "seq": self.seq, "state": self.state.__dict__,
                       "title": self.title})

    # -- signaling -------------------------------------------------------------------
    async def _info(self, request: web.Request) -> web.Response:
        refused = self._check_code(request.query.get("code", ""), request.remote or "")
        if refused is not None:
            return refused
        return web.json_response({"lesson": self.state.lesson, "title": self.title,
                                  "classrooms": len(self.peers)})

    def _check_code(self, code: str, remote: str) -> web.Response | None:
        """None when the code is right; a refusal otherwise. Six digits are a million
        guesses: an address that guessed wrong ten times in a minute waits."""
        if self.code_locked:
            return web.json_response({"error": "code-locked"}, status=423)
        now = time.monotonic()
        misses = [t for t in self._misses.get(remote, []) if now - t < GUESS_WINDOW_S]
        if len(misses) >= MAX_WRONG_CODES:
            self._misses[remote] = misses
            return web.json_response({"error": "too-many-tries"}, status=429)
        if hmac.compare_digest(code.encode(), self.code.encode()):
            return None
        self._misses[remote] = [*misses, now]
        self._all_misses = [t for t in self._all_misses if now - t < GUESS_WINDOW_S] + [now]
        if len(self._all_misses) >= LOCK_AFTER_WRONG_CODES:  # guessed from many addresses
            self.code_locked = True
            log.warning("session code locked after %d wrong codes in a minute",
                        len(self._all_misses))
            if self.on_code_locked is not None:
                self.on_code_locked()
        return web.json_response({"error": "wrong-code"}, status=403)

    def renew_code(self) -> str:
        """A new session code (after it locked): the classrooms joined stay joined."""
        self.code = new_code()
        self.code_locked = False
        self._misses.clear()
        self._all_misses.clear()
        return self.code

    async def _offer(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
            code, sdp = str(body["code"]), str(body["sdp"])
            classroom, name = str(body["classroom"])[:64], str(body.get("name", ""))[:64]
        except (ValueError, KeyError, TypeError):
            return web.json_response({"error": "bad-request"}, status=400)
        if "m=application" not in sdp:  # every classroom's offer carries the lesson channel
            return web.json_response({"error": "bad-offer"}, status=400)
        refused = self._check_code(code, request.remote or "")
        if refused is not None:
            return refused
        if not self._make_room(classroom, name or classroom):
            return web.json_response({"error": "full"}, status=503)
        loopback.use_loopback.set(loopback.is_loopback(request.remote or ""))
        try:
            answer = await self._connect(classroom, name or classroom, sdp)
        except (ValueError, IndexError, KeyError, TypeError, AttributeError,
                AssertionError) as error:  # an unreadable offer (aiortc's parser asserts)
            log.warning("classroom %s sent a bad offer: %s", classroom, error)
            peer = self.peers.pop(classroom, None)
            if peer is not None:
                await peer.pc.close()
            return web.json_response({"error": "bad-offer"}, status=400)
        return web.json_response({"sdp": answer.sdp, "type": answer.type,
                                  "lesson": self.state.lesson})

    def _make_room(self, classroom: str, name: str) -> bool:
        """Whether ``classroom`` has a place. A classroom that comes back keeps its place,
        also when its PC was restarted (a new id, the same name, the old one gone); a
        new one takes the place of the classroom that left longest ago when all are
        taken."""
        if classroom in self.peers:
            return True
        now = time.monotonic()
        gone = sorted((peer.heard, key) for key, peer in self.peers.items() if peer.gone(now))
        same = [key for _, key in gone if self.peers[key].status.name == name]
        if same:  # the restarted PC: its old entry, under its new id, in the same place
            self.peers = {(classroom if key == same[0] else key): peer
                          for key, peer in self.peers.items()}
            self.peers[classroom].status.id = classroom
            return True
        if len(self.peers) < MAX_CLASSROOMS:
            return True
        if not gone:
            return False
        left = self.peers.pop(gone[0][1])
        self._tasks.append(asyncio.ensure_future(left.pc.close()))
        return True

    async def _connect(self, classroom: str, name: str, sdp: str) -> RTCSessionDescription:
        old = self.peers.get(classroom)
        if old is not None:  # the classroom came back on a new connection: same place
            await old.pc.close()
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        channel = pc.createDataChannel(CHANNEL, negotiated=True, id=0)
        await pc.setRemoteDescription(RTCSessionDescription(sdp, "offer"))
        video = None
        cap = old.cap if old else 0
        if self.feed is not None:  # after the offer, so the tracks fill its m-lines
            video = AdaptiveVideoTrack(self.feed, old.video.level if old and old.video else 0)
            pc.addTrack(video)
        if self.audio is not None:
            pc.addTrack(self.relay.subscribe(self.audio, buffered=False))
        status = old.status if old else ClassroomStatus(classroom, name)
        status.name, status.connected = name, False
        peer = _Peer(status, pc, channel, video, cap=cap)
        self.peers[classroom] = peer
        channel.on("open", lambda: self._opened(peer))
        channel.on("message", lambda text: self._message(peer, text))
        pc.on("connectionstatechange", lambda: self._pc_state(peer))
        await pc.setLocalDescription(await pc.createAnswer())
        return pc.localDescription

    def _opened(self, peer: _Peer) -> None:
        peer.status.connected = True
        peer.heard = time.monotonic()
        self._send_text(peer, self._state_message())
        if peer.video is not None:
            peer.status.video = peer.video.quality.name
            self._send_text(peer, encode({"type": "video", "level": peer.video.quality.name}))
        self._changed()

    def _pc_state(self, peer: _Peer) -> None:
        if peer.pc.connectionState in ("failed", "closed"):
            self._lost(peer)

    def _lost(self, peer: _Peer) -> None:
        if peer.status.connected:
            peer.status.connected = False
            self._changed()

    # -- what classrooms say ---------------------------------------------------------
    def _message(self, peer: _Peer, text: str | bytes) -> None:
        peer.heard = time.monotonic()
        try:
            message = decode(text)
            self._handle(peer, message)
        except (ProtocolError, ValueError, TypeError, KeyError, AttributeError) as error:
            # a malformed message is dropped; the classroom's link goes on
            log.warning("classroom %s sent a bad message: %s", peer.status.id, error)

    def _handle(self, peer: _Peer, message: dict) -> None:
        kind, status = message["type"], peer.status
        if kind == "hand":
            status.hand = bool(message.get("raised"))
        elif kind == "answers":
            summary = answers_from(message)
            status.answers[summary.step] = summary
        elif kind == "local":
            status.local = str(message.get("mode", ""))[:20]
        elif kind == "ack":
            status.applied_seq = max(status.applied_seq, int(message.get("seq", 0)))
        elif kind == "quality":
            self._adapt(peer, float(message.get("fps", 0)), float(message.get("loss", 0)))
        elif kind == "prefer":
            name = str(message.get("level", "high"))
            peer.cap = next((i for i, q in enumerate(LEVELS) if q.name == name), 0)
            self._set_level(peer, max(peer.cap, peer.video.level if peer.video else 0))
        else:
            return  # pongs and anything newer than this version: only "heard" counts
        self._changed()

    def _adapt(self, peer: _Peer, fps: float, loss: float) -> None:
        if peer.video is None:
            return
        peer.status.fps = round(fps, 1)
        now = time.monotonic()
        if now < peer.settle_until:
            return
        expected = peer.video.quality.fps
        if peer.video.quality.audio_only and peer.cap < len(LEVELS) - 1:
            if now - peer.settle_until >= peer.probe_after:  # has the link got better?
                peer.probe_after = min(peer.probe_after * 2, 120.0)
                self._set_level(peer, len(LEVELS) - 2)
            return
        good = expected > 0 and fps >= 0.85 * expected and loss < 0.02
        peer.good_reports = peer.good_reports + 1 if good else 0
        level = max(peer.cap, next_level(peer.video.level, expected, fps, loss,
                                         peer.good_reports))
        self._set_level(peer, level)

    def _set_level(self, peer: _Peer, level: int) -> None:
        if peer.video is None or level == peer.video.level:
            peer.status.video = peer.video.quality.name if peer.video else ""
            return
        if level < peer.video.level and not peer.video.quality.audio_only:
            peer.probe_after = PROBE_S  # the link carried more again
        peer.video.level, peer.good_reports = level, 0
        peer.settle_until = time.monotonic() + SETTLE_S
        peer.status.video = peer.video.quality.name
        self._send_text(peer, encode({"type": "video", "level": peer.video.quality.name}))

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_S)
            ping = encode({"type": "ping", "seq": self.seq})
            for peer in list(self.peers.values()):
                self._send_text(peer, ping)
                if time.monotonic() - peer.heard > SILENT_AFTER_S:
                    self._lost(peer)

    # -- for tests and the overview ----------------------------------------------------
    async def cut(self, classroom: str) -> None:
        """Drop a classroom's connection, as a broken link would."""
        peer = self.peers.get(classroom)
        if peer is not None:
            await peer.pc.close()

    def snapshot(self) -> list[ClassroomStatus]:
        return [copy.deepcopy(p.status) for p in self.peers.values()]

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change(self.snapshot())

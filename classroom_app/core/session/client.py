"""A classroom's side of a live session: join, follow the lesson, answer back, reconnect.

The classroom sends its WebRTC offer to the master's ``/offer`` with the session code
and receives the master's video, voice and lesson commands. When the link drops (no
word from the master for a few seconds, or the connection fails) it reconnects by
itself and the master's first message puts the lesson state right again. Whatever
happens to the link, the local teacher keeps the lesson: nothing here blocks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

import aiohttp
import av
from aiortc import RTCConfiguration, RTCDataChannel, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from classroom_app.core.i18n import tr
from classroom_app.core.session import loopback
from classroom_app.core.session.protocol import (
    CHANNEL,
    PORT,
    AnswerSummary,
    Command,
    LessonState,
    ProtocolError,
    command_from,
    decode,
    encode,
    state_from,
)

log = logging.getLogger(__name__)
SILENT_AFTER_S = 4.0
QUALITY_EVERY_S = 2.0
BACKOFF_S = (0.5, 1.0, 2.0, 3.0, 5.0)


class JoinError(Exception):
    """Joining cannot work as asked (wrong code, not a session): retrying will not help."""


@dataclass
class ClientStats:
    """What a classroom measured; ``classroom session join --report`` writes it."""

    connect_s: float | None = None
    frames: int = 0
    audio_frames: int = 0
    width: int = 0
    height: int = 0
    reconnects: int = 0
    video_level: str = ""
    latencies_ms: list[float] = field(default_factory=list)
    commands: list[dict] = field(default_factory=list)

    def fps(self, seconds: float) -> float:
        return self.frames / seconds if seconds > 0 else 0.0


def parse_address(address: str) -> tuple[str, str]:
    """``192.168.1.5``, ``192.168.1.5:8765`` or ``http://…/?code=123456`` → (base URL, code)."""
    text = address.strip()
    if "://" not in text:
        text = "http://" + text
    parts = urlparse(text)
    if not parts.hostname:
        raise JoinError(tr("'{address}' is not an address.").format(address=address))
    port = parts.port or PORT
    code = parse_qs(parts.query).get("code", [""])[0]
    return f"http://{parts.hostname}:{port}", code


class SessionClient:
    """Joins one session and stays joined until :meth:`stop`."""

    def __init__(self, url: str, code: str, name: str, classroom: str | None = None,
                 on_state: Callable[[LessonState, Command | None], None] | None = None,
                 on_frame: Callable[[av.VideoFrame], None] | None = None,
                 on_status: Callable[[str, str], None] | None = None,
                 on_audio: Callable[[av.AudioFrame], None] | None = None) -> None:
        loopback.install()
        self.base, url_code = parse_address(url)
        self.code = code or url_code
        self.name = name
        self.classroom = classroom or uuid.uuid4().hex[:12]
        self.on_state, self.on_frame = on_state, on_frame
        self.on_status, self.on_audio = on_status, on_audio
        self.state = LessonState()
        self.title = ""
        self.applied_seq = -1
        self.stats = ClientStats()
        self.status = "idle"
        self.hand = False
        self.local_mode = ""
        self.preferred = "high"
        self.answers: dict[str, AnswerSummary] = {}  # sent again after every reconnect
        self._pc: RTCPeerConnection | None = None
        self._channel: RTCDataChannel | None = None
        self._heard = 0.0
        self._stopping = False
        self._dropped: asyncio.Event | None = None
        self._wake: asyncio.Event | None = None
        self._started = 0.0
        self._window = (time.monotonic(), 0)
        self._packets = (0, 0)

    # -- life ------------------------------------------------------------------------
    async def run(self) -> None:
        """Connect, and reconnect after every drop, until :meth:`stop` or a JoinError."""
        attempt = 0
        self._started = time.monotonic()
        self._wake = asyncio.Event()
        while not self._stopping:
            self._set_status("connecting" if attempt == 0 else "reconnecting")
            try:
                await self._connect()
                attempt = 0
                await self._until_dropped()
            except JoinError as error:
                self._set_status("failed", str(error))
                await self._close_pc()
                return
            except (TimeoutError, OSError, aiohttp.ClientError, ValueError) as error:
                log.info("session link: %s", error)
            await self._close_pc()
            if self._stopping or self.state.ended:
                break
            self.stats.reconnects += 1
            self._set_status("reconnecting")
            with contextlib.suppress(TimeoutError):  # stop() wakes it at once
                await asyncio.wait_for(self._wake.wait(), BACKOFF_S[min(attempt,
                                                                        len(BACKOFF_S) - 1)])
            attempt += 1
        self._set_status("ended" if self.state.ended else "stopped")

    async def stop(self) -> None:
        self._stopping = True
        if self._wake is not None:
            self._wake.set()
        if self._dropped is not None:
            self._dropped.set()
        await self._close_pc()

    async def _connect(self) -> None:
        loopback.use_loopback.set(loopback.is_loopback(urlparse(self.base).hostname or ""))
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self._pc = pc
        self._dropped = asyncio.Event()
        pc.addTransceiver("video", direction="recvonly")
        pc.addTransceiver("audio", direction="recvonly")
        channel = pc.createDataChannel(CHANNEL, negotiated=True, id=0)
        self._channel = channel
        channel.on("message", self._message)
        channel.on("open", self._opened)
        channel.on("close", self._dropped.set)
        pc.on("track", self._track)
        pc.on("connectionstatechange", lambda: self._pc_state(pc))
        await pc.setLocalDescription(await pc.createOffer())
        answer = await self._post_offer(pc.localDescription.sdp)
        await pc.setRemoteDescription(RTCSessionDescription(answer["sdp"], answer["type"]))
        self._heard = time.monotonic()

    async def _post_offer(self, sdp: str) -> dict:
        body = {"code": self.code, "classroom": self.classroom, "name": self.name, "sdp": sdp}
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as http, \
                http.post(self.base + "/offer", json=body) as response:
            if response.status == 403:
                raise JoinError(tr("The session code is wrong. Ask the master teacher for it."))
            if response.status == 429:
                raise JoinError(tr("Too many wrong session codes from this PC: wait a minute, "
                                   "then try again."))
            if response.status == 423:
                raise JoinError(tr("The session code was locked after too many wrong tries. "
                                   "Ask the master teacher for the new code."))
            if response.status == 503:
                raise JoinError(tr("The session is full."))
            if response.status != 200:
                raise JoinError(tr("{address} does not run a session.")
                                .format(address=self.base))
            return await response.json()

    async def _until_dropped(self) -> None:
        assert self._dropped is not None
        while not self._dropped.is_set():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._dropped.wait(), QUALITY_EVERY_S / 2)
            if time.monotonic() - self._heard > SILENT_AFTER_S:
                log.info("no word from the master for %.0f s", SILENT_AFTER_S)
                return
            await self._report_quality()

    async def _close_pc(self) -> None:
        pc, self._pc, self._channel = self._pc, None, None
        if pc is not None:
            with contextlib.suppress(Exception):
                await pc.close()

    def _pc_state(self, pc: RTCPeerConnection) -> None:
        if pc is self._pc and pc.connectionState in ("failed", "closed") and self._dropped:
            self._dropped.set()

    def _opened(self) -> None:
        if self.stats.connect_s is None:  # joined: the data channel is open
            self.stats.connect_s = time.monotonic() - self._started
        self._set_status("connected")
        self._send({"type": "hello", "name": self.name})
        if self.hand:
            self._send({"type": "hand", "raised": True})
        if self.local_mode:
            self._send({"type": "local", "mode": self.local_mode})
        if self.preferred != "high":
            self._send({"type": "prefer", "level": self.preferred})
        for summary in self.answers.values():
            self._send(summary.to_message())

    # -- media -----------------------------------------------------------------------
    def _track(self, track: MediaStreamTrack) -> None:
        asyncio.ensure_future(self._consume(track))

    async def _consume(self, track: MediaStreamTrack) -> None:
        if track.kind == "video":
            await self._show_newest(track)
            return
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            self.stats.audio_frames += 1
            if self.on_audio is not None and isinstance(frame, av.AudioFrame):
                self.on_audio(frame)

    async def _show_newest(self, track: MediaStreamTrack) -> None:
        """Shows the newest frame only: a classroom that falls behind skips the frames
        that came while it was busy instead of queueing them, so its picture stays
        live, and the frames it shows per second tell the master to send less."""
        newest: list[av.VideoFrame] = []
        arrived = asyncio.Event()

        async def receive() -> None:
            try:
                while True:
                    frame = await track.recv()
                    if isinstance(frame, av.VideoFrame):
                        newest[:] = [frame]
                        arrived.set()
            except MediaStreamError:
                arrived.set()  # wakes the loop below with nothing left: the track ended

        receiver = asyncio.ensure_future(receive())
        try:
            while True:
                await arrived.wait()
                arrived.clear()
                if not newest:
                    return
                frame = newest.pop()
                self.stats.frames += 1
                self.stats.width, self.stats.height = frame.width, frame.height
                if self.on_frame is not None:
                    self.on_frame(frame)
                await asyncio.sleep(0)  # the receiver takes what came meanwhile
        finally:
            receiver.cancel()

    async def _report_quality(self) -> None:
        started, frames = self._window
        now = time.monotonic()
        if now - started < QUALITY_EVERY_S or self._pc is None:
            return
        fps = (self.stats.frames - frames) / (now - started)
        self._window = (now, self.stats.frames)
        loss = await self._loss()
        self._send({"type": "quality", "fps": round(fps, 2), "loss": round(loss, 4)})

    async def _loss(self) -> float:
        if self._pc is None:
            return 0.0
        received = lost = 0
        with contextlib.suppress(Exception):
            for report in (await self._pc.getStats()).values():
                if report.type == "inbound-rtp" and report.kind == "video":
                    received, lost = report.packetsReceived, report.packetsLost
        before_received, before_lost = self._packets
        self._packets = (received, lost)
        got, missed = received - before_received, lost - before_lost
        return missed / (got + missed) if got + missed > 0 and missed > 0 else 0.0

    # -- lesson messages ---------------------------------------------------------------
    def _message(self, text: str | bytes) -> None:
        self._heard = time.monotonic()
        try:
            message = decode(text)
            self._handle(message)
        except ProtocolError as error:
            log.warning("the master sent a bad message: %s", error)

    def _handle(self, message: dict) -> None:
        kind = message["type"]
        if kind == "command":
            command = command_from(message)
            if command.seq > self.applied_seq:
                self._apply(command.seq, command.state, command)
        elif kind == "state":
            self.title = str(message.get("title", ""))[:200]
            self._apply(int(message.get("seq", 0)), state_from(message.get("state")), None)
        elif kind == "video":
            self.stats.video_level = str(message.get("level", ""))
            self._set_status(self.status)

    def _apply(self, seq: int, state: LessonState, command: Command | None) -> None:
        self.applied_seq, self.state = seq, state
        if command is not None:
            latency = (time.time() - command.sent) * 1000 if command.sent else 0.0
            self.stats.latencies_ms.append(latency)
            self.stats.commands.append({"seq": seq, "op": command.op, "value": command.value,
                                        "latency_ms": round(latency, 2)})
        if self.on_state is not None:
            self.on_state(state, command)
        self._send({"type": "ack", "seq": seq})

    # -- what the local teacher sends ----------------------------------------------------
    def raise_hand(self, raised: bool) -> None:
        self.hand = raised
        self._send({"type": "hand", "raised": raised})

    def send_answers(self, summary: AnswerSummary) -> bool:
        """Send the class's answers; kept and sent again when the link comes back."""
        self.answers[summary.step] = summary
        return self._send(summary.to_message())

    def set_local(self, mode: str) -> None:
        """"" follows the master; "activity" or "own-pace" tell the master the room leads."""
        self.local_mode = mode
        self._send({"type": "local", "mode": mode})

    def prefer(self, level: str) -> None:
        """Ask for at most this video level ("audio" saves a weak link for the voice)."""
        self.preferred = level
        self._send({"type": "prefer", "level": level})

    def _send(self, message: dict) -> bool:
        channel = self._channel
        if channel is None or channel.readyState != "open":
            return False
        try:
            channel.send(encode(message))
        except Exception:  # noqa: BLE001 - the link just died; the reconnect resends state
            return False
        return True

    def _set_status(self, status: str, detail: str = "") -> None:
        self.status = status
        if self.on_status is not None:
            self.on_status(status, detail)

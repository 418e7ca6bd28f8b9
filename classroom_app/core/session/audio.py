"""The master's voice: the microphone in, the loudspeaker out (ALSA, through PyAV).

PyAV's FFmpeg reads and writes ALSA devices on Linux. Where there is no sound card
(or another system), both ends say so in a sentence and the session goes on with
the picture and the lesson steps.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from pathlib import Path

import av
from aiortc.contrib.media import MediaPlayer
from aiortc.mediastreams import MediaStreamTrack

from classroom_app.core.i18n import tr

log = logging.getLogger(__name__)


def _use_system_alsa() -> None:
    """PyAV's own ALSA looks for its configuration where its wheel was built; point it at
    the system's, or no device (not even "default") is known."""
    system = Path("/usr/share/alsa/alsa.conf")
    if "ALSA_CONFIG_PATH" not in os.environ and system.is_file():
        os.environ["ALSA_CONFIG_PATH"] = str(system)


def open_microphone(device: str = "default") -> tuple[MediaStreamTrack | None, str]:
    """The microphone as a WebRTC track, or None and the reason."""
    if not sys.platform.startswith("linux"):
        return None, tr("Sound from the microphone is not available on this system yet.")
    _use_system_alsa()
    try:
        player = MediaPlayer(device, format="alsa", options={"channels": "1",
                                                               "sample_rate": "48000"})
    except (av.FFmpegError, OSError) as error:
        log.info("no microphone: %s", error)
        return None, tr("No microphone found. The classrooms see the picture and the lesson "
                        "steps.")
    if player.audio is None:
        return None, tr("No microphone found.")
    return player.audio, ""


class AudioOutput:
    """Plays received voice frames on the default loudspeaker; ``muted`` silences it."""

    def __init__(self, device: str = "default") -> None:
        self.device = device
        self.muted = False
        self.error = ""
        self._container: av.container.OutputContainer | None = None
        self._stream: av.AudioStream | None = None
        self._resampler = av.AudioResampler(format="s16", layout="stereo", rate=48000)
        self._lock = threading.Lock()
        if not sys.platform.startswith("linux"):
            self.error = tr("Sound output is not available on this system yet.")

    def play(self, frame: av.AudioFrame) -> None:
        if self.muted or self.error:
            return
        with self._lock:
            try:
                if self._container is None:
                    _use_system_alsa()
                    self._container = av.open(self.device, "w", format="alsa")
                    self._stream = self._container.add_stream("pcm_s16le", rate=48000)
                    self._stream.layout = "stereo"
                assert self._stream is not None
                frame.pts = None
                for converted in self._resampler.resample(frame):
                    for packet in self._stream.encode(converted):
                        self._container.mux(packet)
            except (av.FFmpegError, OSError, ValueError) as error:
                self.error = tr("No loudspeaker found ({error}).").format(error=error)
                self.close()

    def close(self) -> None:
        container, self._container = self._container, None
        if container is not None:
            with contextlib.suppress(av.FFmpegError, OSError):
                container.close()

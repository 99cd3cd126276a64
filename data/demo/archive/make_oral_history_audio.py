"""Makes the demo oral history's recording (UA-O-001.wav) from its transcript in
data/demo/uijeongbu-archive.json, with the espeak-ng speech synthesiser (Debian package espeak-ng):
each cue is spoken from its start time, so the timed transcript follows the voice. The voice is
synthetic and the demo says so; a real interview replaces the file.

    python3 data/demo/archive/make_oral_history_audio.py

Written as 8-bit PCM WAV at 11,025 Hz, mono: every phone's browser plays it, speech stays clear,
and 28 seconds take about 300 KB."""

import io
import json
import subprocess
import wave
from pathlib import Path

HERE = Path(__file__).parent
RATE = 11_025


def _seconds(stamp: str) -> float:
    hours, minutes, seconds = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _spoken(text: str) -> bytes:
    """The text spoken in Korean, as 16-bit samples at 22,050 Hz (espeak-ng's own rate)."""
    # The demo's own transcript, spoken by the synthesiser on the path.
    command = ["espeak-ng", "-v", "ko", "-s", "150", "--stdout", text]
    wav = subprocess.run(command, check=True, capture_output=True)  # noqa: S603, S607
    with wave.open(io.BytesIO(wav.stdout)) as spoken:
        assert spoken.getframerate() == 2 * RATE and spoken.getsampwidth() == 2
        return spoken.readframes(spoken.getnframes())


def _eight_bit_half_rate(samples: bytes) -> bytes:
    """Every second 16-bit sample as unsigned 8-bit (WAV's 8-bit format)."""
    frames = memoryview(samples).cast("h")
    return bytes(((frames[i] >> 8) + 128) & 0xFF for i in range(0, len(frames), 2))


def main() -> None:
    entry = json.loads((HERE.parent / "uijeongbu-archive.json").read_text(encoding="utf-8"))["oral_history"]
    audio = bytearray()
    for start, _end, text in entry["transcript"]:
        audio.extend(b"\x80" * max(0, round(_seconds(start) * RATE) - len(audio)))  # silence up to the cue
        audio.extend(_eight_bit_half_rate(_spoken(text)))
    audio.extend(b"\x80" * max(0, round(_seconds(entry["transcript"][-1][1]) * RATE) - len(audio)))
    with wave.open(str(HERE / f"{entry['id']}.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(RATE)
        out.writeframes(bytes(audio))
    print(f"{entry['id']}.wav: {len(audio) / RATE:.1f} s, {len(audio) // 1024} KB")


if __name__ == "__main__":
    main()

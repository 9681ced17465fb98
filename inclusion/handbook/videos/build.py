"""Build the videos: scenes → PNG frames (CairoSVG) → narration (espeak-ng) → MP4 and WebM
(ffmpeg) → WebVTT captions → a poster frame and a manifest.

Files are named ``<video>-<language>-<version>.<ext>`` where the version hashes the content
and the scripts, so a build is skipped when nothing changed and old versions are removed.
ffmpeg and espeak-ng come from Debian (``make videos`` installs them); nothing is downloaded.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from .drawing import HEIGHT, WIDTH, draw_scene
from .script import Scene, Video, sentences

FPS = 25
TRANSITION = 0.6  # seconds of cross-fade or slide between scenes
SAMPLE_RATE = 22050
VOICES = {"lv": "lv", "en": "en-gb"}
MIN_SCENE = {"title": 6.0, "areas": 7.0, "area": 9.0, "readings": 10.0, "criteria": 9.0, "steps": 9.0}
DEFAULT_MIN_SCENE = 6.0
# The promo lasts a minute; the explainer two to three.
TARGET_LENGTH = {"promo": (60.0, 62.0), "explainer": (120.0, 178.0)}
FORMATS = ("mp4", "webm")
SPEECH_SPEED = 165  # espeak-ng words a minute
MAX_SPEED = 220


class BuildError(Exception):
    pass


@dataclass(frozen=True)
class Timing:
    scene: Scene
    start: float
    duration: float

    @property
    def end(self) -> float:
        return self.start + self.duration


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BuildError(f"{name} is not installed: run `make videos` (it installs ffmpeg and espeak-ng from Debian)")
    return path


def file_stem(video: Video, version: str) -> str:
    return f"{video.name}-{video.language}-{version}"


def outputs(directory: Path, stem: str) -> dict[str, Path]:
    return {ext: directory / f"{stem}.{ext}" for ext in (*FORMATS, "vtt", "jpg", "json")}


def narrate(text: str, language: str, path: Path, speed: int) -> float:
    """Speak ``text`` into a WAV file; returns its length in seconds."""
    subprocess.run(  # noqa: S603 -- our own tool and arguments; the text is one argv item, no shell
        [tool("espeak-ng"), "-v", VOICES.get(language, language), "-s", str(speed), "-w", str(path), text],
        check=True,
        capture_output=True,
    )
    with wave.open(str(path)) as speech:
        return speech.getnframes() / speech.getframerate()


def plan_timing(video: Video, spoken: list[float], short: bool) -> list[Timing]:
    """Each scene lasts as long as its narration and a pause, at least its kind's minimum;
    the whole is then stretched to the video's target length."""
    durations = []
    for scene, speech in zip(video.scenes, spoken, strict=True):
        if short:  # a test build: scenes of two seconds, whatever is said
            durations.append(2.0)
            continue
        durations.append(max(MIN_SCENE.get(scene.kind, DEFAULT_MIN_SCENE), speech + 1.4))
    if not short:
        low, _high = TARGET_LENGTH[video.name]
        total = sum(durations)
        if total < low:
            durations = [d * low / total for d in durations]
    timings, start = [], 0.0
    for scene, duration in zip(video.scenes, durations, strict=True):
        duration = round(duration * FPS) / FPS  # whole frames
        timings.append(Timing(scene, round(start, 3), duration))
        start += duration
    return timings


def caption_cues(timings: list[Timing]) -> list[tuple[float, float, str, str]]:
    """(start, end, text, scene id): a scene's narration split into sentences, each shown
    for a share of the scene proportional to its length, never outside its scene."""
    cues = []
    for timing in timings:
        parts = sentences(timing.scene.say) or [timing.scene.say]
        weights = [max(1, len(part)) for part in parts]
        start, span = timing.start + 0.2, timing.duration - 0.5
        for part, weight in zip(parts, weights, strict=True):
            length = span * weight / sum(weights)
            cues.append((start, start + length, part, timing.scene.id))
            start += length
    return cues


def _stamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def webvtt(cues) -> str:
    blocks = ["WEBVTT", ""]
    for index, (start, end, text, scene_id) in enumerate(cues, start=1):
        blocks += [f"{scene_id}#{index}", f"{_stamp(start)} --> {_stamp(end)}", text.replace("-->", "→"), ""]
    return "\n".join(blocks)


def _mix_narration(timings: list[Timing], speech_files: list[Path], path: Path) -> None:
    total_frames = math.ceil(timings[-1].end * SAMPLE_RATE)
    track = bytearray(total_frames * 2)
    for timing, speech_file in zip(timings, speech_files, strict=True):
        with wave.open(str(speech_file)) as speech:
            if speech.getframerate() != SAMPLE_RATE or speech.getsampwidth() != 2 or speech.getnchannels() != 1:
                raise BuildError(f"unexpected espeak-ng output format in {speech_file}")
            samples = speech.readframes(speech.getnframes())
        offset = int((timing.start + 0.5) * SAMPLE_RATE) * 2
        samples = samples[: max(0, len(track) - offset)]
        track[offset : offset + len(samples)] = samples
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(bytes(track))


def _filter_graph(timings: list[Timing]) -> str:
    chains = []
    for i, timing in enumerate(timings):
        length = timing.duration + (TRANSITION if i < len(timings) - 1 else 0)
        chains.append(f"[{i}:v]format=yuv420p,fps={FPS},trim=duration={length:.3f},settb=AVTB[v{i}]")
    if len(timings) == 1:
        chains.append("[v0]null[video]")
        return ";".join(chains)
    previous = "v0"
    for i in range(1, len(timings)):
        transition = "slideleft" if timings[i].scene.kind == "area" else "fade"
        label = "video" if i == len(timings) - 1 else f"x{i}"
        offset = timings[i].start
        chains.append(
            f"[{previous}][v{i}]xfade=transition={transition}:duration={TRANSITION}:offset={offset:.3f}[{label}]"
        )
        previous = label
    return ";".join(chains)


def encode(timings: list[Timing], frames: list[Path], audio: Path | None, targets: dict[str, Path]) -> None:
    """Both formats in one ffmpeg run: the scenes are filtered once and the two encoders
    share the work (H.264 for MP4, VP9 for WebM, both at their fast settings: the frames are
    mostly still, so they compress well anyway)."""
    command = [tool("ffmpeg"), "-y", "-loglevel", "error"]
    for index, (timing, frame) in enumerate(zip(timings, frames, strict=True)):
        length = timing.duration + (TRANSITION if index < len(timings) - 1 else 0)
        # A still read once a second; the fps filter repeats it (cheap) instead of decoding the
        # PNG 25 times a second.
        command += ["-loop", "1", "-framerate", "1", "-t", f"{length:.3f}", "-i", str(frame)]
    if audio is not None:
        command += ["-i", str(audio)]
    graph = _filter_graph(timings) + ";[video]split=2[mp4][webm]"
    command += ["-filter_complex", graph]
    title = ["-metadata", "title=" + timings[0].scene.heading]
    end = ["-r", str(FPS), "-t", f"{timings[-1].end:.3f}"]
    audio_map = ["-map", f"{len(frames)}:a"] if audio is not None else []
    command += ["-map", "[mp4]", *audio_map, *end, "-c:v", "libx264", "-preset", "ultrafast", "-tune", "stillimage"]
    command += ["-crf", "23", "-pix_fmt", "yuv420p", "-movflags", "+faststart"]
    if audio is not None:
        command += ["-c:a", "aac", "-b:a", "64k", "-ac", "1"]
    command += [*title, str(targets["mp4"])]
    command += ["-map", "[webm]", *audio_map, *end, "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8"]
    command += ["-row-mt", "1", "-tile-columns", "2", "-crf", "38", "-b:v", "0", "-pix_fmt", "yuv420p"]
    if audio is not None:
        command += ["-c:a", "libopus", "-b:a", "48k", "-ac", "1"]
    command += [*title, str(targets["webm"])]
    subprocess.run(command, check=True)  # noqa: S603 -- ffmpeg with arguments we built; no shell


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    os.replace(temporary, path)


def build_video(
    video: Video, version: str, directory: Path, *, narration: bool = True, short: bool = False
) -> dict[str, Path]:
    """Build one video in both formats with its captions, poster and manifest. Returns the
    files; does nothing when they all exist already (same content, same script)."""
    import cairosvg
    from PIL import Image

    directory.mkdir(parents=True, exist_ok=True)
    stem = file_stem(video, version)
    files = outputs(directory, stem)
    if all(path.exists() for path in files.values()):
        return files
    with tempfile.TemporaryDirectory(dir=directory) as work_name:
        work = Path(work_name)
        frames = []
        for index, scene in enumerate(video.scenes):
            frame = work / f"scene-{index:02d}.png"
            svg = draw_scene(scene, (index, len(video.scenes)))
            cairosvg.svg2png(bytestring=svg.encode(), write_to=str(frame), output_width=WIDTH, output_height=HEIGHT)
            frames.append(frame)
        speech_files = [work / f"say-{index:02d}.wav" for index in range(len(video.scenes))]
        speed = SPEECH_SPEED
        while True:
            if narration:
                spoken = [
                    narrate(s.say, video.language, f, speed) for s, f in zip(video.scenes, speech_files, strict=True)
                ]
            else:
                spoken = [len(scene.say.split()) / 2.6 for scene in video.scenes]  # reading pace, for captions
            timings = plan_timing(video, spoken, short)
            # Too long for its target (Latvian takes longer to say): speak a little faster.
            if short or not narration or timings[-1].end <= TARGET_LENGTH[video.name][1] or speed >= MAX_SPEED:
                break
            speed = min(MAX_SPEED, speed + 15)
        audio = None
        if narration:
            audio = work / "narration.wav"
            _mix_narration(timings, speech_files, audio)
        partials = {fmt: work / f"out.{fmt}" for fmt in FORMATS}
        encode(timings, frames, audio, partials)
        for fmt in FORMATS:
            os.replace(partials[fmt], files[fmt])
        cues = caption_cues(timings)
        _write_atomically(files["vtt"], webvtt(cues).encode())
        poster = work / "poster.jpg"
        Image.open(frames[0]).convert("RGB").save(poster, "JPEG", quality=85)
        os.replace(poster, files["jpg"])
        manifest = {
            "video": video.name,
            "language": video.language,
            "version": version,
            "duration": timings[-1].end,
            "narration": narration,
            "scenes": [{"id": t.scene.id, "start": t.start, "end": t.end, "say": t.scene.say} for t in timings],
        }
        _write_atomically(files["json"], json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    return files


def remove_old_versions(directory: Path, built: list[tuple[str, str]], keep: str) -> list[Path]:
    """Delete the files of other versions of the (video, language) pairs just built."""
    removed = []
    for name, language in built:
        for path in directory.glob(f"{name}-{language}-*.*"):
            version = path.name.split(".")[0].rsplit("-", 1)[-1]
            if version != keep and path.suffix.lstrip(".") in (*FORMATS, "vtt", "jpg", "json"):
                path.unlink()
                removed.append(path)
    return removed

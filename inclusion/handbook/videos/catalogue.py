"""Which videos exist for the current content, and building them all."""

from __future__ import annotations

import hashlib
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from ..content import content_version
from ..services import get_handbook
from .build import build_video, outputs, remove_old_versions
from .script import VIDEOS, Scene, Video, load_script, resolve_video, script_version

# Bump when the drawing or the encoding changes, so that every video is rebuilt.
BUILD_REVISION = "2"
PARALLEL_BUILDS = 2
FILENAME = re.compile(r"^(?P<stem>(?:explainer|promo)-[a-z]{2}-[0-9a-f]{12})\.(?P<ext>mp4|webm|vtt|jpg)$")
CONTENT_TYPES = {"mp4": "video/mp4", "webm": "video/webm", "vtt": "text/vtt; charset=utf-8", "jpg": "image/jpeg"}


def script_dir() -> Path:
    return Path(settings.CONTENT_DIR) / "video"


def video_dir() -> Path:
    return Path(settings.VIDEO_DIR)


def current_version() -> str:
    return script_version(script_dir(), content_version(Path(settings.CONTENT_DIR)) + BUILD_REVISION)


def scripted_videos(languages=None, names=VIDEOS, short: bool = False) -> list[Video]:
    """The videos as the scripts describe them; ``short`` keeps one scene of each kind."""
    handbook = get_handbook()
    videos = []
    for language in languages or handbook.languages:
        script = load_script(script_dir() / f"{language}.yaml")
        for name in names:
            video = resolve_video(script, name, handbook.edition(language))
            if short:
                seen, scenes = set(), []
                for scene in video.scenes:
                    if scene.kind not in seen:
                        seen.add(scene.kind)
                        scenes.append(scene)
                video = Video(video.name, video.language, tuple(scenes))
            videos.append(video)
    return videos


def build_all(videos: list[Video], *, narration: bool = True, short: bool = False, prune: bool = True) -> list[dict]:
    version = current_version()
    if short:  # a short build never takes the place of the full videos
        version = hashlib.sha256(f"{version}:short".encode()).hexdigest()[:12]
    directory = video_dir()
    # Two at a time: one ffmpeg keeps about one and a half cores busy (its filter graph runs on
    # one thread), so a pair fills a two-core machine.
    with ThreadPoolExecutor(max_workers=PARALLEL_BUILDS) as pool:
        results = pool.map(
            lambda video: build_video(video, version, directory, narration=narration, short=short), videos
        )
        built = [{"video": video, "files": files} for video, files in zip(videos, results, strict=True)]
    if prune:  # older versions of the videos just built; other videos and languages stay
        remove_old_versions(directory, built=[(video.name, video.language) for video in videos], keep=version)
    return built


@dataclass(frozen=True)
class AvailableVideo:
    name: str
    language: str
    stem: str
    duration: float
    transcript: tuple[str, ...]

    def filename(self, ext: str) -> str:
        return f"{self.stem}.{ext}"

    @property
    def webm(self) -> str:
        return self.filename("webm")

    @property
    def mp4(self) -> str:
        return self.filename("mp4")

    @property
    def captions(self) -> str:
        return self.filename("vtt")

    @property
    def poster(self) -> str:
        return self.filename("jpg")

    @property
    def minutes(self) -> str:
        seconds = round(self.duration)
        return f"{seconds // 60}:{seconds % 60:02d}"


@lru_cache(maxsize=32)
def _read_manifest(path: Path, mtime: float) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def available(language: str) -> dict[str, AvailableVideo]:
    """The built videos in ``language`` for the current content, by name ({} before
    `make videos`). Reads one small manifest per video; cached by its modification time."""
    directory = video_dir()
    found = {}
    manifests = (
        sorted(directory.glob(f"*-{language}-*.json"), key=lambda p: p.stat().st_mtime) if directory.exists() else []
    )
    for path in manifests:  # the newest build of each video wins
        stem = path.stem
        if not all(p.exists() for p in outputs(directory, stem).values()):
            continue
        manifest = _read_manifest(path, path.stat().st_mtime)
        found[manifest["video"]] = AvailableVideo(
            name=manifest["video"],
            language=language,
            stem=stem,
            duration=manifest["duration"],
            transcript=tuple(scene["say"] for scene in manifest["scenes"]),
        )
    return found


def resolve_file(filename: str) -> tuple[Path, str] | None:
    """The file behind a video URL and its content type, or None (unknown or not built)."""
    match = FILENAME.match(filename)
    if not match:
        return None
    path = video_dir() / filename
    if not path.is_file():
        return None
    return path, CONTENT_TYPES[match["ext"]]


__all__ = ["AvailableVideo", "Scene", "available", "build_all", "current_version", "resolve_file", "scripted_videos"]

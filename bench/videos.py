"""Issue 16 figures: building all four videos from scratch (explainer and promo, lv and en),
the time it takes, each file's size and length, and a PNG of every scene to look at.

Run: .venv/bin/python bench/videos.py  (needs ffmpeg, ffprobe and espeak-ng: `make video-tools`)
Writes the videos and the scene PNGs into a temporary folder it prints, and keeps it.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    directory = Path(tempfile.mkdtemp(prefix="videos-"))
    os.environ["VIDEO_DIR"] = str(directory)
    import django

    django.setup()
    from inclusion.handbook.videos.catalogue import build_all, scripted_videos

    began = time.perf_counter()
    built = build_all(scripted_videos())
    seconds = time.perf_counter() - began
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"All {len(built)} videos from scratch: {seconds:.0f} s wall, "
        f"{children.ru_utime + children.ru_stime:.0f} s CPU in ffmpeg/espeak-ng, on {os.cpu_count()} cores"
    )
    print("| video | length | scenes | MP4 | WebM | captions |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for item in built:
        video, files = item["video"], item["files"]
        manifest = json.loads(files["json"].read_text())
        cues = files["vtt"].read_text().count(" --> ")
        print(
            f"| {video.name} ({video.language}) | {manifest['duration']:.0f} s | {len(video.scenes)} | "
            f"{files['mp4'].stat().st_size / 1e6:.1f} MB | {files['webm'].stat().st_size / 1e6:.1f} MB | {cues} cues |"
        )
        # One frame from the middle of each scene, to look at.
        for index, scene in enumerate(manifest["scenes"]):
            middle = (scene["start"] + scene["end"]) / 2
            target = directory / f"{video.name}-{video.language}-scene{index:02d}.png"
            subprocess.run(
                [
                    "ffmpeg",
                    "-loglevel",
                    "error",
                    "-y",
                    "-ss",
                    f"{middle:.2f}",
                    "-i",
                    str(files["mp4"]),
                    "-frames:v",
                    "1",
                    str(target),
                ],
                check=True,
            )
    began = time.perf_counter()
    build_all(scripted_videos())
    print(f"Second run (nothing changed): {time.perf_counter() - began:.1f} s")
    print(f"Files and frames in {directory}")


if __name__ == "__main__":
    main()

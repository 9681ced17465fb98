import time

from django.core.management.base import BaseCommand, CommandError

from inclusion.handbook.content import ContentError
from inclusion.handbook.videos.build import BuildError
from inclusion.handbook.videos.catalogue import build_all, scripted_videos, video_dir
from inclusion.handbook.videos.script import VIDEOS, ScriptError


class Command(BaseCommand):
    help = (
        "Build the explainer and promo videos (MP4, WebM, WebVTT captions, poster) in every "
        "language from the content and content/video/<lang>.yaml. Skips videos whose content "
        "and script did not change."
    )

    def add_arguments(self, parser):
        parser.add_argument("--language", action="append", help="only this language (repeatable)")
        parser.add_argument("--video", action="append", choices=VIDEOS, help="only this video (repeatable)")
        parser.add_argument("--no-narration", action="store_true", help="no spoken track (captions only)")
        parser.add_argument("--short", action="store_true", help="one scene of each kind, for tests")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            videos = scripted_videos(options["language"], options["video"] or VIDEOS, short=options["short"])
            built = build_all(videos, narration=not options["no_narration"], short=options["short"])
        except (ContentError, ScriptError, BuildError) as error:
            raise CommandError(str(error)) from None
        for item in built:
            video, files = item["video"], item["files"]
            sizes = ", ".join(f"{ext} {files[ext].stat().st_size / 1e6:.1f} MB" for ext in ("mp4", "webm"))
            self.stdout.write(f"{video.name} ({video.language}): {len(video.scenes)} scenes, {sizes}")
        self.stdout.write(f"Videos in {video_dir()} ({time.monotonic() - started:.0f} s)")

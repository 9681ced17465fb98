"""The explainer and promo videos: scripts true to the content, the files ffprobe sees,
captions timed to the scenes, and how the site serves them."""

import json
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test.utils import override_settings

from inclusion.handbook.services import get_handbook
from inclusion.handbook.videos.build import caption_cues, plan_timing
from inclusion.handbook.videos.catalogue import scripted_videos
from inclusion.handbook.videos.script import ScriptError, load_script, resolve_video, structure

SCRIPTS = Path(settings.CONTENT_DIR) / "video"
LANGUAGES = ("lv", "en")


def test_every_language_has_the_same_scenes_and_references():
    shapes = {language: structure(load_script(SCRIPTS / f"{language}.yaml")) for language in LANGUAGES}
    assert shapes["lv"] == shapes["en"]


def test_scenes_take_their_text_from_the_content():
    handbook = get_handbook()
    for video in scripted_videos():
        edition = handbook.edition(video.language)
        assert all(scene.say for scene in video.scenes), video
        for scene in video.scenes:
            if scene.kind == "area":
                area = edition.area(scene.number)
                assert scene.heading == area.title and scene.text == area.lead
                assert scene.example in next(p.text for p in area.practices if p.text.startswith(scene.example))
            if scene.kind == "criteria":
                assert list(scene.items) == [criterion.title for criterion in edition.criteria.criteria]
    explainer_lv = next(v for v in scripted_videos(["lv"], ["explainer"]))
    # Latvian scenes are Latvian: the area label and the handbook's own Latvian title.
    assert explainer_lv.scenes[0].heading == "Efektīva bēgļu iekļaušana"
    assert any(scene.label == "1. galvenā joma" for scene in explainer_lv.scenes)
    # The explainer covers the six areas, the readings, the criteria and the platform steps.
    kinds = [scene.kind for scene in explainer_lv.scenes]
    assert kinds.count("area") == 6 and {"readings", "criteria", "steps"} <= set(kinds)


def test_a_reference_that_does_not_resolve_names_the_scene():
    script = load_script(SCRIPTS / "en.yaml")
    script["promo"][0]["text"] = {"ref": "intro.no-such-section", "line": 1}
    with pytest.raises(ScriptError, match=r"en:promo\.who.*intro\.no-such-section"):
        resolve_video(script, "promo", get_handbook().edition("en"))
    script = load_script(SCRIPTS / "en.yaml")
    script["promo"][0]["text"] = {"ref": "intro.audience", "line": 99}
    with pytest.raises(ScriptError, match="has 7 lines, not line 99"):
        resolve_video(script, "promo", get_handbook().edition("en"))


def test_full_length_plan_fits_the_targets():
    """Without encoding anything: a minute for the promo, two to three for the explainer,
    at the narration pace (about 2.6 words a second)."""
    for video in scripted_videos():
        spoken = [len(scene.say.split()) / 2.6 for scene in video.scenes]
        timings = plan_timing(video, spoken, short=False)
        total = timings[-1].end
        if video.name == "promo":
            assert 60 <= total <= 66, (video.language, total)
        else:
            assert 120 <= total <= 180, (video.language, total)
        cues = caption_cues(timings)
        for timing in timings:
            own = [cue for cue in cues if cue[3] == timing.scene.id]
            assert own and all(timing.start <= start < end <= timing.end for start, end, _text, _id in own)


def _probe(path: Path) -> dict:
    output = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


def _cues(vtt: str) -> list[tuple[str, float, float]]:
    def seconds(stamp):
        hours, minutes, rest = stamp.split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(rest)

    cues = []
    for block in vtt.strip().split("\n\n")[1:]:
        identifier, timing, _text = block.split("\n", 2)
        start, end = timing.split(" --> ")
        cues.append((identifier.split("#")[0], seconds(start), seconds(end)))
    return cues


def test_short_build_files_as_ffprobe_sees_them(short_videos):
    assert len(short_videos["built"]) == 4  # explainer and promo, lv and en
    for item in short_videos["built"]:
        video, files = item["video"], item["files"]
        manifest = json.loads(files["json"].read_text())
        kinds = [scene.kind for scene in video.scenes]
        assert len(kinds) == len(set(kinds)), "one scene of each kind"
        expected = {"mp4": ("h264", "aac"), "webm": ("vp9", "opus")}
        for fmt, (video_codec, audio_codec) in expected.items():
            probe = _probe(files[fmt])
            streams = {stream["codec_type"]: stream for stream in probe["streams"]}
            assert streams["video"]["codec_name"] == video_codec
            assert (streams["video"]["width"], streams["video"]["height"]) == (1920, 1080)
            assert streams["video"]["r_frame_rate"] == "25/1"
            assert streams["audio"]["codec_name"] == audio_codec  # the narration
            assert float(probe["format"]["duration"]) == pytest.approx(manifest["duration"], abs=0.15)
            assert files[fmt].stat().st_size < 15_000_000
        # Captions: the scenes in order, each cue inside its scene's time.
        cues = _cues(files["vtt"].read_text())
        scenes = manifest["scenes"]
        assert [scene["id"] for scene in scenes] == [scene.id for scene in video.scenes]
        assert list(dict.fromkeys(cue[0] for cue in cues)) == [scene["id"] for scene in scenes]
        bounds = {scene["id"]: (scene["start"], scene["end"]) for scene in scenes}
        for scene_id, start, end in cues:
            assert bounds[scene_id][0] <= start < end <= bounds[scene_id][1] + 0.001
        assert files["jpg"].read_bytes()[:3] == b"\xff\xd8\xff"


def test_a_second_build_changes_nothing(short_videos):
    from inclusion.handbook.videos.catalogue import build_all

    before = {path.name: path.stat().st_mtime_ns for path in short_videos["directory"].iterdir()}
    with override_settings(VIDEO_DIR=short_videos["directory"]):
        build_all(scripted_videos(short=True), short=True)
    after = {path.name: path.stat().st_mtime_ns for path in short_videos["directory"].iterdir()}
    assert after == before


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_show_the_videos_with_captions_and_no_autoplay(client, short_videos, language):
    with override_settings(VIDEO_DIR=short_videos["directory"]):
        home = client.get(f"/{language}/").content.decode()
        introduction = client.get(f"/{language}/handbook/introduction/").content.decode()
    assert home.count("<video ") == 2 and "autoplay" not in home
    assert re.search(
        rf'<track kind="captions" src="[^"]+explainer-{language}-[0-9a-f]{{12}}\.vtt" srclang="{language}"', home
    )
    assert " default>" in home and "poster=" in home and 'preload="metadata"' in home
    assert "explainer-" in introduction and "<video " in introduction
    # The transcript is the narration, on the page.
    explainer = next(
        i["video"] for i in short_videos["built"] if i["video"].language == language and i["video"].name == "explainer"
    )
    assert explainer.scenes[1].say.split(".")[0].replace("'", "&#x27;") in home


@pytest.mark.django_db
def test_video_files_are_served_with_ranges_and_as_downloads(client, short_videos):
    mp4 = next(i["files"]["mp4"] for i in short_videos["built"] if i["video"].name == "promo")
    data = mp4.read_bytes()
    url = f"/lv/handbook/videos/{mp4.name}"
    with override_settings(VIDEO_DIR=short_videos["directory"]):
        part = client.get(url, HTTP_RANGE="bytes=100-199")
        assert part.status_code == 206 and part["Content-Type"] == "video/mp4"
        assert b"".join(part.streaming_content) == data[100:200]
        saved = client.get(url + "?download=1")
        assert saved["Content-Disposition"] == f'attachment; filename="{mp4.name}"'
        assert b"".join(saved.streaming_content) == data
        vtt = client.get(url.replace(".mp4", ".vtt"))
        assert vtt["Content-Type"] == "text/vtt; charset=utf-8"
        vtt.close()
        for missing in ("promo-lv-000000000000.mp4", "..%2Fsettings.py", "promo-lv.html", mp4.name + ".json"):
            assert client.get(f"/lv/handbook/videos/{missing}").status_code == 404

"""The videos play on the home page in both languages, captions on, with no console or CSP error."""

import pytest
from django.test.utils import override_settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["lv", "en"])
def test_home_page_video_plays(page, live_server, short_videos, language):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    with override_settings(VIDEO_DIR=short_videos["directory"]):
        page.goto(f"{live_server.url}/{language}/")
        video = page.locator("video[data-video=promo]")
        video.scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('video[data-video=promo]').readyState >= 2", timeout=20000)
        state = video.evaluate(
            """v => ({ready: v.readyState, autoplay: v.autoplay, paused: v.paused, width: v.videoWidth,
                     source: v.currentSrc, track: v.textTracks[0] && v.textTracks[0].mode,
                     language: v.textTracks[0] && v.textTracks[0].language})"""
        )
        # Seeking works (range requests) and playback starts when asked.
        video.evaluate("v => { v.muted = true; v.currentTime = 3; return v.play(); }")
        page.wait_for_function("document.querySelector('video[data-video=promo]').currentTime > 3", timeout=20000)
    assert state["ready"] >= 2 and state["width"] == 1920
    assert state["autoplay"] is False and state["paused"] is True
    assert state["track"] == "showing" and state["language"] == language
    assert f"promo-{language}-" in state["source"]
    assert errors == []

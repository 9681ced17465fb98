"""Recordings of questions for people who read little: uploaded per question and language by
editors, checked by content, served to respondents with byte ranges; "listen" otherwise."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from inclusion.feedback.models import QuestionRecording
from inclusion.feedback.recordings import MAX_RECORDING_BYTES, audio_type

from .conftest import questions_by_bank_id

pytestmark = pytest.mark.django_db

OGG = b"OggS\x00\x02" + bytes(range(256)) * 8
MP3 = b"ID3\x04\x00\x00" + b"\x00" * 500


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _url(survey, question):
    return f"/en/feedback/riga-welcome/{survey.pk}/questions/{question.pk}/recordings/"


def test_audio_is_recognised_by_its_content_not_its_name():
    assert audio_type(OGG[:16]) == "audio/ogg"
    assert audio_type(MP3[:16]) == "audio/mpeg"
    assert audio_type(b"\xff\xfb\x90\x64" + b"\x00" * 12) == "audio/mpeg"
    assert audio_type(b"RIFF\x24\x00\x00\x00WAVEfmt ") == "audio/wav"
    assert audio_type(b"\x00\x00\x00\x20ftypM4A \x00\x00") == "audio/mp4"
    assert audio_type(b"%PDF-1.7\n") is None
    assert audio_type(b"<html><script>") is None


def test_an_editor_uploads_a_recording_and_the_respondent_page_plays_it(client, survey, editor_a, media):
    question = questions_by_bank_id(survey)["q.satisfaction"]
    client.force_login(editor_a)
    assert client.get(_url(survey, question)).status_code == 200
    upload = SimpleUploadedFile("question.mp3", OGG, content_type="audio/mpeg")  # the name and type lie
    response = client.post(_url(survey, question), {"language": "ar", "file": upload})
    assert response.status_code == 302
    recording = QuestionRecording.objects.get()
    assert (recording.language, recording.content_type, recording.size) == ("ar", "audio/ogg", len(OGG))
    assert "question" not in recording.file.name and "riga" not in recording.file.name

    page = Client().get(f"/s/{survey.token}/ar/").content.decode()
    audio_url = f"/s/{survey.token}/ar/recordings/{question.pk}/"
    assert f'<audio controls preload="none" src="{audio_url}"' in page
    # The other questions, without a recording, get the "listen" button that JavaScript shows.
    assert page.count('class="speak"') == survey.questions.count() - 1
    # Another language has no recording of this question.
    assert "recordings/" not in Client().get(f"/s/{survey.token}/fa/").content.decode()

    served = Client().get(audio_url)
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "audio/ogg"
    assert served.headers["Accept-Ranges"] == "bytes"
    assert b"".join(served.streaming_content) == OGG
    part = Client().get(audio_url, headers={"Range": "bytes=4-9"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 4-9/{len(OGG)}"
    assert part.content == OGG[4:10]
    assert Client().get(audio_url, headers={"Range": "bytes=-4"}).content == OGG[-4:]
    assert Client().get(audio_url, headers={"Range": f"bytes={len(OGG)}-"}).status_code == 416
    assert Client().get(f"/s/{survey.token}/fa/recordings/{question.pk}/").status_code == 404
    assert Client().get(f"/s/wrong-token/ar/recordings/{question.pk}/").status_code == 404


def test_a_new_recording_replaces_the_old_one_and_can_be_removed(
    client, survey, editor_a, media, django_capture_on_commit_callbacks
):
    question = questions_by_bank_id(survey)["q.respect"]
    client.force_login(editor_a)
    client.post(_url(survey, question), {"language": "fa", "file": SimpleUploadedFile("a.ogg", OGG)})
    first = QuestionRecording.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(survey, question), {"language": "fa", "file": SimpleUploadedFile("b.mp3", MP3)})
    recording = QuestionRecording.objects.get()
    assert recording.content_type == "audio/mpeg"
    assert not (media / first).exists()
    assert (media / recording.file.name).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(survey, question), {"remove": "fa"})
    assert not QuestionRecording.objects.exists()
    assert not (media / recording.file.name).exists()


def test_not_audio_and_too_large_files_are_refused_with_a_message(client, survey, editor_a):
    question = questions_by_bank_id(survey)["q.respect"]
    client.force_login(editor_a)
    fake = SimpleUploadedFile("voice.mp3", b"<html><script>alert(1)</script>", content_type="audio/mpeg")
    response = client.post(_url(survey, question), {"language": "uk", "file": fake})
    assert response.status_code == 400
    html = response.content.decode()
    assert "not a recording we can play" in html
    assert '<option value="uk" selected>' in html  # the form keeps the language chosen
    large = SimpleUploadedFile("long.ogg", b"OggS" + b"\x00" * MAX_RECORDING_BYTES)
    response = client.post(_url(survey, question), {"language": "uk", "file": large})
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not QuestionRecording.objects.exists()


def test_viewers_cannot_upload_recordings(client, survey, viewer_a):
    question = questions_by_bank_id(survey)["q.respect"]
    client.force_login(viewer_a)
    response = client.post(_url(survey, question), {"language": "uk", "file": SimpleUploadedFile("a.ogg", OGG)})
    assert response.status_code == 403
    assert not QuestionRecording.objects.exists()


def test_the_survey_page_runs_one_query_for_recordings_whatever_their_number(survey, media, django_assert_num_queries):
    from inclusion.feedback.recordings import save_recording

    client = Client()
    client.get(f"/s/{survey.token}/ar/")  # warm caches
    with django_assert_num_queries(3) as none:
        client.get(f"/s/{survey.token}/ar/")
    for question in survey.questions.all():
        save_recording(question, "ar", SimpleUploadedFile("a.ogg", OGG))
    with django_assert_num_queries(len(none.captured_queries)):
        html = client.get(f"/s/{survey.token}/ar/").content.decode()
    assert html.count("<audio controls") == survey.questions.count()
    assert 'class="speak"' not in html


def test_deleting_the_survey_deletes_its_recordings_files(survey, media, django_capture_on_commit_callbacks):
    from inclusion.feedback.recordings import save_recording

    question = questions_by_bank_id(survey)["q.respect"]
    recording = save_recording(question, "en", SimpleUploadedFile("a.ogg", OGG))
    assert (media / recording.file.name).exists()
    with django_capture_on_commit_callbacks(execute=True):
        survey.delete()
    assert not (media / recording.file.name).exists()

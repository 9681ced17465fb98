"""Recordings of questions for people who read little: what counts as audio (by the file's
first bytes, not its name or the browser's word), the size limit, storing and replacing one
recording per question and language, and serving it with byte ranges."""

from __future__ import annotations

import re

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _

from .models import QuestionRecording, SurveyQuestion
from .surveys import FeedbackError

MAX_RECORDING_BYTES = 2 * 1024 * 1024  # about two minutes of speech in MP3 or Ogg


def audio_type(head: bytes) -> str | None:
    """The audio Content-Type a file's first bytes show, or None if they are not audio we serve."""
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "audio/webm"
    if head[4:8] == b"ftyp" and head[8:12] in {b"M4A ", b"mp41", b"mp42", b"isom", b"dash"}:
        return "audio/mp4"
    if head.startswith(b"fLaC"):
        return "audio/flac"
    return None


def save_recording(question: SurveyQuestion, language: str, upload) -> QuestionRecording:
    """Store ``upload`` as the question's recording in ``language``, replacing an older one."""
    if upload.size > MAX_RECORDING_BYTES:
        raise FeedbackError(
            _("The recording is too large: at most %(size)s MB.") % {"size": MAX_RECORDING_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(16)
    content_type = audio_type(head)
    if content_type is None:
        raise FeedbackError(_("This file is not a recording we can play: use MP3, Ogg, WAV, WebM, M4A or FLAC."))
    upload.seek(0)
    data = upload.read()
    with transaction.atomic():
        QuestionRecording.objects.filter(question=question, language=language).delete()
        recording = QuestionRecording(question=question, language=language, content_type=content_type, size=len(data))
        recording.file.save("recording", ContentFile(data), save=False)
        recording.save()
    return recording


def remove_recording(question: SurveyQuestion, language: str) -> None:
    QuestionRecording.objects.filter(question=question, language=language).delete()


def delete_file(sender, instance: QuestionRecording, **kwargs) -> None:
    """post_delete: the file goes once the deletion is committed (a rollback keeps both)."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def recording_response(recording: QuestionRecording, range_header: str | None):
    """The recording with its Content-Type; one byte range (206) when asked for, as audio
    players do to seek."""
    size = recording.size
    match = RANGE.match(range_header or "")
    if match and (match.group(1) or match.group(2)):
        if match.group(1):
            start = int(match.group(1))
            end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
        else:  # the last N bytes
            start, end = max(size - int(match.group(2)), 0), size - 1
        if start >= size or start > end:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        with recording.file.open("rb") as file:
            file.seek(start)
            data = file.read(end - start + 1)
        response = HttpResponse(data, status=206, content_type=recording.content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    else:
        response = FileResponse(recording.file.open("rb"), content_type=recording.content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""Range requests, as a video player makes them when it seeks."""

import pytest
from django.test import RequestFactory

from inclusion.core.ranges import byte_range, ranged_file_response

# Closing a response sends request_finished, which tidies database connections.
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=990-5000", (990, 999)),
        ("bytes=1000-", False),
        ("bytes=-0", False),
        ("bytes=50-10", False),
        ("bytes=0-1,5-9", None),  # several ranges: the whole file
        ("items=0-9", None),
        ("bytes=-", None),
    ],
)
def test_byte_range(header, expected):
    assert byte_range(header, 1000) == expected


def test_a_range_answers_206_with_exactly_those_bytes(tmp_path):
    path = tmp_path / "clip.webm"
    data = bytes(range(256)) * 400
    path.write_bytes(data)
    request = RequestFactory().get("/", HTTP_RANGE="bytes=1000-1999")
    response = ranged_file_response(request, path, "video/webm")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 1000-1999/{len(data)}"
    assert response["Accept-Ranges"] == "bytes"
    assert b"".join(response.streaming_content) == data[1000:2000]
    response.close()


def test_whole_file_unsatisfiable_range_and_download(tmp_path):
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"x" * 10)
    whole = ranged_file_response(RequestFactory().get("/"), path, "video/mp4", download_name="clip.mp4")
    assert whole.status_code == 200
    assert b"".join(whole.streaming_content) == b"x" * 10
    assert whole["Content-Disposition"] == 'attachment; filename="clip.mp4"'
    assert whole["X-Content-Type-Options"] == "nosniff"
    whole.close()
    beyond = ranged_file_response(RequestFactory().get("/", HTTP_RANGE="bytes=10-"), path, "video/mp4")
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == "bytes */10"

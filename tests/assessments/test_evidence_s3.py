"""Evidence files in an S3-compatible bucket (EVIDENCE_STORAGE=s3), against a local S3
server that the test starts itself (moto in server mode, on a free port): upload through the
page, download through our view, removal deletes the object."""

import socket

import boto3
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from inclusion.assessments.models import Evidence
from inclusion.settings import s3_storage

from . import evidence_files as files

BUCKET = "inclusion-evidence"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """The evidence storage configured from the environment as in production (settings.s3_storage)."""
    for name, value in {
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": "eu-north-1",
        "S3_ACCESS_KEY_ID": "test-key",
        "S3_SECRET_ACCESS_KEY": "test-secret",
        "S3_ADDRESSING_STYLE": "path",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-north-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    settings.STORAGES = {**settings.STORAGES, "evidence": s3_storage("evidence")}
    yield client
    for listed in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=listed["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client) -> list[str]:
    return [listed["Key"] for listed in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_upload_download_and_delete_through_an_s3_bucket(
    bucket, editor_a_client, viewer_a_client, outsider_client, assessment_a, django_capture_on_commit_callbacks
):
    assert type(storages["evidence"]).__name__ == "S3Storage"
    data = files.docx()
    response = editor_a_client.post(
        f"/en/assessments/{assessment_a.public_id}/evidence/a1.c1/",
        {"text": "Plan", "file": SimpleUploadedFile("Plāns.docx", data, content_type="application/octet-stream")},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert _keys(bucket) == [f"evidence/{evidence.stored_name}"]
    stored = bucket.get_object(Bucket=BUCKET, Key=f"evidence/{evidence.stored_name}")["Body"].read()
    assert stored == data
    # Private: the bucket's object grants nobody but its owner.
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=f"evidence/{evidence.stored_name}")["Grants"]
    assert all(grant["Grantee"].get("URI") is None for grant in grants)

    file_url = f"/en/assessments/{assessment_a.public_id}/evidence/{evidence.pk}/file/"
    download = viewer_a_client.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert download["Content-Disposition"].startswith("attachment;")
    assert outsider_client.get(file_url).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        removed = editor_a_client.post(f"/en/assessments/{assessment_a.public_id}/evidence/{evidence.pk}/delete/")
    assert removed.status_code == 302
    assert _keys(bucket) == []

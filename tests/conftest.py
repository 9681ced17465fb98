"""What every app's tests share: settings for fast tests, the handbook, and the personas.

The personas are two organisations, A (an authority) and B (an NGO), each with an owner,
an editor and a viewer; an ``outsider`` who owns an organisation of their own and belongs
to neither; a ``stranger`` who belongs to no organisation; ``staff`` and a ``moderator``.
Tests about one organisation use A and seed B, so that a leak has something to show.
"""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

from inclusion.handbook.content import load_handbook
from inclusion.handbook.services import get_handbook, import_content
from inclusion.organisations.models import OrganisationKind, Role
from tests.factories import ModeratorFactory, OrganisationFactory, StaffFactory, UserFactory, member_of

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture(scope="session", autouse=True)
def _no_connection_outlives_the_suite(django_db_setup, django_db_blocker):
    """PostgreSQL refuses to drop the test database while any session is connected to it.
    A live-server or worker thread that still holds a connection at the very end would turn
    a passing run into an error at teardown, so close every other session first."""
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """Hashing passwords is deliberately slow; tests only need it to work (test-only setting)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache_and_language():
    """Set up before the autouse fixtures that change settings (pytest orders them by name:
    keep theirs after "_fresh"), so that it is torn down after settings are restored: a
    test's database cache is gone by then.

    Each test starts with an empty cache (IDs repeat across rolled-back tests; rate-limit
    counters live there too) and in English, whatever language an earlier request left
    active (LocaleMiddleware does not reset it)."""
    from django.core.cache import cache
    from django.utils import translation

    from inclusion.core import fragments

    cache.clear()
    fragments.clear()
    translation.activate("en")
    yield
    translation.deactivate()
    cache.clear()
    fragments.clear()


@pytest.fixture(autouse=True)
def _pdf_cache_in_tmp(settings, tmp_path_factory):
    """Each test session builds PDFs into its own directory, never into the repo."""
    settings.PDF_CACHE_DIR = tmp_path_factory.getbasetemp() / "pdf-cache"


@pytest.fixture(autouse=True)
def _storage_of_evidence_in_tmp(settings, tmp_path):
    """Files attached as evidence go to the test's own directory, never into the repo."""
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence"), "base_url": None},
        },
    }


@pytest.fixture(scope="session")
def handbook():
    return get_handbook()


@pytest.fixture
def edition(handbook):
    return handbook.edition("en")


@pytest.fixture
def criteria(edition):
    """The assessment table's criteria, which practices are rated against."""
    return edition.criteria.criteria


@pytest.fixture
def content(db):
    """The handbook's items in the database, which answers and ratings refer to."""
    import_content(get_handbook())


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A writable copy of the content files, for tests that change them."""
    target = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, target)
    return target


@pytest.fixture
def load_copy():
    def load(content_dir: Path):
        return load_handbook(content_dir, LANGUAGES)

    return load


# --- Personas --------------------------------------------------------------------------


@pytest.fixture
def org_a(db):
    return OrganisationFactory(name="Riga Welcome", slug="riga-welcome", kind=OrganisationKind.AUTHORITY)


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="Other City", slug="other-city", kind=OrganisationKind.NGO)


@pytest.fixture
def owner_a(org_a):
    return member_of(org_a, Role.OWNER, "owner@a.example")


@pytest.fixture
def editor_a(org_a):
    return member_of(org_a, Role.EDITOR, "editor@a.example")


@pytest.fixture
def viewer_a(org_a):
    return member_of(org_a, Role.VIEWER, "viewer@a.example")


@pytest.fixture
def owner_b(org_b):
    return member_of(org_b, Role.OWNER, "owner@b.example")


@pytest.fixture
def editor_b(org_b):
    return member_of(org_b, Role.EDITOR, "editor@b.example")


@pytest.fixture
def viewer_b(org_b):
    return member_of(org_b, Role.VIEWER, "viewer@b.example")


@pytest.fixture
def outsider(db):
    """The owner of an organisation of their own, member of neither A nor B."""
    return member_of(OrganisationFactory(name="Elsewhere", slug="elsewhere"), Role.OWNER, "outsider@example.org")


@pytest.fixture
def stranger(db):
    """Signed up, member of no organisation."""
    return UserFactory(email="stranger@example.org")


@pytest.fixture
def staff(db):
    return StaffFactory(email="staff@example.org")


@pytest.fixture
def moderator(db):
    return ModeratorFactory(email="moderator@example.org")


@pytest.fixture
def signed_in(db):
    """``signed_in(user)``: a new test client signed in as that user."""

    def sign_in(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def owner_a_client(signed_in, owner_a):
    return signed_in(owner_a)


@pytest.fixture
def editor_a_client(signed_in, editor_a):
    return signed_in(editor_a)


@pytest.fixture
def viewer_a_client(signed_in, viewer_a):
    return signed_in(viewer_a)


@pytest.fixture
def owner_b_client(signed_in, owner_b):
    return signed_in(owner_b)


@pytest.fixture
def editor_b_client(signed_in, editor_b):
    return signed_in(editor_b)


@pytest.fixture
def viewer_b_client(signed_in, viewer_b):
    return signed_in(viewer_b)


@pytest.fixture
def outsider_client(signed_in, outsider):
    return signed_in(outsider)


@pytest.fixture
def staff_client(signed_in, staff):
    return signed_in(staff)


@pytest.fixture(scope="session")
def short_videos(tmp_path_factory):
    """The short build (one scene of each kind) of both videos in every language, with
    narration, in a folder of its own (tests point VIDEO_DIR at it with override_settings).
    Needs ffmpeg and espeak-ng (`make videos`)."""
    import os

    from inclusion.handbook.videos.build import BuildError, tool

    try:
        tool("ffmpeg"), tool("ffprobe"), tool("espeak-ng")
    except BuildError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(str(error))
        pytest.skip(str(error))
    from inclusion.handbook.videos.catalogue import build_all, scripted_videos

    directory = tmp_path_factory.mktemp("videos")
    with override_settings(VIDEO_DIR=directory):
        built = build_all(scripted_videos(short=True), short=True)
    return {"directory": directory, "built": built}

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from inclusion.handbook.content import load_handbook
from inclusion.handbook.services import get_handbook

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture(autouse=True)
def _pdf_cache_in_tmp(settings, tmp_path_factory):
    """Each test session builds PDFs into its own directory, never into the repo."""
    settings.PDF_CACHE_DIR = tmp_path_factory.getbasetemp() / "pdf-cache"


@pytest.fixture(autouse=True)
def _fresh_cache_and_language():
    """Each test starts with an empty cache (IDs repeat across rolled-back tests) and in
    English, whatever language an earlier request left active (LocaleMiddleware does not
    reset it)."""
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    translation.activate("en")
    yield
    translation.deactivate()
    cache.clear()


@pytest.fixture(scope="session")
def handbook():
    return get_handbook()


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

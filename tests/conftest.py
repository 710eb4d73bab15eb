from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from tests.factories import CreatorFactory, OrganizerFactory, UserFactory


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Local file storage in a fresh folder for every test: nothing leaks between tests."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media", "base_url": "/media/"},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language (a request may leave another active)."""
    translation.activate("vi")
    yield
    translation.activate("vi")


@pytest.fixture
def people(db):
    """The three people most tests are about: an organizer, a creator and an outsider."""
    return SimpleNamespace(
        organizer=OrganizerFactory(),
        creator=CreatorFactory(),
        other_creator=CreatorFactory(),
        newcomer=UserFactory(),  # signed up and verified, no creator profile yet
        anonymous=AnonymousUser(),
    )

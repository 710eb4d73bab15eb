from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from config.settings import s3_storage_config
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
def _fast_passwords(settings):
    # Real hashing costs half a second per user; what the tests check does not depend on it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counts live in the cache: no test inherits another's (same address, same
    email) and finds itself locked out."""
    from django.core.cache import cache

    cache.clear()


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


@pytest.fixture(scope="session")
def moto_server():
    """moto's standalone S3 server on loopback: real HTTP, real boto3, real django-storages."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(settings, moto_server):
    """Entry files in a private bucket on the moto server (a fresh bucket per test)."""
    import uuid

    import boto3

    bucket = f"hcda-test-{uuid.uuid4().hex[:12]}"
    boto3.client(
        "s3",
        endpoint_url=moto_server,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ).create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        # The production configuration, failing faster (an outage test waits for no retries).
        "default": s3_storage_config(
            bucket=bucket,
            endpoint_url=moto_server,
            region="us-east-1",
            access_key="test",
            secret_key="test",
            retries=1,
            connect_timeout=1,
        ),
    }
    return SimpleNamespace(endpoint=moto_server, bucket=bucket)


@pytest.fixture(params=["local", "s3"])
def backend(request):
    """Run a test against local file storage and against S3 (moto server)."""
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    return request.param

import pytest
from django.utils import translation


@pytest.fixture
def english():
    """Requests and messages in English (URLs are reversed under the active language)."""
    translation.activate("en")
    yield
    translation.activate("vi")

"""Email in development is readable (terminal, var/mail/, a DEBUG-only page), and account
emails greet with the award's name and the person's own name, never a generated username."""

import importlib
import io
import re

import pytest
from django.core import mail
from django.urls import clear_url_caches, reverse
from django.utils import translation

from tests.factories import PASSWORD, CreatorProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

CONFIRM_LINK = re.compile(r"^http://testserver/vi/accounts/confirm-email/[\w:-]+/$", re.M)


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def dev_mail(settings, tmp_path):
    """The development mailer, writing to a fresh folder and to a terminal we can read."""
    terminal = io.StringIO()
    settings.DEV_MAIL_DIR = tmp_path / "mail"
    settings.MAILERS = {
        "default": {
            "BACKEND": "config.devmail.EmailBackend",
            "OPTIONS": {"directory": settings.DEV_MAIL_DIR, "stream": terminal},
        }
    }
    return terminal


@pytest.fixture
def debug_urls(settings):
    """The URLs as `make run` has them (the dev page is wired only when DEBUG is on)."""
    import config.urls

    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def sign_up(client, email="lan@example.vn", lang="vi"):
    client.post(
        url("account_signup", lang), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def test_dev_email_is_a_readable_file_and_terminal_text(client, dev_mail, settings):
    sign_up(client)

    [path] = settings.DEV_MAIL_DIR.iterdir()
    text = path.read_text(encoding="utf-8")
    assert "Subject: [HCDA] Vui lòng xác nhận địa chỉ email của bạn\n" in text
    assert "To: lan@example.vn\n" in text
    assert CONFIRM_LINK.search(text)
    assert "=?utf-8?" not in text and "base64" not in text
    assert text in dev_mail.getvalue()


def test_dev_email_page_lists_the_newest_with_clickable_links(client, dev_mail, debug_urls):
    sign_up(client, "first@example.vn")
    sign_up(client, "second@example.vn")
    link = CONFIRM_LINK.findall(dev_mail.getvalue())[-1]

    response = client.get("/vi/dev/emails/")

    html = response.content.decode()
    listing = html[html.index('class="dev-mail"') :]
    assert response.status_code == 200
    assert listing.index("second@example.vn") < listing.index("first@example.vn")  # newest first
    assert f'<a href="{link}" rel="nofollow">{link}</a>' in html
    assert html.count("Vui lòng xác nhận địa chỉ email của bạn") == 2


def test_dev_email_page_escapes_what_the_email_says(client, dev_mail, debug_urls):
    mail.EmailMessage(subject="<b>Hi</b>", body="<script>alert(1)</script>", to=["a@b.vn"]).send()

    html = client.get("/en/dev/emails/").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Hi&lt;/b&gt;" in html


def test_dev_email_page_does_not_exist_when_debug_is_off(client, dev_mail):
    sign_up(client)

    assert client.get("/vi/dev/emails/").status_code == 404


def test_dev_email_view_refuses_without_debug_even_if_wired(rf, settings):
    from django.http import Http404

    from config.devmail import email_list

    settings.DEBUG = False

    with pytest.raises(Http404):
        email_list(rf.get("/vi/dev/emails/"))


def test_verification_email_greets_with_the_award_not_the_host(client):
    sign_up(client, "mai@example.vn", lang="en")

    body = mail.outbox[0].body
    assert body.startswith("Hello mai@example.vn,\n")
    assert "Hanoi Creative Design Award" in body
    assert "Hello from" not in body and "testserver!" not in body
    assert body.endswith("\nHanoi Creative Design Award\nhttp://testserver/en/")  # the site


def test_verification_email_in_vietnamese(client):
    sign_up(client, "thu@example.vn", lang="vi")

    body = mail.outbox[0].body
    assert body.startswith("Xin chào thu@example.vn,\n")
    assert "Giải thưởng Thiết kế sáng tạo Hà Nội" in body
    assert "xin gửi lời chào" not in body


def test_people_are_named_by_their_display_name_never_their_username(client):
    user = UserFactory(username="k3x9q2", email="ha@example.vn")
    CreatorProfileFactory(user=user, display_name="Studio Gốm Bát Tràng")

    client.post(url("account_reset_password"), {"email": "ha@example.vn"})
    response = client.post(
        url("account_login"), {"login": "ha@example.vn", "password": PASSWORD}, follow=True
    )

    assert mail.outbox[0].body.startswith("Hello Studio Gốm Bát Tràng,\n")
    assert "k3x9q2" not in mail.outbox[0].body
    page = response.content.decode()
    assert "Successfully signed in as Studio Gốm Bát Tràng." in page
    assert "k3x9q2" not in page


def test_people_without_a_profile_are_named_by_their_email(client):
    UserFactory(username="p8w1z", email="tuan@example.vn")

    response = client.post(
        url("account_login"), {"login": "tuan@example.vn", "password": PASSWORD}, follow=True
    )

    assert "Successfully signed in as tuan@example.vn." in response.content.decode()

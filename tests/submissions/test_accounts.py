import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation

from submissions.models import CreatorProfile
from tests.factories import PASSWORD, AwardCycleFactory

pytestmark = pytest.mark.django_db


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs)


def profile_data(**changes):
    data = {
        "display_name": "Studio Gốm Bát Tràng",
        "creator_type": "studio",
        "country": "VN",
        "city": "Hà Nội",
        "organization": "",
        "bio": "",
        "website": "",
        "accept_rules": "on",
    }
    data.update(changes)
    return data


def test_signup_verify_profile_home(client):
    AwardCycleFactory(theme_en="The River and the City")

    response = client.post(
        url("account_signup"),
        {"email": "lan@example.vn", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == url("account_email_verification_sent")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)

    # Not verified yet: signing in is refused with a pointer to the email.
    client.logout()
    response = client.post(url("account_login"), {"login": "lan@example.vn", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == url("account_email_verification_sent")

    response = client.post(link.split("testserver", 1)[-1])
    assert EmailAddress.objects.get(email="lan@example.vn").verified
    response = client.post(
        url("account_login"), {"login": "lan@example.vn", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("submissions:profile")
    assert "Complete your creator profile" in response.content.decode()

    response = client.post(url("submissions:profile"), profile_data(), follow=True)

    # On to where entries start, not back to the home page.
    assert response.redirect_chain[-1][0] == url("submissions:dashboard")
    assert "Every entry you have started" in response.content.decode()
    profile = CreatorProfile.objects.get(user__email="lan@example.vn")
    assert (profile.display_name, profile.city, profile.rules_accepted_at is not None) == (
        "Studio Gốm Bát Tràng",
        "Hà Nội",
        True,
    )


def test_verification_email_is_in_vietnamese_for_a_vietnamese_signup(client):
    client.post(
        url("account_signup", "vi"),
        {"email": "mai@example.vn", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert len(mail.outbox) == 1
    assert "Xác nhận" in mail.outbox[0].subject or "xác nhận" in mail.outbox[0].subject.lower()
    assert "/vi/accounts/confirm-email/" in mail.outbox[0].body


def test_signup_with_a_taken_email_creates_nothing_and_tells_the_owner(client, people):
    # Enumeration is prevented: the form looks the same, the address's owner gets an email.
    response = client.post(
        url("account_signup"),
        {"email": people.creator.email, "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    assert get_user_model().objects.filter(email=people.creator.email).count() == 1
    assert [m.to for m in mail.outbox] == [[people.creator.email]]
    assert "already" in mail.outbox[0].body


def test_login_pages_are_styled_and_translated(client):
    for lang, title in (("vi", "Đăng nhập"), ("en", "Sign In")):
        html = client.get(url("account_login", lang)).content.decode()
        assert 'class="auth__card"' in html
        assert title in html


def test_failed_logins_are_rate_limited(client, people):
    for _ in range(5):
        client.post(
            url("account_login"), {"login": people.creator.email, "password": "wrong password"}
        )

    response = client.post(
        url("account_login"), {"login": people.creator.email, "password": PASSWORD}
    )

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link(client, people):
    response = client.post(url("account_reset_password"), {"email": people.creator.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_logout_returns_home(client, people):
    client.force_login(people.creator)

    response = client.post(url("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_organizers_can_turn_on_two_factor(client, people):
    client.force_login(people.organizer)
    client.post(
        url("account_reauthenticate"), {"password": PASSWORD}
    )  # asked before any 2FA change
    page = client.get(url("mfa_activate_totp"))
    secret = page.context["form"].secret

    response = client.post(
        url("mfa_activate_totp"),
        {"code": format_hotp_value(hotp_value(secret, int(time.time()) // 30))},
    )

    assert response.status_code == 302
    assert Authenticator.objects.filter(
        user=people.organizer, type=Authenticator.Type.TOTP
    ).exists()

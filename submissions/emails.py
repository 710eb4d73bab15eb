"""Emails to creators, in Vietnamese and English in one message (we do not know which they read)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def _bilingual(template: str, context: dict) -> tuple[str, str]:
    parts, subjects = [], []
    for lang in ("vi", "en"):
        with translation.override(lang):
            subjects.append(render_to_string(f"{template}_subject.txt", context).strip())
            parts.append(render_to_string(f"{template}.txt", context).strip())
    return " / ".join(subjects), "\n\n— — —\n\n".join(parts) + "\n"


def site_url_of(request) -> str:
    """The base of links in an email sent because of this request: the address the person is
    using (its host already checked against ALLOWED_HOSTS), so that a server on another port
    or name links to itself. Emails sent outside a request use SITE_URL."""
    return f"{request.scheme}://{request.get_host()}"


def _send(to: str, template: str, context: dict, site_url: str = "") -> None:
    context = {**context, "site_url": site_url or settings.SITE_URL}
    subject, body = _bilingual(template, context)
    EmailMultiAlternatives(subject=subject, body=body, to=[to]).send()


def entry_receipt(entry, *, site_url: str = "") -> None:
    assets = entry.assets.ready().order_by("kind", "position")
    _send(
        entry.owner.email,
        "submissions/email/receipt",
        {"entry": entry, "assets": assets},
        site_url,
    )


def screening_notice(entry, *, site_url: str = "") -> None:
    _send(entry.owner.email, "submissions/email/screening", {"entry": entry}, site_url)

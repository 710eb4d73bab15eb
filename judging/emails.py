"""Emails to jurors, each in the juror's language, as text and HTML (three templates each)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def _send(*, to: str, language: str, template: str, context: dict, base_url: str | None) -> None:
    base = (base_url or settings.SITE_URL).rstrip("/")
    with translation.override(language):
        context = {**context, "site_url": base, "language": language}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}_body.txt", context)
        html = render_to_string(f"{template}_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


def invitation(juror, token: str, *, base_url: str | None = None) -> None:
    with translation.override(juror.language):
        path = reverse("judging:invitation", kwargs={"token": token})
    _send(
        to=juror.email,
        language=juror.language,
        template="judging/email/invitation",
        context={
            "juror": juror,
            "cycle": juror.cycle,
            "categories": list(juror.categories.all()),
            "path": path,
            "expires_at": juror.token_expires_at,
        },
        base_url=base_url,
    )


def reminder(juror, rounds: list[dict], *, base_url: str | None = None) -> None:
    """One digest: what is left in each open round, and until when."""
    with translation.override(juror.language):
        path = reverse("judging:home")
    _send(
        to=juror.user.email,
        language=juror.language,
        template="judging/email/reminder",
        context={"juror": juror, "rounds": rounds, "path": path},
        base_url=base_url,
    )


def result_notice(notice) -> None:
    """The result of one entry, in Vietnamese and English (a creator's language is not
    recorded; receipts do the same), sent at publication."""
    from judging.models import Decision
    from judging.results import published_snapshot

    entry, cycle = notice.entry, notice.cycle
    snapshot = published_snapshot(cycle)
    if snapshot is None:  # never before publication, whatever queued it
        raise RuntimeError("A result notice may only be sent once the results are published.")
    awards = list(Decision.objects.filter(entry=entry).select_related("prize"))
    context = {
        "notice": notice,
        "entry": entry,
        "cycle": cycle,
        "awards": awards,
        "site_url": settings.SITE_URL,
    }
    parts, subjects, htmls = [], [], []
    for language in ("vi", "en"):
        with translation.override(language):
            context["results_path"] = reverse(
                "judging:results", kwargs={"year": cycle.festival_year}
            )
            subjects.append(
                " ".join(render_to_string("judging/email/result_subject.txt", context).split())
            )
            parts.append(render_to_string("judging/email/result_body.txt", context).strip())
            htmls.append(render_to_string("judging/email/result_body.html", context))
    message = EmailMultiAlternatives(
        subject=" / ".join(subjects),
        body="\n\n— — —\n\n".join(parts) + "\n",
        to=[entry.owner.email],
    )
    message.attach_alternative("<hr>".join(htmls), "text/html")
    message.send()

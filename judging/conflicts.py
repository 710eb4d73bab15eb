"""Conflict suggestions from the data: who may know whom, diacritics and case aside.

Same organization (a juror's current or past one against a creator's), same email or website
domain (except public mail providers), a juror named in an entry's credits or as its creator.
These are only suggestions: an organizer or the juror confirms them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from judging.models import Juror
from submissions.models import CreatorProfile, Entry
from submissions.text import fold_words

PUBLIC_MAIL = {
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.com.vn",
    "ymail.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "yandex.com",
    "yandex.ru",
    "mail.ru",
    "qq.com",
    "163.com",
    "126.com",
    "naver.com",
    "daum.net",
    "zoho.com",
    "fastmail.com",
    "example.org",
    "example.com",
    # Every demo account (`seed_demo`) shares this domain, as if it were a mail provider.
    "demo.hcda.vn",
}


def domain_of(value: str) -> str:
    """The organization's domain in an address or a link, or "" for public providers."""
    value = value.strip().lower()
    if not value:
        return ""
    if "@" in value:
        host = value.rsplit("@", 1)[1]
    else:
        try:
            host = urlsplit(value if "//" in value else f"//{value}").hostname or ""
        except ValueError:  # free text such as "Studio [Mây]" reads as a broken IPv6 address
            return ""
    host = host.removeprefix("www.")
    if "." not in host or host in PUBLIC_MAIL:
        return ""
    return host


def _meaningful(text: str) -> str:
    folded = fold_words(text)
    return folded if len(folded) >= 3 else ""


def _creators(cycle):
    """Each creator of the edition: their profile's words and their entries' credit names."""
    entries = Entry.objects.filter(cycle=cycle).values_list("owner_id", "credits")
    credits: dict[int, set[str]] = {}
    for owner, rows in entries.iterator(chunk_size=5000):
        names = credits.setdefault(owner, set())
        for row in rows or []:
            if name := _meaningful(str(row.get("name", ""))):
                names.add(name)
    profiles = CreatorProfile.objects.filter(user_id__in=list(credits)).values_list(
        "user_id", "display_name", "organization", "website", "user__email"
    )
    for user_id, display_name, organization, website, email in profiles.iterator(chunk_size=5000):
        yield {
            "id": user_id,
            "name": _meaningful(display_name),
            "organization": _meaningful(organization),
            "domains": {d for d in (domain_of(website), domain_of(email)) if d},
            "email": email.lower(),
            "credits": credits.get(user_id, set()),
        }


def find(cycle) -> dict[tuple[int, int], str]:
    """(juror id, creator user id) → why they may be connected, as a reason code that the
    page translates in the reader's language (`Conflict.reason_display`)."""
    jurors = (
        Juror.objects.filter(cycle=cycle)
        .exclude(state__in=[Juror.State.REVOKED, Juror.State.DECLINED])
        .select_related("user")
    )
    by_org: dict[str, list[tuple[int, str]]] = {}
    by_domain: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    for juror in jurors:
        for line in juror.organizations.splitlines():
            if org := _meaningful(line):
                by_org.setdefault(org, []).append((juror.pk, line.strip()))
        for address in {juror.email, juror.user.email if juror.user else ""}:
            if domain := domain_of(address):
                by_domain.setdefault(domain, []).append(juror.pk)
        if name := _meaningful(juror.name):
            by_name.setdefault(name, []).append(juror.pk)

    found: dict[tuple[int, int], str] = {}
    for creator in _creators(cycle):
        for juror_id, line in by_org.get(creator["organization"], []):
            found.setdefault((juror_id, creator["id"]), f"org:{line}")
        for domain in creator["domains"]:
            for juror_id in by_domain.get(domain, []):
                found.setdefault((juror_id, creator["id"]), f"domain:{domain}")
        for name in {creator["name"], *creator["credits"]}:
            for juror_id in by_name.get(name, []):
                found.setdefault((juror_id, creator["id"]), "named:")
    return found


def match_ties(cycle, ties: str) -> dict[int, str]:
    """Creators of the edition that a juror's declared ties name: creator id → the tie."""
    lines = [line.strip() for line in ties.splitlines() if line.strip()]
    if not lines:
        return {}
    wanted = []
    for line in lines:
        wanted.append(
            (line, _meaningful(line), line.lower() if "@" in line else "", domain_of(line))
        )
    matches: dict[int, str] = {}
    for creator in _creators(cycle):
        for line, folded, email, domain in wanted:
            if (
                (folded and folded in {creator["name"], creator["organization"]})
                or (email and email == creator["email"])
                or (domain and domain in creator["domains"])
            ):
                matches.setdefault(creator["id"], line)
    return matches

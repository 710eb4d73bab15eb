"""Finalize of 4, 10 and 20 MB images against S3 (moto's server): time and the app's memory
peak, which must not grow with the file's size."""

from __future__ import annotations

import io
import json
import os
import time
import tracemalloc

from bench.common import Context, Figure


def noisy_jpeg(megabytes: float) -> bytes:
    """A photograph-like JPEG of about the given size (noise does not compress)."""
    from PIL import Image

    pixels = megabytes * 1024 * 1024 / 1.17  # about 1.2 bytes per pixel at quality 95
    width = int((pixels * 1.5) ** 0.5)
    height = width * 2 // 3
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def section(ctx: Context) -> list[Figure]:
    import requests
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from submissions import services
    from submissions.models import Entry

    owner = get_user_model().objects.get(email="creator@demo.hcda.vn")
    category = ctx.cycle.categories.get(code="DIG")
    category.max_entries_per_creator = 99
    category.max_images = 99
    category.save()
    figures = []
    made = []
    for megabytes in (4, 10, 19.5):
        data = noisy_jpeg(megabytes)
        entry = services.entry_create(owner=owner, category=category)
        made.append(entry.pk)
        start = ctx.creator.post(
            reverse("submissions:upload_start", kwargs={"entry_id": entry.public_id}),
            data=json.dumps({"name": "big.jpg", "size": len(data), "type": "image/jpeg"}),
            content_type="application/json",
        ).json()
        # The browser's part: straight to the bucket, not through the app.
        requests.post(
            start["url"],
            data=start["fields"],
            files={"file": ("big.jpg", data, "image/jpeg")},
            timeout=60,
        )
        tracemalloc.start()
        started = time.perf_counter()
        response = ctx.creator.post(start["finalize"])
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert response.status_code == 200, response.content
        figures.append(
            Figure(
                f"finalize a {megabytes:g} MB JPEG (S3)",
                elapsed * 1000,
                detail=f"{len(data) / 1048576:.1f} MB, app memory peak {peak / 1048576:.1f} MB",
            )
        )
    # The edition goes back to the number of entries it is labelled with.
    Entry.objects.filter(pk__in=made).delete()
    return figures

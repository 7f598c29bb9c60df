"""Pictures for the demo's field steps: the after-photo rule (处置后照片, reports.photos)
holds in the demo too, so each handled report carries a drawn "photo" (no file shipped,
nothing downloaded)."""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw


def after_photo(number: int) -> ContentFile:
    """A 640×480 JPEG of a tidy street (sky, road, a lamp post); ``number`` varies it so
    that every report's photo is its own file."""
    picture = Image.new("RGB", (640, 480), (150, 190, 230))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 300, 640, 480), fill=(110, 110, 115))
    draw.rectangle((0, 290, 640, 300), fill=(200, 200, 200))
    x = 120 + (number * 37) % 400
    draw.rectangle((x, 90, x + 10, 300), fill=(60, 70, 80))
    draw.ellipse((x - 20, 70, x + 30, 100), fill=(250, 240, 160))
    for stripe in range(0, 640, 80):
        draw.rectangle((stripe + 10, 385, stripe + 50, 395), fill=(240, 240, 240))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name=f"after-{number}.jpg")

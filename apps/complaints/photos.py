"""How many photos a report carries (each checked and cleaned by apps/common/photos.py)."""

MAX_PHOTOS = 5

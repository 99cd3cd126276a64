"""Short permanent codes for places: what a QR code on a trail marker or a river sign carries in its
URL (/t/<code>) and what is printed under it for people to type.

The alphabet leaves out 0/O, 1/I/L and lower case, so a code read aloud or copied from a weathered
plate cannot be mistaken for another; five characters give 31⁵ ≈ 28.6 million codes.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 5


def code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_normalise(text: str) -> str | None:
    """The code as stored, from what someone typed (any case, stray spaces); None when it cannot be one."""
    code = "".join(text.split()).upper()
    if len(code) != LENGTH or any(character not in ALPHABET for character in code):
        return None
    return code

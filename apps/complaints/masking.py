"""Masks personal data in text residents wrote, before it appears on any public page or API.

What is masked: resident registration numbers (주민등록번호, and foreigner registration numbers
of the same shape), Korean phone numbers, and vehicle licence plates. What stays: enough to
recognise the kind of thing that was there ("010-****-****", "12가****").
"""

import re

# 900101-1234567 or 9001011234567; the seventh digit (1-8) encodes century and sex.
RESIDENT_NUMBER = re.compile(r"(?<!\d)\d{6}\s?-?\s?[1-8]\d{6}(?!\d)")
# Mobile (010, 011, 016-019), Seoul (02), area codes (031...064), nationwide (1588-1234 style is
# a business line, not personal, and is left alone).
PHONE = re.compile(r"(?<!\d)(01[016789]|02|0[3-6][1-5]|070)([\s.-]?)(\d{3,4})([\s.-]?)(\d{4})(?!\d)")
# 12가3456, 123가 4567, 서울12가3456: two or three digits, one Hangul syllable, four digits.
LICENCE_PLATE = re.compile(r"((?:[가-힣]{2})?\d{2,3}\s?[가-힣])(\s?)(\d{4})(?!\d)")


def mask_personal_data(text: str) -> str:
    text = RESIDENT_NUMBER.sub("******-*******", text)
    text = PHONE.sub(lambda m: f"{m[1]}{m[2] or '-'}****{m[4] or '-'}****", text)
    return LICENCE_PLATE.sub(lambda m: f"{m[1]}{m[2]}****", text)

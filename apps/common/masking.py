"""Masks personal data in text residents wrote, before it appears on any public page or API.

What is masked: resident registration numbers (주민등록번호, and foreigner registration numbers
of the same shape), Korean phone numbers, vehicle licence plates and email addresses. What stays:
enough to recognise the kind of thing that was there ("010-****-****", "12가****", "h***@***.com").
"""

import re

# 900101-1234567 or 9001011234567; the seventh digit (1-8) encodes century and sex.
RESIDENT_NUMBER = re.compile(r"(?<!\d)\d{6}\s?-?\s?[1-8]\d{6}(?!\d)")
# Mobile (010, 011, 016-019), Seoul (02), area codes (031...064), nationwide (1588-1234 style is
# a business line, not personal, and is left alone).
PHONE = re.compile(r"(?<!\d)(01[016789]|02|0[3-6][1-5]|070)([\s.-]?)(\d{3,4})([\s.-]?)(\d{4})(?!\d)")
# 12가3456, 123가 4567, 서울12가3456: two or three digits, one Hangul syllable, four digits.
LICENCE_PLATE = re.compile(r"((?:[가-힣]{2})?\d{2,3}\s?[가-힣])(\s?)(\d{4})(?!\d)")
# hong.gildong@naver.com, also with a full-width ＠ as Korean keyboards type it. The local part and
# the boundaries are ASCII, so Korean written right before or after ("메일은abc@daum.net입니다")
# is neither swallowed nor in the way.
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]+)[@＠]((?:[\w-]+\.)+)([A-Za-z]{2,})(?![A-Za-z0-9-])")


def mask_personal_data(text: str) -> str:
    # Emails first: a phone number as an address's local part would otherwise be masked half.
    text = EMAIL.sub(lambda m: f"{m[1][0]}***@***.{m[3]}", text)
    text = RESIDENT_NUMBER.sub("******-*******", text)
    text = PHONE.sub(lambda m: f"{m[1]}{m[2] or '-'}****{m[4] or '-'}****", text)
    return LICENCE_PLATE.sub(lambda m: f"{m[1]}{m[2]}****", text)

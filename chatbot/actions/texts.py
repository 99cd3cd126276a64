"""Words the actions put into the domain's responses: labels, dates, button titles.

Whole sentences are responses in domain.yml (with English variations); these are the pieces that
depend on the portal's data and so cannot be written there.
"""

from datetime import date

# The portal's own wording of its statuses (locale/ko of the portal).
STATUS_LABELS = {
    "ko": {
        "received": "접수",
        "accepted": "처리 중",
        "answered": "답변 완료",
        "closed_unfixed": "종결(조치 불가)",
        "transferred": "이송",
        "transferred_out": "타 기관 이송",
        "duplicate": "중복",
        "reopened": "재개",
    },
    "en": {
        "received": "Received",
        "accepted": "In progress",
        "answered": "Answered",
        "closed_unfixed": "Closed without a fix",
        "transferred": "Transferred",
        "transferred_out": "Transferred to another agency",
        "duplicate": "Duplicate",
        "reopened": "Reopened",
    },
}

# The purpose residents agree to before they leave contact details: the report form's, word for
# word. The portal stores the purpose it registered for the bot's API client (`manage.py prepare`
# registers this Korean text), never one sent with the report.
CONSENT_PURPOSE = {
    "ko": "이름과 연락처는 민원 처리 결과를 안내하는 데에만 수집·이용하며, 민원이 종결된 후 3년간 보관합니다.",
    "en": (
        "We collect your name and contact details only to tell you how your report is handled, "
        "and keep them for 3 years after it is closed."
    ),
}

WORDS = {
    "ko": {
        "no_photos": "없음",
        "photo_count": "{count}장",
        "anonymous": "남기지 않음(익명)",
        "shared_location": "공유한 현재 위치",
        "no_reply": "아직 없어요",
        "nearby": "근처에",
        "in_dong": "{dong}에",
        "metres": "{distance}m 이내",
        "follow": "{number} 따라가기",
        "file_new": "새로 접수할게요",
        "something_else": "다른 민원이에요",
        "the_department": "담당 부서",
        "city_call_centre": "{phone} (시 대표전화, 부서 직통 번호는 아직 등록되지 않았어요)",
        "rivers_and_walkways": "하천 산책로",
        "handoff_title": "[챗봇] 상담원 연결 요청",
        "transcript_resident": "주민",
        "transcript_bot": "챗봇",
    },
    "en": {
        "no_photos": "none",
        "photo_count": "{count}",
        "anonymous": "not given (anonymous)",
        "shared_location": "the location you shared",
        "no_reply": "none yet",
        "nearby": "nearby",
        "in_dong": "in {dong}",
        "metres": "within {distance} m",
        "follow": "Follow {number}",
        "file_new": "File a new report",
        "something_else": "Something else",
        "the_department": "department",
        "city_call_centre": "{phone} (the city's call centre; the department's own line is not listed yet)",
        "rivers_and_walkways": "the river walkways",
        "handoff_title": "[Chatbot] Request to talk to a person",
        "transcript_resident": "Resident",
        "transcript_bot": "Bot",
    },
}

# What a resident may change on the summary: its button, and the words that name it when typed.
# Checked in this order, the most specific first ("사진 추가" is about photos, not extra answers).
CORRECTABLE_PARTS = {
    "photos": {"ko": "사진", "en": "Photos", "words": ["사진", "photo", "picture"]},
    "contact": {
        "ko": "연락처",
        "en": "Contact",
        "words": ["연락처", "전화", "이메일", "contact", "phone", "email"],
    },
    "location": {"ko": "위치", "en": "Location", "words": ["위치", "장소", "주소", "location", "address", "place"]},
    "category": {"ko": "유형", "en": "Category", "words": ["유형", "종류", "분류", "category"]},
    "answers": {"ko": "추가 정보", "en": "Extra answers", "words": ["추가 정보", "답변", "extra", "answer"]},
    "description": {"ko": "내용", "en": "Description", "words": ["내용", "설명", "description"]},
}

WEEKDAYS = {"ko": "월화수목금토일", "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]}
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def language_of(value: object) -> str:
    return "en" if value == "en" else "ko"


def word(language: str, key: str, **values: object) -> str:
    return WORDS[language_of(language)][key].format(**values)


def status_label(language: str, status: str) -> str:
    return STATUS_LABELS[language_of(language)].get(status, status)


def date_text(language: str, iso_date: str) -> str:
    """2026-12-09 as "2026년 12월 9일(수)" or "Wed 9 December 2026"; the text itself if not a date."""
    try:
        day = date.fromisoformat(iso_date)
    except (TypeError, ValueError):
        return str(iso_date)
    if language_of(language) == "en":
        return f"{WEEKDAYS['en'][day.weekday()]} {day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.year}년 {day.month}월 {day.day}일({WEEKDAYS['ko'][day.weekday()]})"


def named(language: str, row: dict, field: str = "name") -> str:
    """A portal row's name in the language: name_en for English readers when there is one."""
    english = row.get(f"{field}_en") if language_of(language) == "en" else ""
    return english or row.get(f"{field}_ko") or row.get(field) or ""

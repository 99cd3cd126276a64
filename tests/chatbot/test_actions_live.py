"""Each flow's custom actions, run by the real action server against a live portal (conftest.py)."""

import re

import pytest
import requests
from django.utils import timezone

from apps.complaints import services
from apps.complaints.models import Category, Complaint
from apps.municipalities.models import Department
from tests.chatbot.conftest import BOT_KEY, PUBLIC_URL, user_message
from tests.complaints.photo_files import phone_photo

# Published alerts are pushed to open pages through the channel layer's own database.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "channels"])


def upload_photo(live_server) -> str:
    """A photo sent ahead of filing, as the widget's upload leaves it: held by the portal for the bot."""
    photo = phone_photo()
    response = requests.post(
        f"{live_server.url}/api/v1/complaints/photos/",
        files={"file": (photo.name, photo.read(), "image/jpeg")},
        headers={"Authorization": f"Token {BOT_KEY}"},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def open_case(category: str = "illegal-parking", **fields) -> Complaint:
    return services.complaint_submit(
        category=Category.objects.get(code=category), description="골목 입구를 막은 차", channel="web", **fields
    ).complaint


# --- Report ------------------------------------------------------------------------------------


def test_a_confirmed_report_is_filed_with_its_photos_contact_and_language(bot, live_server):
    photos = [upload_photo(live_server), upload_photo(live_server)]
    slots = {
        "complaint_category": "streetlight",
        "complaint_description": "The streetlight outside my building flickers all night",
        "complaint_location": {"address": "호원1동 신일아파트 정문", "latitude": None, "longitude": None},
        "complaint_attributes": {"light_state": "flicker"},
        "complaint_photos": photos,
        "contact_consent": True,
        "contact_details": {"phone": "010-2345-6789"},
        "complaint_confirmed": True,
    }
    result = bot.run("action_submit_complaint", user_message("/affirm", "affirm"), slots=slots, language="en")

    case = Complaint.objects.get()
    assert (case.category.code, case.department.code, case.channel, case.language) == (
        "streetlight",
        "road-lighting",
        "chat",
        "en",
    )
    assert case.dong == "호원1동" and case.attributes == {"light_state": "flicker"}
    assert sorted(str(photo.uuid) for photo in case.photos.all()) == sorted(photos)
    # Kept with the purpose registered for the bot's client, not one the bot sends.
    assert case.contact_phone == "010-2345-6789" and case.contact_consent_purpose == "처리 결과 안내"

    filed = result.response("utter_report_filed")
    assert filed["number"] == case.number
    assert filed["department"] == "Road Lighting Team"
    assert re.fullmatch(r"\w{3} \d{1,2} \w+ \d{4}", filed["due_date"])
    assert filed["tracking_url"].endswith(
        f"/en/complaints/track/{case.number}/?token={result.slots()['last_case']['token']}"
    )
    assert all(result.slots()[slot] is None for slot in ("complaint_category", "complaint_photos", "contact_details"))


def test_the_form_takes_the_first_message_checks_the_dong_and_lets_the_resident_follow_a_case(bot):
    # Similar cases are offered only for categories the city publishes: this city publishes parking.
    Category.objects.filter(code="illegal-parking").update(public_by_default=True)
    earlier = open_case(address="호원1동 신일아파트 앞")
    report = user_message(
        "골목에 차가 계속 불법주차돼 있어서 못 지나가요",
        "report_illegal_parking",
        0.96,
        ranking=[("report_illegal_parking", 0.96), ("report_hydrant_parking", 0.02)],
    )
    started = bot.run("validate_complaint_form", report)
    assert started.slots()["complaint_category"] == "illegal-parking"
    assert started.slots()["complaint_description"] == report["text"]
    assert started.slots()["requested_slot"] == "complaint_location"

    slots = {key: started.slots()[key] for key in ("complaint_category", "complaint_description")}
    placed = bot.run(
        "validate_complaint_form",
        user_message("호원 1동 주민센터 뒷골목"),
        slots={**slots, "requested_slot": "complaint_location"},
        active_loop="complaint_form",
    )
    similar = placed.slots()["similar_cases"]
    assert [case["number"] for case in similar] == [earlier.number]
    assert placed.slots()["requested_slot"] == "follow_similar"

    slots.update(
        complaint_location=placed.slots()["complaint_location"],
        similar_cases=similar,
        similar_checked_for=placed.slots()["similar_checked_for"],
    )
    asked = bot.run("action_ask_follow_similar", slots=slots)
    assert [button["payload"] for button in asked.responses[0]["buttons"]] == [earlier.number, "/deny"]
    assert "호원1동" in asked.responses[0]["where"]

    followed = bot.run(
        "validate_complaint_form",
        user_message(earlier.number, "check_status"),
        slots={**slots, "requested_slot": "follow_similar"},
        active_loop="complaint_form",
    )
    assert followed.slots()["follow_similar"] == earlier.number
    assert followed.slots()["requested_slot"] is None  # the form is done

    done = bot.run("action_submit_complaint", slots={**slots, "follow_similar": earlier.number})
    assert done.response_names() == ["utter_following_public_case"]
    assert Complaint.objects.count() == 1  # nothing new was filed


def test_an_unclear_report_offers_the_likeliest_categories(bot):
    unclear = user_message(
        "전봇대 옆에 뭐가 잔뜩 쌓여 있어요",
        "nlu_fallback",
        0.7,
        ranking=[("nlu_fallback", 0.7), ("report_illegal_dumping", 0.48), ("report_bulky_waste", 0.31), ("greet", 0.1)],
    )
    suggested = bot.run("action_suggest_categories", unclear)
    assert suggested.response_names() == ["utter_category_suggestions"]
    assert suggested.responses[0]["buttons"] == [
        {"title": "쓰레기 무단투기", "payload": "/report_illegal_dumping"},
        {"title": "대형폐기물·재활용", "payload": "/report_bulky_waste"},
        {"title": "다른 민원이에요", "payload": "/report_other"},
    ]
    nonsense = user_message("ㅋㅋㅋㅋ", "nlu_fallback", 0.7, ranking=[("nlu_fallback", 0.7), ("greet", 0.6)])
    assert bot.run("action_suggest_categories", nonsense).response_names() == ["utter_default"]

    # Started from the suggestion's button: the words typed before are the description.
    clicked = user_message("/report_illegal_dumping", "report_illegal_dumping")
    history = [{"event": "user", "text": unclear["text"], "parse_data": unclear}]
    started = bot.run("validate_complaint_form", clicked, history=history)
    assert started.slots()["complaint_category"] == "illegal-dumping"
    assert started.slots()["complaint_description"] == unclear["text"]


def test_a_report_with_a_close_second_category_asks_which_one(bot):
    close = user_message(
        "쓰레기가 안 치워졌어요 무단투기 같아요",
        "report_missed_collection",
        0.55,
        ranking=[("report_missed_collection", 0.55), ("report_illegal_dumping", 0.4)],
    )
    started = bot.run("validate_complaint_form", close)
    assert started.slots()["complaint_category"] is None
    assert started.slots()["requested_slot"] == "complaint_category"
    asked = bot.run("action_ask_complaint_category", close, history=[], language="en")
    assert [button["title"] for button in asked.responses[0]["buttons"]] == [
        "Missed rubbish collection",
        "Illegal dumping",
        "Something else",
    ]
    # The answer to "which kind?": a yes takes the first suggestion; words that point to one of the
    # suggestions are enough; a place typed instead is not a kind, so the question stays.
    history = [
        {"event": "user", "text": close["text"], "parse_data": close},
        {"event": "action", "name": "action_reset_report"},
    ]
    asking = {"requested_slot": "complaint_category"}
    answers = [
        (user_message("네", "affirm"), "missed-collection"),
        (
            user_message(
                "무단투기요", "report_illegal_dumping", 0.5, [("report_illegal_dumping", 0.5), ("report_pests", 0.4)]
            ),
            "illegal-dumping",
        ),
        (user_message("호원1동 신일아파트 앞", "report_noise_construction", 0.4), None),
    ]
    for answer, category in answers:
        result = bot.run("validate_complaint_form", answer, slots=asking, history=history, active_loop="complaint_form")
        assert result.slots()["complaint_category"] == category, answer["text"]


@pytest.mark.parametrize(
    ("language", "question", "answer", "choices"),
    [
        ("ko", "어떤 상태인가요?", "깜빡임", ["꺼져 있음", "깜빡임", "낮에도 켜져 있음", "파손"]),
        ("en", "What is wrong with it?", "Flickering", ["Off", "Flickering", "On in daytime", "Damaged"]),
    ],
)
def test_the_categorys_required_question_is_asked_from_open311(bot, language, question, answer, choices):
    slots = {
        "complaint_category": "streetlight",
        "complaint_description": "가로등이 이상해요",
        "complaint_location": {"address": "의정부역 2번 출구", "latitude": None, "longitude": None},
    }
    asked = bot.run("action_ask_category_answer", slots=slots, language=language)
    assert asked.responses[0]["question"] == question
    assert [button["title"] for button in asked.responses[0]["buttons"]] == choices
    answered = bot.run(
        "validate_complaint_form",
        user_message(answer),
        slots={**slots, "requested_slot": "category_answer", "similar_checked_for": "done"},
        language=language,
        active_loop="complaint_form",
    )
    assert answered.slots()["complaint_attributes"] == {"light_state": "flicker"}
    assert answered.slots()["requested_slot"] == "complaint_photos"  # the optional pole number is not asked


def test_photos_and_a_shared_location_arrive_at_any_question(bot, live_server):
    photo = upload_photo(live_server)
    slots = {"complaint_category": "pothole", "complaint_description": "도로가 크게 패였어요"}
    # Typed, not sent: nothing arrives, and the question is asked again (the form is not left).
    typed = bot.run(
        "validate_complaint_form",
        user_message("사진 보냈어요", "send_photos"),
        slots={**slots, "requested_slot": "complaint_location"},
        active_loop="complaint_form",
    )
    assert typed.slots()["complaint_location"] is None and typed.slots()["requested_slot"] == "complaint_location"
    assert typed.responses == []
    located = bot.run(
        "validate_complaint_form",
        user_message(
            "/share_location", "share_location", metadata={"location": {"latitude": 37.7381, "longitude": 127.0337}}
        ),
        slots={**slots, "requested_slot": "complaint_location"},
        active_loop="complaint_form",
    )
    assert located.slots()["complaint_location"] == {"address": "", "latitude": 37.7381, "longitude": 127.0337}
    slots["complaint_location"] = located.slots()["complaint_location"]
    sent = bot.run(
        "validate_complaint_form",
        user_message("/send_photos", "send_photos", metadata={"photos": [photo]}),
        slots={
            **slots,
            "requested_slot": "complaint_photos",
            "similar_checked_for": located.slots()["similar_checked_for"],
        },
        active_loop="complaint_form",
    )
    assert sent.slots()["complaint_photos"] == [photo]
    assert sent.response("utter_photos_received")["count"] == 1
    assert sent.slots()["requested_slot"] == "contact_consent"


def test_the_summary_can_be_corrected_before_filing(bot):
    slots = {
        "complaint_category": "pothole",
        "complaint_description": "도로가 크게 패였어요",
        "complaint_location": {"address": "의정부역 앞", "latitude": None, "longitude": None},
        "similar_checked_for": "pothole|None,None|의정부역 앞",
        "complaint_photos": [],
        "contact_consent": False,
        "requested_slot": "complaint_confirmed",
    }
    summary = bot.run("action_ask_complaint_confirmed", slots=slots)
    shown = summary.response("utter_report_summary")
    assert (shown["category_name"], shown["location"], shown["photos"], shown["contact"]) == (
        "도로 파손·포트홀",
        "의정부역 앞",
        "없음",
        "남기지 않음(익명)",
    )
    changing = bot.run(
        "validate_complaint_form", user_message("/deny", "deny"), slots=slots, active_loop="complaint_form"
    )
    assert changing.slots()["correcting"] is True and changing.slots()["requested_slot"] == "complaint_confirmed"
    choices = bot.run("action_ask_complaint_confirmed", slots={**slots, "correcting": True})
    assert [b["title"] for b in choices.responses[0]["buttons"]] == ["유형", "내용", "위치", "사진", "연락처"]
    moved = bot.run(
        "validate_complaint_form",
        user_message("위치"),
        slots={**slots, "correcting": True},
        active_loop="complaint_form",
    )
    assert moved.slots()["complaint_location"] is None
    assert moved.slots()["requested_slot"] == "complaint_location"


def test_contact_needs_an_explicit_yes_and_a_phone_or_email(bot):
    slots = {
        "complaint_category": "other",
        "complaint_description": "어디에 물어봐야 할지 모르겠어요",
        "complaint_photos": [],
        "requested_slot": "contact_consent",
    }
    asked = bot.run("action_ask_contact_consent", slots=slots)
    assert asked.responses[0]["purpose"].startswith("이름과 연락처는 민원 처리 결과를 안내하는 데에만")
    typed_number = bot.run(
        "validate_complaint_form", user_message("010-2345-6789"), slots=slots, active_loop="complaint_form"
    )
    assert typed_number.slots()["contact_consent"] is None  # a number is not a yes to the purpose
    agreed = bot.run(
        "validate_complaint_form", user_message("/affirm", "affirm"), slots=slots, active_loop="complaint_form"
    )
    assert agreed.slots()["requested_slot"] == "contact_details"
    slots.update(contact_consent=True, requested_slot="contact_details")
    given = bot.run(
        "validate_complaint_form",
        user_message("제 번호는 01023456789 이고 메일은 kim@example.kr"),
        slots=slots,
        active_loop="complaint_form",
    )
    assert given.slots()["contact_details"] == {"phone": "010-2345-6789", "email": "kim@example.kr"}
    declined = bot.run(
        "validate_complaint_form", user_message("/skip", "skip"), slots=slots, active_loop="complaint_form"
    )
    assert declined.slots()["contact_consent"] is False


def test_cancel_and_handoff_leave_the_form_to_their_rules(bot):
    slots = {"complaint_category": "pothole", "requested_slot": "complaint_description"}
    for intent in ("cancel", "human_handoff"):
        result = bot.run(
            "validate_complaint_form", user_message("그만", intent), slots=slots, active_loop="complaint_form"
        )
        # No slot but requested_slot: Rasa rejects the form, and the cancel / hand-over rule runs.
        assert set(result.slots()) <= {"requested_slot"}
    cancelled = bot.run("action_cancel", user_message("취소", "cancel"), slots=slots, active_loop="complaint_form")
    assert cancelled.response_names() == ["utter_report_cancelled"]
    assert {"event": "active_loop", "name": None} in [
        {key: event.get(key) for key in ("event", "name")} for event in cancelled.events
    ]


def test_a_report_the_portal_refuses_is_explained(bot):
    slots = {
        "complaint_category": "streetlight",
        "complaint_description": "가로등이 꺼졌어요",
        "complaint_location": {"address": "의정부역 앞", "latitude": None, "longitude": None},
        "complaint_attributes": {"light_state": "off"},
        "complaint_photos": ["00000000-0000-4000-8000-000000000000"],  # never uploaded
        "complaint_confirmed": True,
    }
    result = bot.run("action_submit_complaint", slots=slots)
    refused = result.response("utter_report_refused")
    assert "사진" in refused["reason"]
    assert refused["form_url"] == f"{PUBLIC_URL}/ko/complaints/report/"
    assert not Complaint.objects.exists()


# --- Status ------------------------------------------------------------------------------------


def test_status_by_tracking_link(bot, django_user_model):
    officer = django_user_model.objects.create_user("officer", password="x")
    submission = services.complaint_submit(
        category=Category.objects.get(code="pothole"),
        description="도로가 패였어요",
        channel="chat",
        address="의정부역 앞",
    )
    services.complaint_accept(complaint=submission.complaint, actor=officer, message="이번 주에 보수합니다.")
    number, token = submission.complaint.number, submission.tracking_token
    link = f"{PUBLIC_URL}/ko/complaints/track/{number}/?token={token}"
    extracted = bot.run("validate_status_form", user_message(f"{link} 어떻게 됐나요?", "check_status"))
    assert extracted.slots()["case_number"] == number
    assert extracted.slots()["status_proof"] == {"token": token}

    result = bot.run("action_check_status", slots={"case_number": number, "status_proof": {"token": token}})
    status = result.response("utter_case_status")
    assert (status["status"], status["category_name"], status["reply"]) == (
        "처리 중",
        "도로 파손·포트홀",
        "이번 주에 보수합니다.",
    )
    assert status["due_date"].startswith(f"{submission.complaint.due_date.year}년")
    assert result.response("utter_case_tracking_link")["tracking_url"] == link
    assert result.slots() == {"case_number": None, "status_proof": None}


def test_status_by_phone_digits_with_wrong_tries_limited(bot):
    case = services.complaint_submit(
        category=Category.objects.get(code="streetlight"),
        description="보안등이 꺼졌어요",
        channel="chat",
        address="의정부역 앞",
        contact=services.Contact(phone="010-2345-6789", consented=True),
    ).complaint
    asked = bot.run(
        "validate_status_form",
        user_message("뒤 4자리는 6789예요"),
        slots={"case_number": case.number, "requested_slot": "status_proof"},
        active_loop="status_form",
    )
    assert asked.slots()["status_proof"] == {"phone_last_digits": "6789"}

    def check(digits: str, language: str = "ko") -> list[str]:
        slots = {"case_number": case.number, "status_proof": {"phone_last_digits": digits}}
        return bot.run("action_check_status", slots=slots, language=language).response_names()

    assert check("6789", "en") == ["utter_case_status"]  # no tracking link without the token
    for _ in range(5):
        assert check("1111") == ["utter_case_not_found"]
    assert check("6789") == ["utter_case_check_locked"]


def test_a_case_filed_in_the_conversation_needs_no_proof(bot):
    last_case = {"number": "2026-000001", "token": "t" * 43, "tracking_url": "x", "due_date": "2026-12-09"}
    result = bot.run(
        "validate_status_form",
        user_message("2026-000001 어떻게 됐어요?", "check_status"),
        slots={"last_case": last_case},
    )
    assert result.slots()["case_number"] == "2026-000001"
    assert result.slots()["status_proof"] == {"token": "t" * 43}


# --- Questions answered from the portal ---------------------------------------------------------


def test_the_walkway_answer_follows_the_rivers_live_state(bot, city):

    from django.core.management import call_command
    from django.test import Client

    from apps.rivers.models import WaterLevelReading, WaterLevelStation
    from apps.rivers.services import water_level_reading_apply

    call_command("load_demo_rivers", verbosity=0)
    question = user_message("중랑천 산책로 열려 있어요?", "ask_walkway")
    assert bot.run("action_answer_walkway", question).response("utter_walkway_open")["river"] == "중랑천"

    water_level_reading_apply(
        WaterLevelStation.objects.get(code="1018665"),
        water_level_m=3.8,
        # Now, not a little before: the seed's last reading is on the last ten-minute mark, and a
        # reading older than it would not be the station's latest.
        read_at=timezone.now(),
        source=WaterLevelReading.Source.SENSOR,
        message_id="bot-test",
    )
    closed = bot.run("action_answer_walkway", question).response("utter_walkway_closed")
    assert "신곡교" in closed["reason"] and "3.80 m" in closed["reason"]
    page = Client().get("/api/v1/rivers/jungnangcheon/", HTTP_ACCEPT_LANGUAGE="ko").json()["url"]
    assert closed["url"] == f"{PUBLIC_URL}{page}"  # the river's page as the portal gives it
    english = bot.run(
        "action_answer_walkway", user_message("Is the Buyongcheon walkway open?", "ask_walkway"), language="en"
    )
    assert english.response("utter_walkway_open")["river"] == "Buyongcheon Stream"


def test_a_department_is_found_from_the_residents_words_with_live_phone_and_hours(bot, city):
    Department.objects.filter(code="road-lighting").update(phone="031-828-2345")
    city.office_hours_ko = "평일 09:00–18:00 (점심 12:00–13:00)"
    city.save()
    result = bot.run("action_answer_department", user_message("가로등 담당 부서 전화번호 알려주세요", "ask_department"))
    contact = result.response("utter_department_contact")
    assert (contact["name"], contact["parent"], contact["phone"], contact["hours"]) == (
        "도로조명팀",
        "도로과",
        "031-828-2345",
        "평일 09:00–18:00 (점심 12:00–13:00)",
    )
    english = bot.run(
        "action_answer_department",
        user_message("what is the phone number of the parking enforcement team?", "ask_department"),
        language="en",
    )
    contact = english.response("utter_department_contact")
    assert contact["name"] == "Parking Enforcement Team"
    assert contact["phone"].startswith("031-828-2114")  # no direct line yet: the city's call centre
    assert contact["hours"] == "Weekdays 9:00–18:00"

    unknown = bot.run("action_answer_department", user_message("부서 전화번호 알려줘", "ask_department"))
    assert unknown.response("utter_department_not_found")["phone"] == "031-828-2114"


# --- A person ----------------------------------------------------------------------------------


def test_talking_to_a_person_files_the_transcript_for_the_civil_service_team(bot):
    history = [
        {
            "event": "user",
            "text": "쓰레기 수거 요일이 바뀌었나요?",
            "parse_data": user_message("쓰레기 수거 요일이 바뀌었나요?"),
        },
        {"event": "bot", "text": "죄송해요, 잘 이해하지 못했어요."},
    ]
    asked = user_message("상담원 연결해 주세요", "human_handoff")
    result = bot.run("action_human_handoff", asked, history=history, active_loop="complaint_form")

    case = Complaint.objects.get()
    assert (case.category.code, case.department.code, case.channel) == ("other", "civil-affairs", "chat")
    assert case.description.splitlines() == [
        "[챗봇] 상담원 연결 요청",
        "",
        "주민: 쓰레기 수거 요일이 바뀌었나요?",
        "챗봇: 죄송해요, 잘 이해하지 못했어요.",
        "주민: 상담원 연결해 주세요",
    ]
    filed = result.response("utter_handoff_filed")
    assert filed["number"] == case.number and str(case.due_date.day) in filed["due_date"]
    assert {"event": "active_loop", "name": None} in [
        {key: event.get(key) for key in ("event", "name")} for event in result.events
    ]

    again = bot.run("action_human_handoff", asked, slots={"handoff_case": result.slots()["handoff_case"]})
    assert again.response_names() == ["utter_handoff_already"]
    assert Complaint.objects.count() == 1
    assert case.received_at <= timezone.now()

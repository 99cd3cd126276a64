"""The stamp tour: a stamp only from a marker's QR address, tokens that cannot be edited, moved to
another marker or shown by another phone, certificates issued once and verified by staff (logged),
and calls that refuse what they cannot read without a 500."""

import base64
import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from apps.places.scan import scan_proof_new
from apps.places.services import place_retire
from apps.stamps.models import Certificate, CertificateCheck
from apps.stamps.tokens import passport_new, stamp_read
from tests.stamps.conftest import marker

pytestmark = pytest.mark.django_db

STAMP_URL = "/stamps/api/stamp"
CERTIFICATE_URL = "/stamps/api/certificate"


def post(client, url, data, **extra):
    body = data if isinstance(data, (bytes, str)) else json.dumps(data)
    return client.post(url, body, content_type="application/json", **extra)


def proof_from_scan(client, code: str) -> str:
    """What the phone's script reads from the fragment of the QR address's redirect."""
    location = client.get(f"/t/{code}", HTTP_ACCEPT_LANGUAGE="ko")["Location"]
    page, _, proof = location.partition("#scan=")
    assert page.endswith(f"/markers/{code}/") and proof
    return proof


def collect(client, code: str, passport: str | None = None, **extra) -> dict:
    response = post(client, STAMP_URL, {"proof": proof_from_scan(client, code), "passport": passport, **extra})
    assert response.status_code == 201, response.content
    return response.json()


def ask_certificate(client, passport: str, trail_id, tokens, **extra):
    data = {"passport": passport, "trail": trail_id, "stamps": tokens, "language": "en"}
    return post(client, CERTIFICATE_URL, data, **extra)


def test_a_qr_scan_gives_a_signed_stamp_and_the_marker_page_stays_the_same_for_everyone(phone, stamp_trail):
    first, rest_area = marker(stamp_trail, 1), marker(stamp_trail, 2)
    page_url = f"/ko/trails/myeongsang-gil/markers/{first.place.code}/"
    html = phone.get(page_url).content.decode()
    # The page carries no proof and no per-visitor part: the stamp is the script's business.
    assert f'data-stamp-point="{first.place.code}"' in html and "scan=" not in html
    assert "public" in phone.get(page_url)["Cache-Control"]  # kept by the page cache for everyone

    issued = collect(phone, first.place.code)
    stamp = stamp_read(issued["stamp"]["token"])
    assert (stamp.code, stamp.trail_id) == (first.place.code, stamp_trail.pk)
    assert issued["course_points"] == 2 and issued["stamp"]["code"] == first.place.code
    # The same phone's next stamp goes into the same passport.
    again = collect(phone, first.place.code, passport=issued["passport"])
    assert again["passport"] == issued["passport"]

    # A marker that is no stamp point gives none, even from its QR address.
    response = post(phone, STAMP_URL, {"proof": proof_from_scan(phone, rest_area.place.code)})
    assert response.status_code == 400 and response.json()["code"] == "not_a_stamp_point"
    # The marker page's address alone proves nothing; neither does a proof made up or edited.
    for proof in ["", page_url, issued["stamp"]["token"], proof_from_scan(phone, first.place.code)[:-2] + "xx"]:
        response = post(phone, STAMP_URL, {"proof": proof})
        assert response.status_code == 400 and response.json()["code"] == "proof", proof


def test_a_scan_made_offline_is_confirmed_with_a_fresh_proof_and_its_own_time(phone, stamp_trail):
    first = marker(stamp_trail, 1)
    response = phone.get(f"/t/{first.place.code}/proof")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response.json()["code"] == first.place.code
    an_hour_ago = int(timezone.now().timestamp()) - 3600
    issued = post(phone, STAMP_URL, {"proof": response.json()["proof"], "scanned_at": an_hour_ago}).json()
    assert int(stamp_read(issued["stamp"]["token"]).at.timestamp()) == an_hour_ago
    # A time before the week a scan is kept, or after the proof: the proof's time.
    for claimed in [an_hour_ago - 8 * 24 * 3600, an_hour_ago + 7200]:
        proof = phone.get(f"/t/{first.place.code}/proof").json()["proof"]
        issued = post(phone, STAMP_URL, {"proof": proof, "scanned_at": claimed}).json()
        assert abs(stamp_read(issued["stamp"]["token"]).at.timestamp() - timezone.now().timestamp()) < 60
    place_retire(first.place)
    assert phone.get(f"/t/{first.place.code}/proof").status_code == 410


def _edited(token: str, **changes) -> str:
    """The token with its payload changed and its signature kept, as someone editing storage would."""
    payload, _, rest = token.partition(":")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(changes)
    edited = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")
    return f"{edited}:{rest}"


def test_forged_stamps_are_refused(phone, stamp_trail):
    first, last = marker(stamp_trail, 1).place.code, marker(stamp_trail, 3).place.code
    mine = collect(phone, first)
    passport, token_first = mine["passport"], mine["stamp"]["token"]
    token_last = collect(phone, last, passport=passport)["stamp"]["token"]
    theirs = collect(phone, last)  # another phone: a passport of its own

    def refused(tokens, code, passport=passport):
        response = ask_certificate(phone, passport, stamp_trail.pk, tokens)
        assert response.status_code == 400 and response.json()["code"] == code, response.content
        assert response.json()["message"]

    # Edited: the first marker's token made to name the last marker.
    refused([token_first, _edited(token_first, c=last)], "stamp_invalid")
    # Another marker's token in place of the missing one: still missing.
    refused([token_first, token_first], "incomplete")
    # Replayed onto another phone's passport, either way round.
    refused([token_first, theirs["stamp"]["token"]], "stamp_invalid")
    refused([token_first, token_last], "stamp_invalid", passport=theirs["passport"])
    # A passport this server did not issue, or one edited.
    refused([token_first, token_last], "passport", passport="made-up")
    refused([token_first, token_last], "passport", passport=passport_new()[:-3] + "abc")
    # A token signed for something else (a scan proof) is not a stamp.
    refused([token_first, scan_proof_new(marker(stamp_trail, 3).place)], "stamp_invalid")
    assert not Certificate.objects.exists()

    assert ask_certificate(phone, passport, stamp_trail.pk, [token_first, token_last]).status_code == 201


def test_a_completed_course_earns_one_certificate_that_staff_verify_with_a_log(
    phone, client, stamp_trail, django_user_model
):
    first = collect(phone, marker(stamp_trail, 1).place.code)
    passport = first["passport"]
    last = collect(phone, marker(stamp_trail, 3).place.code, passport=passport)
    tokens = [first["stamp"]["token"], last["stamp"]["token"]]
    response = ask_certificate(phone, passport, stamp_trail.pk, tokens)
    assert response.status_code == 201
    code, url = response.json()["code"], response.json()["url"]
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", code) and url == f"/en/stamps/certificates/{code}/"
    # Asked again (a second tap, another tab): the same certificate.
    assert ask_certificate(phone, passport, stamp_trail.pk, tokens).json()["code"] == code
    certificate = Certificate.objects.get()
    assert (certificate.course, certificate.stamps, certificate.course_title) == (stamp_trail, 2, "명상의길")

    page = phone.get(url)
    assert page.status_code == 200 and code in page.content.decode() and "Myeongsang-gil" in page.content.decode()
    assert "private" in page["Cache-Control"]
    assert phone.get(f"/ko/stamps/certificates/{code.lower().replace('-', '')}/").status_code == 200
    assert phone.get("/ko/stamps/certificates/AAAA-AAAA/").status_code == 404

    # Staff without the permission do not see the page; the tourist office does, and is logged.
    staff = django_user_model.objects.create_user("desk", password="x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert client.get(f"/admin/stamps/certificates/?code={code}").status_code in (302, 403)
    assert not CertificateCheck.objects.exists()
    staff.user_permissions.add(Permission.objects.get(codename="verify_certificate"))
    looked_up = client.get(f"/admin/stamps/certificates/?code={code.lower()}")
    assert looked_up.status_code == 200 and "명상의길" in looked_up.content.decode()
    assert client.get("/admin/stamps/certificates/?code=NOPE").status_code == 200
    response = client.post("/admin/stamps/certificates/", {"code": code})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.verified_by == staff and certificate.verified_at is not None
    first_verification = certificate.verified_at
    client.post("/admin/stamps/certificates/", {"code": code})  # a second tap keeps the first
    certificate.refresh_from_db()
    assert certificate.verified_at == first_verification
    log = list(CertificateCheck.objects.order_by("checked_at", "pk").values_list("action", "code_typed", "user"))
    assert log == [
        ("lookup", code.lower(), staff.pk),
        ("lookup", "NOPE", staff.pk),
        ("verify", certificate.code, staff.pk),
        ("verify", certificate.code, staff.pk),
    ]
    assert "Verified by the tourist office" in phone.get(url).content.decode()


def test_the_passport_page_lists_every_stamp_point_and_can_be_kept_for_everyone(client, stamp_trail):
    codes = [marker(stamp_trail, number).place.code for number in (1, 3)]
    # A walker's screen: served in the tourist languages too, not sent on to Korean.
    for language, title in [("ko", "명상의길"), ("en", "Myeongsang-gil"), ("ja", "Myeongsang-gil")]:
        response = client.get(f"/{language}/stamps/")
        html = response.content.decode()
        assert response.status_code == 200 and title in html
        assert [f'data-code="{code}"' in html for code in codes] == [True, True]
        assert marker(stamp_trail, 2).place.code not in html
        assert "public" in response["Cache-Control"]  # kept by the page cache for every visitor
    # The trail page links the passport, for saving with the trail.
    trail_html = client.get("/ko/trails/myeongsang-gil/").content.decode()
    assert 'href="/ko/stamps/" data-save-offline' in trail_html and "data-save-trail" in trail_html


def test_certificate_requests_are_limited_per_client(phone, db):
    passport = passport_new()
    answers = [
        ask_certificate(phone, passport, 1, ["x"], HTTP_X_FORWARDED_FOR=f"203.0.113.{number}").status_code
        for number in range(11)
    ]
    # A forged X-Forwarded-For (no proxy is trusted here) does not make a new client.
    assert answers == [400] * 10 + [429]
    response = ask_certificate(phone, passport, 1, ["x"])
    assert response.status_code == 429 and int(response["Retry-After"]) > 0 and response.json()["message"]


@pytest.mark.parametrize(
    "body",
    [
        b"x" * (33 * 1024),  # over the limit
        b"{not json",
        b'{"proof": "a\x01b"}',  # a raw control character inside a string
        b"\xff\xfe",  # not UTF-8
        b"[1, 2]",  # not an object
        b"[" * 5000 + b"]" * 5000,  # nested deeper than the parser goes
        json.dumps({"proof": ["a"], "passport": {"p": 1}, "scanned_at": "soon"}).encode(),
        json.dumps({"proof": "p" * 10_000}).encode(),
    ],
)
def test_the_calls_refuse_what_they_cannot_read(phone, db, body):
    for url in (STAMP_URL, CERTIFICATE_URL):
        response = post(phone, url, body)
        assert response.status_code in (400, 413), (url, response.status_code)
        # Too deeply nested JSON is refused for the whole site before the view, as a short page
        # (portal/middleware.py); the view answers everything else with its message.
        if response["Content-Type"] == "application/json":
            assert response.json()["message"]


def test_many_or_odd_tokens_are_refused(phone, stamp_trail):
    issued = collect(phone, marker(stamp_trail, 1).place.code)
    passport, token = issued["passport"], issued["stamp"]["token"]
    for tokens, trail_id in [
        ([token] * 101, stamp_trail.pk),
        ("not a list", stamp_trail.pk),
        ([], stamp_trail.pk),
        ([None, 3, {"a": 1}], stamp_trail.pk),
        ([token], "1"),
        ([token], 10**30),
        ([token], -1),
    ]:
        response = ask_certificate(phone, passport, trail_id, tokens)
        assert response.status_code == 400, (tokens, trail_id)
    assert phone.get(STAMP_URL).status_code == 405

"""A resident's photo or story for the archive: sent with consent, followed by a private link,
moderated (changes asked, resubmitted, approved or refused with a reason the contributor reads),
its camera data stripped and its contact never public."""

import random
import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from PIL import Image
from wagtail.models import ModelLogEntry

from apps.archive import contributions
from apps.archive.models import Contribution, Item
from tests.complaints.photo_files import GPS_IFD, bomb_png, not_a_picture, phone_photo

CONTRIBUTE = "/ko/archive/contribute/"
CONTACT = "grandma@example.org"


def sent(**changes) -> dict:
    return {
        "title": "1978년 의정부역 앞",
        "story": "할머니가 장에 가던 길에 찍은 사진입니다.",
        "date_text": "1978년",
        "place_text": "의정부역 앞",
        "latitude": "37.7385",
        "longitude": "127.0459",
        "licence": "cc-by-4.0",
        "credit": "김순자",
        "contact_name": "김순자",
        "contact_email": CONTACT,
        "consent": "on",
        **changes,
    }


def tracking_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:500]
    assert re.fullmatch(r"/ko/archive/contribute/\d+/\?token=[\w-]+", response.url)
    return response.url


@pytest.fixture(autouse=True)
def _an_address_of_its_own(client):
    """Each test sends from its own address: the contribution limit counts per client for an hour."""
    client.defaults["REMOTE_ADDR"] = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


@pytest.fixture
def moderator(django_user_model, city):
    user = django_user_model.objects.create_user("moderator", password="x")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="change_contribution")
    )
    return user


def test_a_photo_is_sent_followed_moderated_and_published_crediting_the_contributor(client, city, moderator):
    tracking = tracking_of(client.post(CONTRIBUTE, {**sent(), "photo": phone_photo()}))
    contribution = Contribution.objects.get()
    with contribution.photo.open("rb") as stored:
        assert GPS_IFD not in Image.open(BytesIO(stored.read())).getexif()  # the camera's position is gone
    page = client.get(tracking)
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    assert "no-store" in page["Cache-Control"] and page["Referrer-Policy"] == "same-origin"
    assert 'data-status="waiting"' in page.content.decode()
    assert not Item.objects.exists()  # nothing public before a moderator looks

    contributions.contribution_ask_changes(contribution, user=moderator, note="언제 찍었는지 월까지 알려 주세요.")
    asked = client.get(tracking).content.decode()
    assert "언제 찍었는지 월까지 알려 주세요." in asked and 'name="title"' in asked
    kept = {name: sent()[name] for name in ("story", "date_text", "place_text", "latitude", "longitude")}
    assert f'value="{kept["place_text"]}"' in asked  # the form comes back filled in
    assert client.post(tracking, {**kept, "title": "1978년 5월 의정부역 앞"}).status_code == 302
    contribution.refresh_from_db()
    assert (contribution.status, contribution.title) == (Contribution.Status.WAITING, "1978년 5월 의정부역 앞")

    client.force_login(moderator)
    queue = client.get("/admin/archive/contributions/").content.decode()
    assert "1978년 5월 의정부역 앞" in queue
    review = client.get(f"/admin/archive/contributions/{contribution.pk}/")
    assert CONTACT in review.content.decode()
    assert ModelLogEntry.objects.filter(action="archive.contribution_contact_shown", user=moderator).exists()
    assert client.get(f"/admin/archive/contributions/{contribution.pk}/photo.jpg").status_code == 200
    decided = client.post(f"/admin/archive/contributions/{contribution.pk}/", {"decision": "approve"})
    assert decided.status_code == 302
    client.logout()

    item = Item.objects.get()
    assert (item.title_ko, item.creator_ko, item.licence, item.is_public) == (
        "1978년 5월 의정부역 앞",
        "김순자",
        "cc-by-4.0",
        True,
    )
    assert item.place is not None and item.media.count() == 1
    public = client.get(f"/ko/archive/items/{item.pk}/").content.decode()
    assert "김순자" in public and CONTACT not in public
    assert CONTACT not in client.get("/api/v1/archive/items/").content.decode()
    assert CONTACT not in client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).content.decode()
    assert f'href="/ko/archive/items/{item.pk}/"' in client.get(tracking).content.decode()


def test_a_decision_is_taken_once_and_a_refusal_says_why(client, city, moderator):
    tracking = tracking_of(client.post(CONTRIBUTE, sent(latitude="", longitude="")))
    contribution = Contribution.objects.get()
    with pytest.raises(contributions.ContributionError):
        contributions.contribution_refuse(contribution, user=moderator, reason="  ")
    contributions.contribution_refuse(contribution, user=moderator, reason="다른 분의 사진으로 보입니다.")
    with pytest.raises(contributions.ContributionError) as decided:
        contributions.contribution_approve(contribution, user=moderator)
    assert decided.value.code == "decided" and not Item.objects.exists()
    refused = client.get(tracking).content.decode()
    assert "다른 분의 사진으로 보입니다." in refused and 'name="title"' not in refused
    assert client.post(tracking, {"title": "다시"}).status_code == 409
    client.force_login(moderator)
    again = client.post(f"/admin/archive/contributions/{contribution.pk}/", {"decision": "approve"})
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("changes", "photo"),
    [
        ({"consent": ""}, None),
        ({"story": ""}, None),  # neither photo nor story
        ({"title": "역 앞\x00"}, None),
        ({"licence": "kogl-1"}, None),  # a resident grants a Creative Commons licence
        ({"latitude": "91"}, None),
        ({"credit": ""}, None),
        ({"story": ""}, "not a picture"),
        ({"story": ""}, "bomb"),
        ({"title": "x" * 5000}, None),
    ],
)
def test_bad_contributions_are_refused_and_store_nothing(client, city, changes, photo):
    files = {"not a picture": not_a_picture, "bomb": bomb_png}
    data = {**sent(**changes), **({"photo": files[photo]()} if photo else {})}
    response = client.post(CONTRIBUTE, data)
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_a_wrong_token_or_id_gets_the_same_private_404(client, city):
    tracking = tracking_of(client.post(CONTRIBUTE, sent()))
    pk = Contribution.objects.get().pk
    for url in (f"/ko/archive/contribute/{pk}/?token=wrong", f"/ko/archive/contribute/{pk + 1}/?token=wrong"):
        response = client.get(url)
        assert response.status_code == 404 and response["Referrer-Policy"] == "same-origin"
    assert client.get(tracking).status_code == 200


def test_many_contributions_from_one_client_are_slowed(client, city):
    codes = [client.post(CONTRIBUTE, sent(), HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(12)]
    assert codes[:10] == [302] * 10 and codes[10:] == [429, 429]  # a forged X-Forwarded-For changes nothing


def test_the_queue_is_for_moderators_only(client, city, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get("/admin/archive/contributions/").status_code in (302, 403)


def test_the_contact_is_blanked_a_year_after_the_decision(client, city, moderator):
    tracking_of(client.post(CONTRIBUTE, sent()))
    contribution = Contribution.objects.get()
    contributions.contribution_refuse(contribution, user=moderator, reason="중복된 사진입니다.")
    decided_at = Contribution.objects.get().updated_at
    assert contributions.contributions_contact_purge(now=decided_at + timedelta(days=364)) == 0
    assert contributions.contributions_contact_purge(now=decided_at + timedelta(days=366)) == 1
    kept = Contribution.objects.get()
    assert (kept.contact_name, kept.contact_email, kept.credit) == ("", "", "김순자")

"""The page cache: anonymous visitors get kept pages without a query, until something they show
changes; nothing one visitor or a signed-in user sees is ever kept for another."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connection
from django.db.models.deletion import Collector
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from apps.complaints.models import Category
from apps.municipalities.models import Municipality
from apps.opendata.models import DatastoreRow, Resource
from apps.places.models import Closure
from content.models import SectionPage, SiteAlert
from content.selectors import site_alerts_showing, site_alerts_version
from portal import page_cache
from portal.asgi import application
from tests.complaints.test_public_cases import file_case
from tests.opendata.test_ingest import load

HOME = "/ko/"


def publish_alert(title: str, **fields) -> SiteAlert:
    alert = SiteAlert(title=title, message=f"<p>{title}</p>", level="danger", locale=Locale.get_default(), **fields)
    alert.save()
    alert.save_revision().publish()
    return alert


def test_a_second_anonymous_visit_is_served_from_the_cache_and_revalidates(
    client, demo_site, django_assert_num_queries
):
    first = client.get(HOME)
    assert first.status_code == 200 and first["Cache-Control"] == "public, max-age=60"
    with django_assert_num_queries(0):
        second = client.get(HOME)
    assert second.status_code == 200 and second.content == first.content
    assert second["ETag"] == first["ETag"] and second["Cache-Control"] == "public, max-age=60"
    assert second["Content-Language"] == "ko" and "Content-Security-Policy" in second  # the outer middleware's

    with django_assert_num_queries(0):
        unchanged = client.get(HOME, HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert client.get(HOME, HTTP_IF_NONE_MATCH='"an-older-page"').status_code == 200


def test_a_published_edit_shows_on_the_next_request_and_unpublishing_removes_the_page(
    client, demo_site, django_assert_num_queries
):
    section = SectionPage.objects.get(slug="trails", locale__language_code="ko")
    url = section.url
    assert client.get(url).status_code == 200 and section.title in client.get(HOME).content.decode()
    with django_assert_num_queries(0):
        client.get(url)

    section.title = "소풍길과 둘레길"
    section.save_revision().publish()
    assert "소풍길과 둘레길" in client.get(url).content.decode()
    assert "소풍길과 둘레길" in client.get(HOME).content.decode()  # the menu and the home page's cards

    section.unpublish()
    assert client.get(url).status_code == 404
    assert "소풍길과 둘레길" not in client.get(HOME).content.decode()


def test_an_alert_shows_and_goes_with_its_publication_and_its_window(client, demo_site):
    client.get(HOME)
    alert = publish_alert("중랑천 산책로 통제")
    assert "중랑천 산책로 통제" in client.get(HOME).content.decode()
    alert.unpublish()
    assert "중랑천 산책로 통제" not in client.get(HOME).content.decode()

    # A page is kept no longer than until the next alert appears or disappears.
    publish_alert("곧 끝나는 안내", ends_at=timezone.now() + timezone.timedelta(seconds=20))
    assert int(client.get("/en/")["Cache-Control"].split("max-age=")[1]) <= 20


def test_a_page_is_kept_no_longer_than_until_a_closure_begins(client, demo_site):
    """A closure announced ahead (a trail closed from 2 pm) shows on its pages from that minute,
    not when the kept copy happens to expire."""
    assert "max-age=60" in client.get("/en/")["Cache-Control"]
    Closure.objects.create(
        municipality=Municipality.objects.get(code="uijeongbu"),
        page=demo_site.root_page,
        reason_ko="정비 공사",
        starts_at=timezone.now() + timezone.timedelta(seconds=20),
    )
    assert int(client.get("/ko/")["Cache-Control"].split("max-age=")[1]) <= 20


def test_a_dataset_edit_and_a_new_version_show_on_the_next_request(client, resource: Resource):
    url = f"/ko/open-data/datasets/{resource.dataset.slug}/"
    assert client.get(url).status_code == 200 and client.get("/ko/open-data/datasets/").status_code == 200

    dataset = resource.dataset
    dataset.title_ko = "공영주차장 현황 2025"
    dataset.save()
    assert "공영주차장 현황 2025" in client.get(url).content.decode()
    assert "공영주차장 현황 2025" in client.get("/ko/open-data/datasets/").content.decode()

    load(resource, "주차장명,면수\n녹양역 공영주차장,120\n".encode())
    assert "녹양역 공영주차장" in client.get(url).content.decode()
    load(resource, "주차장명,면수\n가능역 공영주차장,80\n".encode())
    html = client.get(url).content.decode()
    assert "가능역 공영주차장" in html and "녹양역 공영주차장" not in html


def test_a_filed_case_shows_in_the_public_list_and_leaves_the_other_pages_cached(
    client, demo_site, city, django_assert_num_queries
):
    cases = "/ko/complaints/cases/"
    client.get(cases)
    client.get(HOME)
    case = file_case(city, "streetlight", "보안등이 꺼졌어요")
    assert case.number in client.get(cases).content.decode()
    assert client.get(f"/ko/complaints/cases/{case.number}/").status_code == 200
    with django_assert_num_queries(0):
        client.get(HOME)  # a filing changes the case pages only

    # The city stops publishing the category: its cases leave the public pages.
    category = Category.objects.get(municipality=city, code="streetlight")
    category.public_by_default = False
    category.save()
    assert case.number not in client.get(cases).content.decode()
    assert client.get(f"/ko/complaints/cases/{case.number}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_filing_renews_the_case_pages_once_when_it_commits(client, city, monkeypatch):
    """A filing saves its case and its first timeline line, then numbers it: the kept case pages
    are made stale by one renewal after the commit, not one for each row and again after it."""
    cases = "/ko/complaints/cases/"
    client.get(cases)
    renewals = []
    renew = page_cache.new_generations
    monkeypatch.setattr(page_cache, "new_generations", lambda *scopes: (renewals.append(scopes), renew(*scopes)))
    case = file_case(city, "streetlight", "보안등이 꺼졌어요")
    assert renewals == [(page_cache.CASES,)]
    assert case.number in client.get(cases).content.decode()


def test_signed_in_users_never_get_or_leave_a_cached_page(admin_client, demo_site, django_assert_num_queries):
    for _ in range(2):
        signed_in = admin_client.get(HOME)
        assert signed_in.status_code == 200 and signed_in["Cache-Control"] == "private, no-store"
    with_a_cookie = Client()
    with_a_cookie.cookies["stamps"] = "3"  # a cookie a view might read: rendered for that visitor alone
    with_a_cookie.get(HOME)
    anonymous = Client()
    with CaptureQueriesContext(connection) as first_visit:
        anonymous.get(HOME)
    assert len(first_visit) > 0  # rendered: the visits above kept nothing
    with django_assert_num_queries(0):
        anonymous.get(HOME)
    assert admin_client.get(HOME)["Cache-Control"] == "private, no-store"  # rendered for the user, not the kept page


def test_a_form_with_a_csrf_token_is_rendered_for_each_visitor(demo_site):
    report = "/ko/complaints/report/"
    for visitor in (Client(), Client()):
        response = visitor.get(report)
        assert response.status_code == 200 and "csrfmiddlewaretoken" in response.content.decode()
        assert "csrftoken" in response.cookies  # its own token, not another visitor's page
        assert response["Cache-Control"] == "private, no-cache"


def test_each_language_is_kept_apart(demo_site, django_assert_num_queries):
    korean, english = Client(HTTP_ACCEPT_LANGUAGE="ko"), Client(HTTP_ACCEPT_LANGUAGE="en")
    korean.get(HOME)
    english.get("/en/")
    with django_assert_num_queries(0):
        # Each visitor asks for the other's language: the address decides, whatever the browser says.
        english_home = korean.get("/en/").content.decode()
        korean_home = english.get(HOME).content.decode()
    assert '<html lang="en">' in english_home and "Skip to main content" in english_home
    assert '<html lang="ko">' in korean_home and "본문 바로가기" in korean_home


@pytest.mark.django_db(transaction=True, databases=["default", "channels"])
async def test_a_page_kept_from_before_an_alert_catches_up_over_the_socket(demo_site):
    current = await sync_to_async(lambda: site_alerts_version(site_alerts_showing(language_code="ko")))()
    await sync_to_async(publish_alert)("부용천 산책로 침수로 통제")

    async def connect(shown: str) -> WebsocketCommunicator:
        communicator = WebsocketCommunicator(
            application,
            f"/ws/alerts/?lang=ko&shown={shown}",
            headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")],
        )
        assert (await communicator.connect())[0]
        return communicator

    stale = await connect(current)  # rendered before the alert was published
    try:
        message = await stale.receive_json_from(timeout=10)
        assert "부용천 산책로 침수로 통제" in message["html"]
        up_to_date = await connect(message["version"])
        try:
            assert await up_to_date.receive_nothing(timeout=0.5)
        finally:
            await up_to_date.disconnect()
    finally:
        await stale.disconnect()


def test_rows_no_public_page_shows_keep_their_fast_delete():
    """Deleting a version's million datastore rows is one DELETE, not a fetch of every row to
    announce it: only models that pages show have the cache listening for their changes."""
    collector = Collector(using="default")
    assert collector.can_fast_delete(DatastoreRow.objects.all())
    assert not collector.can_fast_delete(SiteAlert.objects.all())

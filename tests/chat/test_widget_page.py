"""The widget on every page, and the report form it falls back to."""

import re

import pytest


@pytest.mark.parametrize(("path", "report"), [("/ko/", "/ko/complaints/report/"), ("/en/", "/en/complaints/report/")])
def test_every_page_has_the_assistant_which_is_a_link_to_the_form_without_javascript(client, demo_site, path, report):
    html = client.get(path).content.decode()
    launcher = re.search(r'<a class="chat-launcher" href="([^"]+)"', html)
    assert launcher and launcher.group(1) == report
    assert 'data-socket="/ws/chat/"' in html and 'data-photo-url="/chat/photos/"' in html
    assert re.search(r'<section class="chat-panel"[^>]*role="dialog"[^>]*hidden>', html)
    assert 'aria-live="polite"' in html
    assert f'data-language="{path.strip("/")}"' in html


def test_the_report_form_starts_with_what_the_resident_wrote_in_the_chat(client, city):
    text = '가로등이 꺼졌어요 <script>alert("x")</script> & 010-1234-5678'
    html = client.get("/ko/complaints/report/", {"description": text}).content.decode()
    textarea = re.search(r'<textarea name="description"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert textarea.strip() == "가로등이 꺼졌어요 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 010-1234-5678"
    assert "<script>alert" not in html


def test_a_description_longer_than_the_form_takes_is_cut_to_fit(client, city):
    html = client.get("/ko/complaints/report/", {"description": "가" * 5000}).content.decode()
    textarea = re.search(r'<textarea name="description"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert textarea.strip() == "가" * 4000

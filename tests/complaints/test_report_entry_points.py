"""The 민원 section of the demo site leads to the report form, the tracking page and the public cases."""

import re

import pytest


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_complaints_section_links_to_the_resident_pages(client, demo_site, language):
    html = client.get(f"/{language}/complaints/").content.decode()
    links = set(re.findall(r'href="(/[^"]*)"', html))
    for page in ("report", "track", "cases"):
        url = f"/{language}/complaints/{page}/"
        assert url in links
        response = client.get(url)
        assert response.status_code == 200 and f'<html lang="{language}">' in response.content.decode()

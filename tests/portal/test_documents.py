"""Wagtail documents (audio guides, 3D models) are answered with byte ranges, which Safari needs to
play an audio guide, and with Wagtail's own checks: the name must match, a private collection's
documents ask for its password."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

GUIDE = bytes(range(256)) * 40


@pytest.fixture
def audio_guide(db):
    document = Document(title="왜가리 해설")
    document.file.save("heron-guide.m4a", ContentFile(GUIDE), save=False)
    document.save()
    return document


def test_an_audio_guide_is_played_from_byte_ranges(client, audio_guide):
    whole = client.get(audio_guide.url)
    assert whole.status_code == 200 and whole.is_async and b"".join(whole) == GUIDE
    assert (
        whole["Content-Disposition"].startswith("attachment")
        and whole["Content-Security-Policy"] == "default-src 'none'"
    )
    part = client.get(audio_guide.url, headers={"Range": "bytes=256-511"})
    assert part.status_code == 206 and b"".join(part) == GUIDE[256:512]
    assert part["Content-Range"] == f"bytes 256-511/{len(GUIDE)}" and part["Content-Length"] == "256"
    assert client.get(audio_guide.url, headers={"If-None-Match": whole["ETag"]}).status_code == 304
    assert client.get(audio_guide.url.replace("heron-guide", "other")).status_code == 404


def test_a_private_collections_document_asks_for_its_password(client, audio_guide):
    private = Collection.get_first_root_node().add_child(name="내부 자료")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="secret"
    )
    audio_guide.collection = private
    audio_guide.save()
    asked = client.get(audio_guide.url, headers={"Range": "bytes=0-9"})
    assert asked.status_code == 200 and b"password" in asked.content.lower() and GUIDE[:10] not in asked.content

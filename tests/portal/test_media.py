"""Public files under MEDIA_ROOT on the embedded default (nginx serves them in production): streamed,
with ranges and validators, and nothing outside the folder."""

import pytest


@pytest.fixture
def export(settings, db):
    folder = settings.MEDIA_ROOT / "opendata" / "uijeongbu"
    folder.mkdir(parents=True)
    (folder / "complaints-latest.csv").write_bytes(b"number,category\n" * 1000)
    (settings.MEDIA_ROOT.parent / "secret.txt").write_text("not public")
    return "/media/opendata/uijeongbu/complaints-latest.csv"


def test_a_public_file_is_streamed_with_ranges_and_validators(client, export):
    whole = client.get(export)
    assert whole.status_code == 200 and whole.is_async and whole["Content-Type"] == "text/csv"
    assert b"".join(whole) == b"number,category\n" * 1000 and whole["Cache-Control"] == "public, max-age=300"
    part = client.get(export, headers={"Range": "bytes=16-21"})
    assert part.status_code == 206 and b"".join(part) == b"number" and part["Content-Range"] == "bytes 16-21/16000"
    assert client.get(export, headers={"Range": "bytes=999999999999999999-"}).status_code == 416
    absurd = client.get(export, headers={"Range": f"bytes=0-{'9' * 5000}"})  # no offset: the whole file
    assert absurd.status_code == 200 and len(b"".join(absurd)) == 16000
    assert client.get(export, headers={"If-Modified-Since": whole["Last-Modified"]}).status_code == 304


def test_nothing_outside_the_folder_or_that_is_not_a_file_is_served(client, export):
    for path in ("/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media/opendata/", "/media/opendata/nothing.csv"):
        assert client.get(path).status_code == 404, path
    assert client.post(export).status_code == 405

import json


def test_manifest_describes_an_installable_korean_app(client, db):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["lang"] == "ko" and manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_service_worker_caches_the_shell_and_the_offline_page(client, db):
    response = client.get("/sw.js")
    assert response["Content-Type"].startswith("application/javascript")
    script = response.content.decode()
    assert "/offline/" in script
    for asset in ("css/portal", "js/portal", "img/icons"):
        assert f"/static/{asset}" in script
    assert client.get("/offline/").status_code == 200


def test_service_worker_version_changes_only_with_the_assets(client, db):
    first = client.get("/sw.js").content
    assert client.get("/sw.js").content == first

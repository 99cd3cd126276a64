def test_departments_are_listed_with_their_codes(client, city):
    response = client.get("/api/v1/departments/")
    assert response.status_code == 200
    by_code = {row["code"]: row for row in response.json()}
    assert len(by_code) == 29
    assert by_code["road-lighting"]["name_ko"] == "도로조명팀"
    assert by_code["road-lighting"]["municipality"] == "uijeongbu"


def test_categories_name_the_department_they_are_routed_to(client, city):
    response = client.get("/api/v1/complaints/categories/", {"municipality": "uijeongbu"})
    assert response.status_code == 200
    by_code = {row["code"]: row for row in response.json()}
    assert by_code["streetlight"]["department"] == "road-lighting"
    assert by_code["open-data"]["kind"] == "inquiry"


def test_an_unknown_municipality_is_a_404_not_a_redirect(client, city):
    response = client.get("/api/v1/complaints/categories/", {"municipality": "atlantis"})
    assert response.status_code == 404
    assert "atlantis" in response.json()["detail"]


def test_the_openapi_schema_documents_the_endpoints(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/departments/" in paths
    assert "/api/v1/complaints/categories/" in paths

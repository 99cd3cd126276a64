from apps.municipalities.models import Department


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


def test_departments_answer_their_office_hours_and_the_citys_call_centre(client, city):
    Department.objects.filter(code="civil-affairs").update(
        office_hours_ko="평일 09:00–21:00", office_hours_en="Weekdays 9:00–21:00", phone="031-828-2000"
    )
    by_code = {row["code"]: row for row in client.get("/api/v1/departments/").json()}
    assert by_code["road-lighting"]["office_hours_ko"] == "평일 09:00–18:00"  # the city's, by default
    assert by_code["road-lighting"]["office_hours_en"] == "Weekdays 9:00–18:00"
    assert by_code["road-lighting"]["call_centre_phone"] == "031-828-2114"
    assert by_code["civil-affairs"]["office_hours_ko"] == "평일 09:00–21:00"
    assert by_code["civil-affairs"]["phone"] == "031-828-2000"


def test_the_citys_office_hours_are_live_data(client, city):
    city.office_hours_ko, city.office_hours_en = "평일 08:30–17:30", "Weekdays 8:30–17:30"
    city.save()
    Department.objects.filter(code="parks").update(office_hours_ko="매일 06:00–22:00")
    by_code = {row["code"]: row for row in client.get("/api/v1/departments/").json()}
    assert by_code["road-lighting"]["office_hours_en"] == "Weekdays 8:30–17:30"
    # A department that set only Korean hours keeps its own for English readers too.
    assert by_code["parks"]["office_hours_en"] == "매일 06:00–22:00"

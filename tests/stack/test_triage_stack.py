"""The report form's category suggestion on the running product comes from the bot's trained model."""

import pytest
import requests

pytestmark = pytest.mark.stack


@pytest.mark.parametrize(
    ("text", "category", "department"),
    [
        ("회룡역 뒤 골목 가로등이 사흘째 안 켜져서 밤에 너무 어두워요", "streetlight", "road-lighting"),
        ("There is a deep pothole in the middle of the road near Uijeongbu Station", "pothole", "road-maintenance"),
    ],
)
def test_the_triage_api_answers_with_the_bots_model(stack, text, category, department):
    response = requests.post(f"{stack.url}/api/v1/complaints/triage", json={"text": text}, timeout=10)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["source"] == "model", result
    assert (result["category"], result["department"]) == (category, department), result
    assert 0.2 <= result["confidence"] <= 1

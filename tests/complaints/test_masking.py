import pytest

from apps.common.masking import mask_personal_data


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("제 번호는 010-1234-5678 입니다", "제 번호는 010-****-**** 입니다"),
        ("연락처 01012345678", "연락처 010-****-****"),
        ("집 전화 031 828 2114", "집 전화 031 **** ****"),
        ("서울 02-123-4567", "서울 02-****-****"),
        ("주민번호 900101-1234567 적어요", "주민번호 ******-******* 적어요"),
        ("주민번호 9001012234567", "주민번호 ******-*******"),
        ("12가3456 차량이 계속 주차", "12가**** 차량이 계속 주차"),
        ("123나 4567 트럭", "123나 **** 트럭"),
        ("경기12바3456 택시", "경기12바**** 택시"),
        ("Car 34허5678 blocks the hydrant", "Car 34허**** blocks the hydrant"),
        ("메일 hong.gildong@naver.com 으로 주세요", "메일 h***@***.com 으로 주세요"),
        ("메일은kim_01@korea.go.kr입니다", "메일은k***@***.kr입니다"),
        ("<resident+tag@example.kr>, 감사합니다", "<r***@***.kr>, 감사합니다"),
        ("전각 abc＠daum.net", "전각 a***@***.net"),
        ("01012345678@hanmail.net 또는 010-1234-5678", "0***@***.net 또는 010-****-****"),
    ],
)
def test_personal_data_is_masked(text, masked):
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "가로등 3개가 꺼졌어요",
        "2026-000123 어떻게 됐나요?",
        "민원콜센터 1588-1234",
        "의정부동 123-45번지 앞",
        "오후 3시 15분부터 10분간",
        "SNS @의정부시 계정에 올렸어요",
        "버전 v1.2@beta",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert mask_personal_data(text) == text

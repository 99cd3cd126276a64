"""Places residents name in questions (a car park's, a bus stop's): the Korean words of the
question that may name one, and the romanised names English speakers use mapped to the Korean."""

import re

# Romanised place names residents use in English, to the Korean word in car park and stop names.
PLACES = {
    "uijeongbu station": "의정부역",
    "city hall": "의정부시청",
    "hoeryong": "회룡",
    "ganeung": "가능",
    "singok": "신곡",
    "minrak": "민락",
    "jeil market": "제일시장",
    "budae": "부대찌개",
    "haengbok": "행복로",
    "howon": "호원",
    "nogyang": "녹양",
    "jangam": "장암",
    "songsan": "송산",
    "geumo": "금오",
    "tapseok": "탑석",
    "balgok": "발곡",
    "heungseon": "흥선",
    "mangwolsa": "망월사",
    "rodeo": "로데오",
    "sports complex": "종합운동장",
    "arts center": "예술의전당",
    "art center": "예술의전당",
    "jungnangcheon": "중랑천",
}
KOREAN_WORD = re.compile(r"[가-힣0-9]{2,}")
# Particles and endings after a place name: "의정부역에", "회룡역은", "시청근처".
ENDINGS = re.compile(r"(근처|주변|앞|쪽|에서|에는|에|은|는|이|가|의|도|요)$")


def place_words(text: str, *, ignore: set[str], ignore_prefixes: tuple[str, ...] = ()) -> list[str]:
    """The words of the question that may name a place, in Korean: romanised names first, then
    the Korean words without their particles, less the question's own words (`ignore`)."""
    lowered = text.lower()
    words = [korean for english, korean in PLACES.items() if english in lowered]
    # "Hoeryong Station" is the station, not Hoeryong-ro.
    words += [f"{korean}역" for english, korean in PLACES.items() if f"{english} station" in lowered]
    for word in KOREAN_WORD.findall(text):
        stem = ENDINGS.sub("", word)
        if len(stem) >= 2 and stem not in ignore and not (ignore_prefixes and stem.startswith(ignore_prefixes)):
            words.append(stem)
    return words

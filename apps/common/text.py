"""Text residents send: the characters that must not be in it, and the words a search looks for.

Characters XML 1.0 forbids:
Control characters other than tab and line breaks, lone surrogates and U+FFFE/U+FFFF have no place
in a description, and a single one stored makes every XML document that carries it unparseable
(the Open311 feed, for every client). Intake refuses them; the XML output strips any already stored.
"""

import re

XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def has_forbidden_characters(value: object) -> bool:
    """Whether a string, or any string inside lists and dicts (keys too), holds such a character.
    Walked without recursion: however deep the nesting, no RecursionError."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if XML_FORBIDDEN.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return False


def xml_safe(text: str) -> str:
    return XML_FORBIDDEN.sub("", text)


def search_terms(q: str) -> list[str]:
    """The words of a search box, lower-cased, at most ten (each then matched inside longer words)."""
    return [term for term in (q or "").lower().split() if term][:10]

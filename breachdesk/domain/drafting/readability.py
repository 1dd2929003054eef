"""How easy a notice is to read: the Flesch reading-ease score.

UK GDPR Art. 34(2) asks for "clear and plain language". A score of 60 or more is plain
English that most adults read easily; breachdesk checks its notices to people against it.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s+|$)")
_SILENT_ENDING = re.compile(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$")
_VOWEL_GROUP = re.compile(r"[aeiouy]{1,2}")


def syllables(word: str) -> int:
    """Estimate the syllables in an English word by counting its vowel groups."""
    word = word.lower()
    if len(word) <= 3:
        return 1
    word = _SILENT_ENDING.sub(lambda m: m.group(0)[0], word)
    word = word.removeprefix("y")
    return max(1, len(_VOWEL_GROUP.findall(word)))


def sentences(text: str) -> list[list[str]]:
    """Split text into sentences of words; a heading, a list item or a line counts as one."""
    result: list[list[str]] = []
    for line in text.splitlines():
        for part in _SENTENCE_END.split(line):
            found = _WORD.findall(part.replace("\u2019", "'"))
            if found:
                result.append(found)
    return result


def flesch_reading_ease(text: str) -> float:
    """Return the Flesch reading-ease score: 206.835 - 1.015 ASL - 84.6 ASW (higher is easier)."""
    units = sentences(text)
    words = [word for unit in units for word in unit]
    if not words:
        return 100.0
    per_sentence = len(words) / len(units)
    per_word = sum(syllables(word) for word in words) / len(words)
    return 206.835 - 1.015 * per_sentence - 84.6 * per_word

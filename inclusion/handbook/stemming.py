"""Light stemmers that let search match word forms: "tulks" finds "tulkus", "policy" finds "policies".

Both work on *folded* words (lower case, diacritics removed, see ``search.fold``), because
search compares folded text: a query typed without diacritics must find the same forms.

Latvian: the light stemmer of Savoy's and Kreslins's published work as kept in Apache
Lucene (``LatvianStemmer``, "a light version of the algorithm in Kārlis Kreslins's PhD
thesis *A stemming algorithm for Latvian*"): it removes only the case, number, gender and
definiteness endings of nouns and adjectives, with a minimum number of vowels left in the
word for each ending. Folding already undoes most palatalisation (ļ→l, ņ→n, č→c, š→s),
so of Lucene's palatalisation rules only the inserted j after a labial remains
("zemju" → "zem"). The alternations Lucene leaves out as ambiguous (t/š, d/ž:
"jaunietis" / "jauniešiem") are compared by ``match_key``, which search uses to compare
stems, never to cut a word. Verbs and derived nouns ("tulkošana") keep their suffix; search
matches them because a word that *starts with* the stem also matches.

English: Harman's "S" stemmer (1991), which undoes regular plurals only
("policies" → "policy", "services" → "service", "refugees" → "refugee"), plus the few
irregular plurals the handbook uses.
"""

from __future__ import annotations

VOWELS = frozenset("aeiou")

# (ending, vowels the word must have more than, undo palatalisation), in Lucene's order:
# longest first, folded (so "ām" and "am" are one rule).
LATVIAN_ENDINGS: tuple[tuple[str, int, bool], ...] = (
    ("ajiem", 3, False),
    ("ajai", 3, False),
    ("ajam", 2, False),
    ("ajos", 2, False),
    ("ajas", 2, False),
    ("iem", 2, True),
    ("aja", 2, False),
    ("ais", 2, False),
    ("ai", 2, False),
    ("ei", 2, False),
    ("am", 1, False),
    ("em", 1, False),
    ("im", 1, False),
    ("um", 1, False),
    ("us", 1, True),
    ("as", 1, False),
    ("es", 1, False),
    ("os", 1, True),
    ("ij", 1, False),
    ("is", 1, False),
    ("ie", 1, False),
    ("u", 1, True),
    ("a", 1, True),
    ("i", 1, True),
    ("e", 1, False),
    ("o", 1, False),
    ("s", 0, False),
)
LABIAL_J = ("pj", "bj", "mj", "vj")

ENGLISH_IRREGULAR = {
    "children": "child",
    "women": "woman",
    "men": "man",
    "people": "person",
    "persons": "person",
    "analyses": "analysis",
    "crises": "crisis",
    "criteria": "criterion",
}


def latvian_stem(word: str) -> str:
    """The folded Latvian word without its noun or adjective ending."""
    vowels = sum(char in VOWELS for char in word)
    for ending, min_vowels, palatalised in LATVIAN_ENDINGS:
        if vowels > min_vowels and len(word) >= len(ending) + 3 and word.endswith(ending):
            stem = word[: -len(ending)]
            if palatalised and stem.endswith(LABIAL_J):
                stem = stem[:-1]
            return stem
    return word


def english_stem(word: str) -> str:
    """The folded English word in the singular (regular plurals and a few irregular ones)."""
    if word in ENGLISH_IRREGULAR:
        return ENGLISH_IRREGULAR[word]
    if len(word) > 3 and word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zzes")):
        return word[:-2]  # approaches → approach, boxes → box
    if len(word) > 3 and word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("us", "ss", "is")):
        return word[:-1]
    return word


def match_key(word_stem: str, language: str) -> str:
    """The stem with a final t or d written as the š or ž (folded: s, z) it alternates with."""
    if language == "lv" and word_stem[-1:] in ("t", "d"):
        return word_stem[:-1] + ("s" if word_stem[-1] == "t" else "z")
    return word_stem


STEMMERS = {"lv": latvian_stem, "en": english_stem}


def stem(word: str, language: str) -> str:
    """The stem of a folded word; unchanged in a language without a stemmer."""
    stemmer = STEMMERS.get(language)
    return stemmer(word) if stemmer else word

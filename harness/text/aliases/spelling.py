"""When two name tokens are spellings of one name (rules a–d of ``transliteration``
in `harness.text.aliases`): the phonetic key, given-name groups, Jaro–Winkler
similarity and Slavic possessive suffixes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from harness.text.aliases.lexicon import GIVEN_NAMES

#: Similarity (Jaro–Winkler on phonetic keys) above which two person-name tokens
#: that share first/last letter and consonant skeleton count as variants.
FUZZY_THRESHOLD = 0.88
#: Shortest token (letters) that may match a non-identical token.
MIN_VARIANT_LENGTH = 4
#: Shortest token that may match by similarity (rule c) rather than phonetic key.
MIN_FUZZY_LENGTH = 5


def jaro_winkler(a: str, b: str, prefix_scale: float = 0.1) -> float:
    """Jaro–Winkler similarity of two strings (1.0 = identical).

    Hand-written on purpose. rapidfuzz's ``JaroWinkler`` is about 21x faster,
    but it halves the transpositions with integer division (strcmp95) and
    boosts the prefix only above a Jaro of 0.7, so its values differ here on
    about 10% of random token pairs of SummEdits news and cross the 0.85/0.88
    thresholds on 76 of 207,681 ("always"/"lways": 0.844 here, 0.878 there).
    Using it would change which names count as variants; it is kept out until
    a version of the metric is allowed to change those decisions.

    >>> round(jaro_winkler("martha", "marhta"), 3)
    0.961
    """
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    matched_b = [False] * len(b)
    matches_a: list[str] = []
    for i, char in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not matched_b[j] and b[j] == char:
                matched_b[j] = True
                matches_a.append(char)
                break
    m = len(matches_a)
    if m == 0:
        return 0.0
    matches_b = [char for j, char in enumerate(b) if matched_b[j]]
    transpositions = sum(x != y for x, y in zip(matches_a, matches_b, strict=True)) / 2
    jaro = (m / len(a) + m / len(b) + (m - transpositions) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * prefix_scale * (1 - jaro)


_PHONETIC_STEPS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"shch|sch|tsch|tch|ch", "C"),
        (r"sh", "S"),
        (r"zh", "J"),
        (r"kh|gh|g", "h"),
        (r"ts|tz", "Z"),
        (r"ph", "f"),
        (r"w", "v"),
        (r"ck|q|c", "k"),
        (r"x", "ks"),
        (r"^ye", "e"),
        (r"[yj]", "i"),
        (r"ie$", "i"),
        (r"off$", "ov"),
        (r"(.)\1+", r"\1"),
    )
)


@lru_cache(maxsize=65536)
def phonetic_key(token: str) -> str:
    """A transliteration-folded form of a folded token (see rule (a) in `harness.text.aliases`).

    >>> [phonetic_key(t) for t in ("zelensky", "zelenskyy", "zelenskiy")]
    ['zelenski', 'zelenski', 'zelenski']
    >>> phonetic_key("hrytsenko") == phonetic_key("gritsenko")
    True
    """
    for pattern, replacement in _PHONETIC_STEPS:
        token = pattern.sub(replacement, token)
    return token


#: Phonetic key of a given name → the index of its group in `GIVEN_NAMES`.
_GIVEN: dict[str, int] = {
    phonetic_key(name): i for i, group in enumerate(GIVEN_NAMES) for name in group
}
_VOWELS = frozenset("aeiou")


def _skeleton(key: str) -> str:
    return "".join(char for char in key if char not in _VOWELS)


def token_variant(a: str, b: str, *, person: bool) -> str | None:
    """How two folded tokens are variants of one name, or ``None``.

    Args:
        a: A token of the summary name.
        b: A token of the source name.
        person: Allow the similarity rule (c) (names of people only).

    Returns:
        ``"equal"``, ``"phonetic"``, ``"given-name"``, ``"similar"``,
        ``"place-suffix"`` or ``None``.

    >>> token_variant("hrytsenko", "gritsenko", person=True)
    'phonetic'
    >>> token_variant("ivanova", "ivanov", person=True) is None
    True
    """
    if a == b:
        return "equal"
    if len(a) < MIN_VARIANT_LENGTH or len(b) < MIN_VARIANT_LENGTH or a.isdigit() or b.isdigit():
        return None
    pa, pb = phonetic_key(a), phonetic_key(b)
    if pa == pb:
        return "phonetic"
    given = _GIVEN.get(pa)
    if given is not None and given == _GIVEN.get(pb):
        return "given-name"
    if (
        person
        and min(len(a), len(b)) >= MIN_FUZZY_LENGTH
        and pa[0] == pb[0]
        and pa[-1] == pb[-1]
        and _skeleton(pa) == _skeleton(pb)
        and jaro_winkler(pa, pb) >= FUZZY_THRESHOLD
    ):
        return "similar"
    if _possessive_variant(pa, pb):
        return "place-suffix"
    return None


#: A Slavic possessive ending on a phonetic key: stem, vowel (i: Ukrainian; o/e:
#: Russian), "v", then the rest of the suffix ("ka", "sk", "ske", ...).
_POSSESSIVE_SUFFIX = re.compile(r"^(.{3,}?)[ioe]v(ka|ske|skoe|skoi|sk|Zi|)$")


def _possessive_variant(pa: str, pb: str) -> bool:
    """Rule (d): two phonetic keys are one Slavic possessive place or surname.

    >>> _possessive_variant(phonetic_key("kostiantynivka"), phonetic_key("konstantinovka"))
    True
    >>> _possessive_variant(phonetic_key("ivanivka"), phonetic_key("ivanovo"))
    False
    """
    ma, mb = _POSSESSIVE_SUFFIX.match(pa), _POSSESSIVE_SUFFIX.match(pb)
    if ma is None or mb is None:
        return False
    rest = {"ske": "skoe", "skoi": "skoe"}  # -ivske, -ovskoe, -ovskoye
    if rest.get(ma.group(2), ma.group(2)) != rest.get(mb.group(2), mb.group(2)):
        return False
    stem_a, stem_b = ma.group(1), mb.group(1)
    if stem_a == stem_b:
        return True
    groups_a = {_GIVEN.get(form) for form in (stem_a, stem_a + "i", stem_a.removesuffix("i"))}
    groups_b = {_GIVEN.get(form) for form in (stem_b, stem_b + "i", stem_b.removesuffix("i"))}
    return bool((groups_a & groups_b) - {None})


def why_tokens_differ(a: str, b: str, *, person: bool) -> str:
    """Why `token_variant` rejected a pair, for the evidence sentence."""
    if len(a) < MIN_VARIANT_LENGTH or len(b) < MIN_VARIANT_LENGTH:
        return (
            f"'{a}' and '{b}' differ, and names under {MIN_VARIANT_LENGTH} letters"
            " must match exactly"
        )
    if a.startswith(b) or b.startswith(a):
        longer, shorter = (a, b) if len(a) > len(b) else (b, a)
        return f"'{longer}' extends '{shorter}' (e.g. a feminine or derived form), another name"
    pa, pb = phonetic_key(a), phonetic_key(b)
    similarity = jaro_winkler(pa, pb)
    if not person:
        return (
            f"'{a}' and '{b}' spell different names (no spelling-similarity matching for"
            f" non-person names; similarity {similarity:.2f})"
        )
    return (
        f"'{a}' and '{b}' differ beyond transliteration (phonetic keys '{pa}' vs '{pb}',"
        f" similarity {similarity:.2f}; need same first/last letter, consonants and"
        f" ≥ {FUZZY_THRESHOLD})"
    )


def match_tokens(
    summary: Sequence[str], source: Sequence[str], *, person: bool
) -> list[tuple[str, str, str]] | None:
    """Match summary tokens, in order, to a subsequence of source tokens.

    Args:
        summary: Folded tokens of the summary name.
        source: Folded tokens of a source name.
        person: Whether similarity matching is allowed (see `token_variant`).

    Returns:
        ``(summary token, source token, how)`` per summary token, or ``None``.

    >>> match_tokens(["zelensky"], ["volodymyr", "zelenskyy"], person=True)
    [('zelensky', 'zelenskyy', 'phonetic')]
    """
    if not summary or len(summary) > len(source):
        return None
    pairs = _match_tokens(tuple(summary), tuple(source), person)
    return None if pairs is None else list(pairs)


@lru_cache(maxsize=65536)
def _match_tokens(
    summary: tuple[str, ...], source: tuple[str, ...], person: bool
) -> tuple[tuple[str, str, str], ...] | None:
    # Memoised: entity recall matches the same source names against the names
    # of every summary of an article, and those summaries share most names.
    pairs: list[tuple[str, str, str]] = []
    j = 0
    for token in summary:
        while j < len(source):
            how = token_variant(token, source[j], person=person)
            j += 1
            if how is not None:
                pairs.append((token, source[j - 1], how))
                break
        else:
            return None
    return tuple(pairs)


__all__ = [
    "FUZZY_THRESHOLD",
    "MIN_FUZZY_LENGTH",
    "MIN_VARIANT_LENGTH",
    "jaro_winkler",
    "match_tokens",
    "phonetic_key",
    "token_variant",
    "why_tokens_differ",
]

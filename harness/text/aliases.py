"""Alias resolution: is an entity of a summary supported by its source?

`resolve` compares one summary entity with the source's entities *and* the
source text (a name the source's NER missed but that the source contains still
counts). Rules are tried in this order; the first that matches wins and names
the finding's ``rule``:

``exact``
    Same normalised key (case, diacritics, possessive, leading "the" and
    punctuation set aside: "Vâlcu" = "Valcu", "the EU's" = "EU").
``surname`` / ``partial`` / ``source-text``
    The key's tokens occur, word-bounded, in the source text: inside a longer
    source PERSON ("Zelensky" in "Volodymyr Zelensky") → ``surname``; inside
    another longer source entity ("Hoshida" in "Hoshida Electronics") →
    ``partial`` (``admin-suffix`` if the extra words are administrative:
    "Kursk" in "Kursk Oblast"); outside any source entity → ``source-text``.
    Two guards keep this from matching a different name: an acronym must
    match an upper-case one ("US" is not "us", "WHO" is not "who"); and a
    place does not match inside a longer place name that adds a capitalised
    direction word before it ("Sudan" is not supported by "South Sudan", nor
    "Korea" by "North Korea"). Other names match whatever their case: a
    name spelt like a source word is far more often a casing variant (speech
    transcripts write "anchor", "simmers digest podcast") than another name.
``acronym``
    An acronym and its expansion: "NIS" ↔ "National Intelligence Service",
    "IAEA" ↔ "International Atomic Energy Agency", "OCHA" ↔ "UN Office for
    the Coordination of Humanitarian Affairs" (the initials of a final part
    of the name, at least three letters). Initials skip function words (of,
    the, for, and, ...) or keep them; an upper-case word inside the name gives
    all its letters ("UN High Commissioner for Refugees" → UNHCR). An acronym
    the source introduces in parentheses ("... Authority (AFAD)") maps to the
    name before it, whatever its initials; this is checked right after
    ``exact``, so the finding shows the expansion. Works both ways: a summary
    may expand an acronym the source only abbreviates.
``admin-suffix``
    Equal once administrative words at the end are set aside (oblast, region,
    province, state, county, district, krai, governorate, ... — `ADMIN_WORDS`):
    "Kursk Oblast" ↔ "Kursk region" ↔ "Kursk". Not for people.
``demonym``
    A nationality/place adjective and its place: "North Korean" ↔ "North
    Korea", "Ukrainian(s)" ↔ "Ukraine", "Brazilian" ↔ "Brazil", "Dutch" ↔
    "Netherlands". A table (`DEMONYMS`) holds the irregular ones; suffix
    rules (-ian, -an, -ese, -i and plurals) derive the regular ones, and a
    derived form only counts if the source actually contains it.
``alias``
    Well-known alternative names (`PLACE_ALIASES`): "Kiev" ↔ "Kyiv",
    "Burma" ↔ "Myanmar", "America" ↔ "U.S.".
``word-order``
    "Health Ministry" ↔ "Ministry of Health" (a source name "A of B" read as
    "B A"; the summary must contain both A and the first word of B), and a
    person's given name and surname swapped ("Kallas Kaja" ↔ "Kaja Kallas").
``transliteration``
    Every summary token matches, in order, a token of one source name (an
    entity, or a contiguous stretch of a run of capitalised words), and at
    least one pair is a spelling variant: "Zelensky" ↔ "Volodymyr Zelenskyy"
    ↔ "Zelenskiy", "Hrytsenko" ↔ "Gritsenko", "Nikolai Tkachuk" ↔ "Mykola
    Tkachuk". (If every pair is equal but the tokens are not contiguous in
    the source, e.g. a middle name skipped, the rule is ``surname`` for
    people and ``partial`` otherwise.) Two tokens are variants when (a) they
    have the same `phonetic_key` (a transliteration folding: kh/gh/g → h,
    y/j → i, ts/tz, w → v, ph → f, x → ks, c/q → k, a final "ie" → "i",
    doubled letters collapsed) and are at least 4 letters long; or (b) both
    are in one group of `GIVEN_NAMES` (Mykola/Nikolai, Volodymyr/Vladimir,
    Muhammad/Mohammed, ...); or (c), for people only, they are at least 5
    letters long, share first and last phonetic letter and consonant
    skeleton, and have Jaro–Winkler similarity ≥ `FUZZY_THRESHOLD` (0.88) on
    their phonetic keys ("Abdullah" ↔ "Abdallah", "Andersen" ↔ "Anderson");
    or (d) both end in the Slavic possessive suffix of one form, Ukrainian
    -iv- against Russian -ov-/-ev- ("-ivka" ↔ "-ovka", "-iv" ↔ "-ov", "-ivske"
    ↔ "-ovskoe"), on stems of at least 3 letters that are equal or the same
    given name (rule b): "Kostiantynivka" ↔ "Konstantinovka", "Pavlivka" ↔
    "Pavlovka", "Kharkiv" ↔ "Kharkov"; not "Ivanivka" ↔ "Ivanovo" (another
    suffix).
``compound``
    Last resort for non-person names: a qualifier that is itself a source
    place, nationality or organisation, followed by a name the source has
    as a whole name: "EU General Court" = "EU" + "General Court". A
    direction word is never a qualifier, and the second part must be
    supported as a whole name (not as part of a longer one), so "South
    Sudan" is not "South Africa" + "Sudan" and "Kenya Airways" is not
    "Kenya" + "Qatar Airways".

Deliberate negatives (tested): names shorter than 4 letters must match
exactly ("Kim" ≠ "Kin"); a feminine surname form is another person
("Ivanova" ≠ "Ivanov": different last letter, different phonetic key);
"Maria" ≠ "Mario"; "Martin" ≠ "Morton" (similarity 0.80); places get no
similarity-only match ("Guinea" ≠ "Guyana", "Austria" ≠ "Australia"); a
summary name that *adds* a given name the source never uses ("Sergei
Tkachuk" for "Mykola Tkachuk", "Volodymyr Zelensky" when the source only
says "Zelensky") is unsupported.

Known limits: a partial match does not check labels, so "Jordan" (the
country) is supported by "Michael Jordan"; qualifier compounds need the
second part as a whole name, so "European Union's Commission" is not
matched to "European Commission".

When nothing matches, the `Resolution` names the closest source entity (by
Jaro–Winkler similarity of keys and tokens) and why it was rejected.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

from harness.text.entities import (
    Entity,
    TextAnalysis,
    TokenTable,
    compact,
    fold,
    normalise_key,
    word_spans,
)
from harness.text.sentences import sentence_spans

Status = Literal["supported", "unsupported"]

#: Similarity (Jaro–Winkler on phonetic keys) above which two person-name tokens
#: that share first/last letter and consonant skeleton count as variants.
FUZZY_THRESHOLD = 0.88
#: Shortest token (letters) that may match a non-identical token.
MIN_VARIANT_LENGTH = 4
#: Shortest token that may match by similarity (rule c) rather than phonetic key.
MIN_FUZZY_LENGTH = 5

#: Administrative words set aside at the end of a place name.
ADMIN_WORDS: frozenset[str] = frozenset(
    {
        "oblast",
        "oblasts",
        "region",
        "regions",
        "province",
        "provinces",
        "state",
        "states",
        "county",
        "counties",
        "district",
        "districts",
        "krai",
        "kray",
        "governorate",
        "governorates",
        "prefecture",
        "prefectures",
        "municipality",
        "department",
        "territory",
        "canton",
        "voivodeship",
        "raion",
        "rayon",
        "okrug",
    }
)

#: Capitalised words that make a different place when put before a place name.
DIRECTIONS: frozenset[str] = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "new",
        "upper",
        "lower",
        "equatorial",
    }
)

#: Words skipped when forming the initials of a name.
FUNCTION_WORDS: frozenset[str] = frozenset(
    {
        "of",
        "the",
        "for",
        "and",
        "on",
        "in",
        "to",
        "at",
        "by",
        "a",
        "an",
        "de",
        "del",
        "della",
        "des",
        "du",
        "la",
        "le",
        "les",
        "el",
        "y",
        "et",
        "und",
        "fur",
        "da",
        "di",
        "do",
        "dos",
        "van",
        "von",
        "der",
    }
)

_PLACE_LABELS = frozenset({"GPE", "LOC", "NORP", "FAC"})

#: Irregular demonyms → place keys (regular ones come from suffix rules).
DEMONYMS: dict[str, tuple[str, ...]] = {
    "afghan": ("afghanistan",),
    "american": ("united states", "america", "us", "usa"),
    "argentine": ("argentina",),
    "argentinian": ("argentina",),
    "bahraini": ("bahrain",),
    "belarusian": ("belarus",),
    "british": ("united kingdom", "britain", "uk", "great britain"),
    "briton": ("united kingdom", "britain", "uk"),
    "burmese": ("myanmar", "burma"),
    "chechen": ("chechnya",),
    "congolese": ("congo", "dr congo", "democratic republic of congo", "drc"),
    "croat": ("croatia",),
    "cypriot": ("cyprus",),
    "czech": ("czech republic", "czechia"),
    "dane": ("denmark",),
    "danish": ("denmark",),
    "darfuri": ("darfur",),
    "dutch": ("netherlands", "holland"),
    "emirati": ("united arab emirates", "uae"),
    "english": ("england",),
    "filipino": ("philippines",),
    "finnish": ("finland",),
    "french": ("france",),
    "greek": ("greece",),
    "icelandic": ("iceland",),
    "irish": ("ireland",),
    "ivorian": ("ivory coast", "cote d ivoire"),
    "kazakh": ("kazakhstan",),
    "kurdish": ("kurdistan",),
    "kyrgyz": ("kyrgyzstan",),
    "lao": ("laos",),
    "lebanese": ("lebanon",),
    "malagasy": ("madagascar",),
    "maltese": ("malta",),
    "monegasque": ("monaco",),
    "mozambican": ("mozambique",),
    "nepalese": ("nepal",),
    "nigerien": ("niger",),
    "norwegian": ("norway",),
    "peruvian": ("peru",),
    "polish": ("poland",),
    "portuguese": ("portugal",),
    "saudi": ("saudi arabia",),
    "scottish": ("scotland",),
    "slovak": ("slovakia",),
    "slovene": ("slovenia",),
    "somali": ("somalia",),
    "spanish": ("spain",),
    "swedish": ("sweden",),
    "swiss": ("switzerland",),
    "tajik": ("tajikistan",),
    "thai": ("thailand",),
    "turkish": ("turkey", "turkiye"),
    "turkmen": ("turkmenistan",),
    "uzbek": ("uzbekistan",),
    "welsh": ("wales",),
    "yemeni": ("yemen",),
}

#: Alternative names of one place (whole keys).
PLACE_ALIASES: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split("|"))
    for group in (
        "kyiv|kiev",
        "kharkiv|kharkov",
        "odesa|odessa",
        "lviv|lvov",
        "mykolaiv|nikolaev|nikolayev",
        "zaporizhzhia|zaporizhia|zaporozhye",
        "dnipro|dnepr",
        "luhansk|lugansk",
        "chernihiv|chernigov",
        "vinnytsia|vinnitsa",
        "myanmar|burma",
        "turkey|turkiye",
        "czechia|czech republic",
        "ivory coast|cote d ivoire",
        "netherlands|holland",
        "eswatini|swaziland",
        "cape verde|cabo verde",
        "east timor|timor leste",
        "united kingdom|uk|britain|great britain",
        "united states|us|usa|united states of america|america",
        "united arab emirates|uae",
        "dr congo|drc|democratic republic of congo|democratic republic of the congo",
        "mumbai|bombay",
        "beijing|peking",
    )
)
_PLACE_ALIAS: dict[str, frozenset[str]] = {key: group for group in PLACE_ALIASES for key in group}

#: Given names in their common transliterations: Slavic (Ukrainian, Russian and
#: English forms) and Arabic (vowels vary too much for the similarity rule).
GIVEN_NAMES: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split("|"))
    for group in (
        "volodymyr|vladimir|wladimir",
        "mykola|nikolai|nikolay|mikola|nicholas",
        "oleksandr|aleksandr|alexander|alexandr|oleksander",
        "serhiy|serhii|sergei|sergey|sergii",
        "andriy|andrii|andrei|andrey",
        "dmytro|dmitry|dmitri|dmitriy",
        "yuriy|yurii|yuri|yury",
        "oleksiy|oleksii|alexei|aleksei|alexey|aleksey",
        "mykhailo|mykhaylo|mikhail",
        "petro|pyotr|petr|piotr",
        "pavlo|pavel",
        "vasyl|vasily|vasiliy",
        "hryhoriy|hryhorii|grigory|grigoriy",
        "yevhen|yevhenii|yevgeny|yevgeniy|evgeny|evgeni",
        "vitaliy|vitalii|vitaly",
        "anatoliy|anatolii|anatoly",
        "oleh|oleg",
        "kostiantyn|kostyantyn|konstantin",
        "maksym|maksim|maxim",
        "olena|elena|yelena",
        "tetiana|tetyana|tatiana|tatyana",
        "kateryna|ekaterina|yekaterina",
        "yuliia|yuliya|yulia|julia",
        "nataliia|natalia|nataliya|natalya",
        "iryna|irina",
        "ivan|ioann",
        "muhammad|mohammed|mohamed|mohammad|muhammed|mohamad",
        "ahmed|ahmad",
        "yusuf|yousef|youssef|yousuf",
        "omar|umar",
        "hussein|husain|hussain|husayn",
    )
)


def jaro_winkler(a: str, b: str, prefix_scale: float = 0.1) -> float:
    """Jaro–Winkler similarity of two strings (1.0 = identical).

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
    """A transliteration-folded form of a folded token (see the module docstring).

    >>> [phonetic_key(t) for t in ("zelensky", "zelenskyy", "zelenskiy")]
    ['zelenski', 'zelenski', 'zelenski']
    >>> phonetic_key("hrytsenko") == phonetic_key("gritsenko")
    True
    """
    for pattern, replacement in _PHONETIC_STEPS:
        token = pattern.sub(replacement, token)
    return token


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


def _why_tokens_differ(a: str, b: str, *, person: bool) -> str:
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
    return pairs


def strip_admin(tokens: Sequence[str]) -> tuple[str, ...]:
    """Tokens without trailing administrative words (at least one token stays).

    >>> strip_admin(["kursk", "oblast"]), strip_admin(["region"])
    (('kursk',), ('region',))
    """
    end = len(tokens)
    while end > 1 and tokens[end - 1] in ADMIN_WORDS:
        end -= 1
    return tuple(tokens[:end])


def _place_forms_of_word(word: str) -> set[str]:
    """Places a demonym-like word may denote, and demonyms a place word may have."""
    forms: set[str] = set()
    words = {word}
    if word.endswith(("ans", "is", "ese", "s")) and len(word) > 4 and not word.endswith("ss"):
        words.add(word[:-1])
    for w in words:
        forms.update(DEMONYMS.get(w, ()))
        if w.endswith("ian"):
            forms.update({w[:-3] + "ia", w[:-3], w[:-3] + "e", w[:-3] + "y", w[:-3] + "a"})
        elif w.endswith("an"):
            forms.update({w[:-1], w[:-2], w[:-2] + "o"})
        elif w.endswith("ese"):
            forms.update({w[:-3], w[:-3] + "a", w[:-3] + "o"})
        elif w.endswith("i"):
            forms.update({w[:-1], w + "a"})
    if word.endswith(("an", "i")):
        forms.add(word + "s")  # the plural of a demonym: "Koreans", "Israelis"
    # the other direction: a place and its regular demonyms
    forms.update({word + "n", word + "ian", word + "ese", word + "i", word + "ns"})
    if word[-1:] in {"a", "e", "o", "y"}:
        stem = word[:-1]
        forms.update({stem + "an", stem + "ian", stem + "ese", stem + "ans", stem + "ians"})
    forms.update(demonym for demonym, places in DEMONYMS.items() if word in places)
    forms.discard(word)
    return {form for form in forms if len(form) >= 4}


def demonym_forms(key: str) -> set[str]:
    """Keys that name the same place as ``key`` as place ↔ demonym (last word varies).

    >>> sorted(f for f in demonym_forms("north korean") if f in {"north korea", "north koreans"})
    ['north korea', 'north koreans']
    >>> "ukraine" in demonym_forms("ukrainians"), "netherlands" in demonym_forms("dutch")
    (True, True)
    """
    tokens = key.split(" ")
    head = " ".join(tokens[:-1])
    found = {f"{head} {form}" if head else form for form in _place_forms_of_word(tokens[-1])}
    for demonym, places in DEMONYMS.items():
        if key in places:
            found.add(demonym)
    found.discard(key)
    return found


def _raw_words(text: str) -> list[str]:
    return [word for word, _, _ in word_spans(text)]


def is_acronym(text: str) -> bool:
    """Whether a mention is written as an acronym ("NIS", "U.N.", "OPEC+").

    >>> is_acronym("IAEA"), is_acronym("U.S."), is_acronym("Gavi"), is_acronym("NGOs")
    (True, True, False, False)
    """
    words = _raw_words(text)
    if len(words) != 1:
        return False
    letters = compact(words[0])
    if not 2 <= len(letters) <= 10 or not any(char.isalpha() for char in letters):
        return False
    return all(char.isupper() or char.isdigit() for char in letters)


def acronym_of(text: str) -> str:
    """The folded letters of an acronym mention ("U.N." → "un")."""
    return fold("".join(_raw_words(text)))


def initials(text: str) -> set[str]:
    """Acronyms a multi-word name may have (see ``acronym`` in the module docstring).

    >>> sorted(initials("International Atomic Energy Agency"))
    ['aea', 'iaea']
    >>> "ocha" in initials("UN Office for the Coordination of Humanitarian Affairs")
    True
    """
    words = _raw_words(text)
    if len(words) < 2:
        return set()
    found: set[str] = set()
    for skip_function in (True, False):
        for whole_caps in (True, False):
            parts: list[str] = []
            for word in (compact(word) for word in words):
                folded = fold(word)
                if skip_function and folded in FUNCTION_WORDS and word.islower():
                    continue
                if whole_caps and len(word) > 1 and word.isupper() and word.isalpha():
                    parts.append(folded)
                elif word[0].isalpha():
                    parts.append(folded[0])
            for start in range(len(parts)):
                acronym = "".join(parts[start:])
                if len(acronym) >= (2 if start == 0 else 3):
                    found.add(acronym)
    return found


@dataclass(frozen=True)
class Name:
    """A source name a summary entity may match: an entity or a capitalised run.

    Attributes:
        text: As written in the source.
        start: Character offset in the source.
        end: End offset.
        key: Normalised key.
        entity: The source entity, or ``None`` for a run of capitalised words
            the NER did not tag.
    """

    text: str
    start: int
    end: int
    key: str
    entity: Entity | None

    @property
    def label(self) -> str | None:
        """The entity's label, if any."""
        return self.entity.label if self.entity is not None else None

    def describe(self) -> str:
        """``'text' (LABEL)`` or ``'text' (untagged text)``."""
        return f"'{self.text}' ({self.label or 'untagged text'})"


@dataclass(frozen=True)
class Resolution:
    """Whether a summary entity is supported, how, and the evidence.

    Attributes:
        status: ``"supported"`` or ``"unsupported"``.
        rule: The rule that matched (``exact``, ``surname``, ``partial``,
            ``source-text``, ``acronym``, ``admin-suffix``, ``demonym``,
            ``alias``, ``word-order``, ``transliteration``, ``compound``), or
            ``None`` when unsupported.
        matched: The source entity that supports it, if the support is an entity.
        source_span: Where in the source the support is.
        source_text: The supporting source text.
        closest: For an unsupported entity, the most similar source entity.
        evidence: One readable sentence: how it matched, or the closest
            candidate and why it was rejected.
    """

    status: Status
    rule: str | None
    matched: Entity | None
    source_span: tuple[int, int] | None
    source_text: str | None
    closest: Entity | None
    evidence: str

    @property
    def supported(self) -> bool:
        """``status == "supported"``."""
        return self.status == "supported"


def _supported(rule: str, name: Name, evidence: str) -> Resolution:
    return Resolution(
        "supported", rule, name.entity, (name.start, name.end), name.text, None, evidence
    )


class SourceIndex:
    """What `resolve` needs to know about one source; derived tables are built lazily.

    Args:
        analysis: The source's `TextAnalysis` (text and entities).
        labels: Entity labels that count as source entities (default: the
            analysis's name labels, see `TextAnalysis.entities_with`).
    """

    def __init__(self, analysis: TextAnalysis, labels: Iterable[str] | None = None) -> None:
        self.analysis = analysis
        self.text = analysis.text
        self.entities: list[Entity] = analysis.entities_with(labels)

    @classmethod
    def from_entities(cls, entities: Sequence[Entity], text: str) -> SourceIndex:
        """An index over given entities of ``text`` (no NER run)."""
        return cls(TextAnalysis.of(text, entities), {entity.label for entity in entities})

    @cached_property
    def sentence_starts(self) -> list[int]:
        """Start offsets of the source's sentences."""
        return [start for start, _ in sentence_spans(self.text)]

    @cached_property
    def table(self) -> TokenTable:
        """The source's word tokens."""
        return self.analysis.token_table()

    @cached_property
    def by_key(self) -> dict[str, Entity]:
        """Key → first source entity with it."""
        found: dict[str, Entity] = {}
        for entity in self.entities:
            found.setdefault(entity.key, entity)
        return found

    @cached_property
    def _starts(self) -> list[int]:
        return [entity.start for entity in self.entities]

    def entity_covering(self, start: int, end: int) -> Entity | None:
        """The source entity whose span contains ``[start, end)``, if any."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i >= 0 and self.entities[i].end >= end:
            return self.entities[i]
        return None

    def _raw(self, index: int) -> str:
        a = self.table
        return self.text[a.starts[index] : a.ends[index]]

    def occurrences(
        self, tokens: Sequence[str], mention: str, label: str
    ) -> tuple[list[Name], str]:
        """Accepted occurrences of ``tokens`` in the source text, and why others were not.

        Args:
            tokens: Folded tokens to find.
            mention: The mention as written (an acronym must match upper case).
            label: Its label (places get the direction guard).

        Returns:
            Occurrences as `Name` (entity = the source entity covering it), and
            a reason if some occurrence was rejected (else ``""``).
        """
        a = self.table
        n = len(tokens)
        accepted: list[Name] = []
        rejected = ""
        acronym = is_acronym(mention)
        for i in a.find(tokens):
            first = self._raw(i)
            if acronym and not all(
                char.isupper() or not char.isalpha() for k in range(n) for char in self._raw(i + k)
            ):
                rejected = rejected or f"'{first}' in the source is not written as an acronym"
                continue
            if label in _PLACE_LABELS and i > 0 and a.tokens[i - 1] in DIRECTIONS:
                before = self._raw(i - 1)
                gap = self.text[a.ends[i - 1] : a.starts[i]]
                if before[:1].isupper() and gap in {" ", "-"}:
                    start, end = a.starts[i - 1], a.ends[i + n - 1]
                    rejected = rejected or (
                        f"it occurs only inside '{self.text[start:end]}', a different place"
                    )
                    continue
            start, end = a.char_span(i, n)
            entity = self.entity_covering(start, end)
            accepted.append(Name(self.text[start:end], start, end, " ".join(tokens), entity))
        return accepted, rejected

    @cached_property
    def runs(self) -> list[Name]:
        """Runs of capitalised words (with inner function words) in the source text."""
        a = self.table
        found: list[Name] = []
        i, n = 0, len(a.tokens)
        while i < n:
            if not self._raw(i)[:1].isupper():
                i += 1
                continue
            j = last = i
            while j + 1 < n:
                gap = self.text[a.ends[j] : a.starts[j + 1]]
                if gap not in {" ", "-", "'", "’", "."}:
                    break
                nxt = self._raw(j + 1)
                if nxt[:1].isupper():
                    last = j + 1
                elif a.tokens[j + 1] not in FUNCTION_WORDS:
                    break
                j += 1
            first = i + 1 if a.tokens[i] == "the" and last > i else i
            start, end = a.starts[first], a.ends[last]
            text = self.text[start:end]
            found.append(Name(text, start, end, normalise_key(text), None))
            i = last + 1
        return found

    @cached_property
    def names(self) -> list[Name]:
        """Source entities, then capitalised runs no entity has the key of."""
        seen: set[str] = set()
        found: list[Name] = []
        for entity in self.entities:
            if entity.key not in seen:
                seen.add(entity.key)
                found.append(Name(entity.text, entity.start, entity.end, entity.key, entity))
        for run in self.runs:
            if run.key not in seen:
                seen.add(run.key)
                found.append(run)
        return found

    @cached_property
    def definitions(self) -> dict[str, Name]:
        """Acronyms the source introduces in parentheses → the name before them."""
        found: dict[str, Name] = {}
        by_end = {run.end: run for run in self.runs}
        by_end.update({entity.end: _name_of(entity) for entity in self.entities})
        for match in re.finditer(r"\(\s*([A-Z][\w.&+-]*)\s*\)", self.text):
            if not is_acronym(match.group(1)):
                continue
            name = by_end.get(len(self.text[: match.start()].rstrip()))
            if name is not None and len(name.key.split(" ")) > 1:
                found.setdefault(acronym_of(match.group(1)), name)
        return found

    @cached_property
    def expansions(self) -> dict[str, Name]:
        """Acronym → a source name it abbreviates (a parenthesised definition, or initials)."""
        found = dict(self.definitions)
        for name in self.names:
            for acronym in initials(name.text):
                found.setdefault(acronym, name)
        return found

    @cached_property
    def acronyms(self) -> dict[str, Name]:
        """Acronyms written in the source (upper-case tokens) → first occurrence."""
        found: dict[str, Name] = {}
        a = self.table
        for i, token in enumerate(a.tokens):
            raw = self._raw(i)
            if token not in found and is_acronym(raw):
                start, end = a.starts[i], a.ends[i]
                found[token] = Name(raw, start, end, token, self.entity_covering(start, end))
        return found

    @cached_property
    def inversions(self) -> list[tuple[Name, tuple[str, ...], str, str]]:
        """Source names "A of B" as "B A" ("Ministry of Health" → "health ministry").

        Each item: the name, its inverted tokens, the head before "of" and
        the first word after it.
        """
        found: list[tuple[Name, tuple[str, ...], str, str]] = []
        for name in self.names:
            tokens = name.key.split(" ")
            for k in range(1, len(tokens) - 1):
                if tokens[k] != "of":
                    continue
                complement = tokens[k + 1 :]
                if complement[0] == "the" and len(complement) > 1:
                    complement = complement[1:]
                found.append((name, (*complement, *tokens[:k]), tokens[k - 1], complement[0]))
        return found

    @cached_property
    def admin_keys(self) -> dict[str, Entity]:
        """Key without administrative words → non-person source entity."""
        found: dict[str, Entity] = {}
        for entity in self.entities:
            if entity.label != "PERSON":
                found.setdefault(" ".join(strip_admin(entity.tokens)), entity)
        return found

    @cached_property
    def demonyms(self) -> dict[str, Entity]:
        """Place/demonym forms of source entities → the entity."""
        found: dict[str, Entity] = {}
        for entity in self.entities:
            if entity.label != "PERSON":
                for form in demonym_forms(entity.key):
                    found.setdefault(form, entity)
        return found


def _name_of(entity: Entity) -> Name:
    return Name(entity.text, entity.start, entity.end, entity.key, entity)


def _occurrence_rule(entity: Entity, occurrence: Name) -> tuple[str, str]:
    """Rule and evidence for a text occurrence (see ``surname`` in the module docstring)."""
    covering = occurrence.entity
    if covering is None:
        return "source-text", (
            f"'{entity.text}' occurs in the source text at {occurrence.start}"
            " (the source's NER did not tag it there)"
        )
    if covering.key == entity.key:
        return "exact", f"'{entity.text}' is in the source as {_name_of(covering).describe()}"
    extra = [token for token in covering.tokens if token not in entity.tokens]
    if extra and all(token in ADMIN_WORDS for token in extra):
        return "admin-suffix", (
            f"'{entity.text}' is the source's {_name_of(covering).describe()} without"
            f" the administrative word(s) {', '.join(extra)}"
        )
    if covering.label == "PERSON" or entity.label == "PERSON":
        return "surname", (
            f"'{entity.text}' is part of the full name {_name_of(covering).describe()}"
            " in the source"
        )
    return "partial", (f"'{entity.text}' is part of the source's {_name_of(covering).describe()}")


def _pick(occurrences: Sequence[Name], label: str) -> Name:
    """Prefer an occurrence inside a source entity of the same label, then any entity."""
    for occurrence in occurrences:
        if occurrence.entity is not None and occurrence.entity.label == label:
            return occurrence
    for occurrence in occurrences:
        if occurrence.entity is not None:
            return occurrence
    return occurrences[0]


def _lookup(index: SourceIndex, key: str, label: str, mention: str) -> tuple[Name | None, str]:
    """A source entity with ``key``, else an accepted text occurrence of it."""
    entity = index.by_key.get(key)
    if entity is not None:
        return _name_of(entity), ""
    found, why = index.occurrences(key.split(" "), mention, label)
    return (_pick(found, label) if found else None), why


def _label_class(label: str | None) -> str:
    if label in _PLACE_LABELS:
        return "place"
    return label or ""


def _similarity(entity: Entity, candidate: Entity) -> float:
    """How close a source entity is to a summary entity, for naming the closest one.

    Half the share of summary words that have a variant in the candidate, half
    string similarity (Jaro–Winkler of the keys, or the mean best word match if
    higher), plus a small bonus for the same kind of entity (person, place, ...).
    """
    words = list(candidate.tokens)
    if all(len(word) == 1 for word in words):
        words = ["".join(words)]  # "u s" is the acronym "us", not two letters
    person = "PERSON" in {entity.label, candidate.label}
    shared = sum(
        any(token_variant(t, u, person=person) is not None for u in words) for t in entity.tokens
    )
    token_scores = [max(jaro_winkler(t, u) for u in words) for t in entity.tokens]
    similar = max(jaro_winkler(entity.key, " ".join(words)), sum(token_scores) / len(token_scores))
    same_kind = _label_class(candidate.label) == _label_class(entity.label)
    return 0.5 * shared / len(entity.tokens) + 0.5 * similar + (0.1 if same_kind else 0.0)


def _closest(entity: Entity, index: SourceIndex) -> tuple[Entity | None, float]:
    """The most similar source entity (see `_similarity`)."""
    best: Entity | None = None
    best_score = -1.0
    for candidate in index.entities:
        score = _similarity(entity, candidate)
        if score > best_score:
            best, best_score = candidate, score
    return best, best_score


def _why_rejected(entity: Entity, candidate: Entity, text_reason: str) -> str:
    """Why the closest source entity does not support the summary entity."""
    person = "PERSON" in {entity.label, candidate.label}
    if is_acronym(entity.text):
        if initials(candidate.text):
            shown = ", ".join(sorted(initials(candidate.text), key=len, reverse=True)[:2])
            return f"its initials are {shown}, not '{acronym_of(entity.text)}'"
        return f"'{entity.text}' is not an acronym of any source name"
    if text_reason and set(entity.tokens) <= set(candidate.tokens):
        return text_reason
    source_tokens = list(candidate.tokens)
    unmatched: list[str] = []
    matched: list[str] = []
    for token in entity.tokens:
        hit = next(
            (u for u in source_tokens if token_variant(token, u, person=person) is not None), None
        )
        if hit is None:
            unmatched.append(token)
        else:
            matched.append(token)
            source_tokens.remove(hit)
    if not unmatched:
        return (
            f"the same words in another order ('{entity.text}' vs '{candidate.text}'),"
            " which is accepted only for people and for 'X of Y' ↔ 'Y X'"
        )
    if matched and unmatched:
        return (
            f"the summary's {', '.join(repr(t) for t in unmatched)} has no counterpart in the"
            f" source name (only {', '.join(repr(t) for t in matched)} matches)"
        )
    if len(entity.tokens) == 1 and len(candidate.tokens) == 1:
        return _why_tokens_differ(entity.tokens[0], candidate.tokens[0], person=person)
    best = max(
        ((t, u) for t in entity.tokens for u in candidate.tokens),
        key=lambda pair: jaro_winkler(pair[0], pair[1]),
    )
    return _why_tokens_differ(best[0], best[1], person=person)


def resolve(
    entity: Entity,
    source_entities: Sequence[Entity] | None = None,
    source_text: str | None = None,
    *,
    index: SourceIndex | None = None,
    compound: bool = True,
) -> Resolution:
    """Decide whether a summary entity is supported by the source.

    Args:
        entity: The summary entity.
        source_entities: The source's entities (ignored when ``index`` is given).
        source_text: The source text (ignored when ``index`` is given).
        index: A prebuilt `SourceIndex` (fast path for many entities of one source).
        compound: Try the ``compound`` rule (off when resolving its parts).

    Returns:
        The `Resolution`; see the module docstring for the rules.

    Raises:
        ValueError: Neither ``index`` nor ``source_text`` is given.
    """
    if index is None:
        if source_text is None:
            raise ValueError("resolve() needs source_text (and source_entities) or an index")
        index = SourceIndex.from_entities(source_entities or (), source_text)
    key, label, mention = entity.key, entity.label, entity.text

    # exact key, then the tokens in the source text
    if key in index.by_key:
        return _supported(
            "exact",
            _name_of(index.by_key[key]),
            f"'{mention}' is in the source as {_name_of(index.by_key[key]).describe()}",
        )
    defined = index.definitions.get(acronym_of(mention)) if is_acronym(mention) else None
    if defined is not None:
        return _supported(
            "acronym",
            defined,
            f"the source introduces '{mention}' as the acronym of {defined.describe()}",
        )
    found, text_reason = index.occurrences(entity.tokens, mention, label)
    if found:
        occurrence = _pick(found, label)
        rule, evidence = _occurrence_rule(entity, occurrence)
        return _supported(rule, occurrence, evidence)

    resolution = _by_rules(entity, index)
    if resolution is None and compound:
        resolution = _by_compound(entity, index)
    if resolution is not None:
        return resolution

    closest, _ = _closest(entity, index)
    if closest is None:
        why = text_reason or "the source has no named entities"
        return Resolution(
            "unsupported",
            None,
            None,
            None,
            None,
            None,
            f"'{mention}' ({label}) is not in the source: {why}",
        )
    return Resolution(
        "unsupported",
        None,
        None,
        None,
        None,
        closest,
        f"'{mention}' ({label}) is not in the source; closest source entity"
        f" {_name_of(closest).describe()} differs: {_why_rejected(entity, closest, text_reason)}",
    )


def _by_rules(entity: Entity, index: SourceIndex) -> Resolution | None:
    return (
        _by_acronym(entity, index)
        or _by_admin(entity, index)
        or _by_demonym(entity, index)
        or _by_alias(entity, index)
        or _by_word_order(entity, index)
        or _by_transliteration(entity, index)
    )


def _same_words(tokens: Sequence[str], other: Sequence[str]) -> bool:
    """Both names have the same words (or person-name variants), in any order."""
    if len(tokens) != len(other):
        return False
    rest = list(other)
    for token in tokens:
        hit = next((u for u in rest if token_variant(token, u, person=True) is not None), None)
        if hit is None:
            return False
        rest.remove(hit)
    return True


def _by_word_order(entity: Entity, index: SourceIndex) -> Resolution | None:
    tokens = entity.tokens
    if len(tokens) < 2:
        return None
    if entity.label == "PERSON":
        for name in index.names:
            words = name.key.split(" ")
            if (
                name.label == "PERSON"
                and _same_words(tokens, words)
                and match_tokens(tokens, words, person=True) is None
            ):
                return _supported(
                    "word-order",
                    name,
                    f"'{entity.text}' is the source's {name.describe()} with given name and"
                    " surname in the other order",
                )
        return None
    for name, inverted, head, complement in index.inversions:
        if head not in tokens or complement not in tokens:
            continue
        pairs = match_tokens(tokens, inverted, person=False)
        if pairs is not None:
            return _supported(
                "word-order",
                name,
                f"'{entity.text}' is the source's {name.describe()} with its words reordered"
                f" ('{head} of {complement}' → '{complement} {head}')",
            )
    return None


#: Rules that support a whole name (not a part of a longer one); a part of a
#: compound must be supported by one of them.
_WHOLE_NAME_RULES = frozenset(
    {"exact", "acronym", "admin-suffix", "demonym", "alias", "word-order", "transliteration"}
)
_QUALIFIER_LABELS = frozenset({"GPE", "NORP", "ORG", "LOC"})


def _part(entity: Entity, start: int, end: int) -> Entity | None:
    """The sub-entity of ``entity`` made of its word tokens ``start:end``."""
    words = word_spans(entity.text)
    if not 0 <= start < end <= len(words):
        return None
    first, last = words[start][1], words[end - 1][2]
    text = entity.text[first:last]
    return Entity(
        text, entity.start + first, entity.start + last, entity.label, normalise_key(text)
    )


def _by_compound(entity: Entity, index: SourceIndex) -> Resolution | None:
    """A qualifier and a name, both in the source: "EU General Court" = "EU" + "General Court"."""
    tokens = entity.tokens
    if entity.label == "PERSON" or len(tokens) < 2:
        return None
    n_words = len(word_spans(entity.text))
    if n_words != len(tokens):
        return None  # a dropped possessive or "the": word positions would not line up
    for k in range(1, len(tokens)):
        if tokens[k - 1] in DIRECTIONS or tokens[k - 1] in FUNCTION_WORDS:
            continue
        left, right = _part(entity, 0, k), _part(entity, k, len(tokens))
        if left is None or right is None or right.key in FUNCTION_WORDS:
            continue
        qualifier = resolve(left, index=index, compound=False)
        if (
            not qualifier.supported
            or qualifier.matched is None
            or qualifier.matched.label not in _QUALIFIER_LABELS
            or qualifier.rule not in _WHOLE_NAME_RULES
        ):
            continue
        head = resolve(right, index=index, compound=False)
        if head.supported and head.rule in _WHOLE_NAME_RULES and head.source_span is not None:
            return Resolution(
                "supported",
                "compound",
                head.matched,
                head.source_span,
                head.source_text,
                None,
                f"'{entity.text}' joins two names of the source: '{left.text}' ({qualifier.rule}:"
                f" {qualifier.evidence}) and '{right.text}' ({head.rule}: {head.evidence})",
            )
    return None


def _by_acronym(entity: Entity, index: SourceIndex) -> Resolution | None:
    if is_acronym(entity.text):
        name = index.expansions.get(acronym_of(entity.text))
        if name is not None:
            return _supported(
                "acronym",
                name,
                f"'{entity.text}' is the acronym of the source's {name.describe()}",
            )
        return None
    for acronym in initials(entity.text):
        name = index.acronyms.get(acronym)
        if name is not None:
            return _supported(
                "acronym",
                name,
                f"'{entity.text}' expands the source's acronym '{name.text}'",
            )
    return None


def _by_admin(entity: Entity, index: SourceIndex) -> Resolution | None:
    if entity.label == "PERSON":
        return None
    stripped = strip_admin(entity.tokens)
    if stripped == entity.tokens:
        return None
    key = " ".join(stripped)
    source = index.admin_keys.get(key)
    name = _name_of(source) if source is not None else None
    if name is None:
        found, _ = index.occurrences(stripped, entity.text, entity.label)
        name = _pick(found, entity.label) if found else None
    if name is None:
        return None
    return _supported(
        "admin-suffix",
        name,
        f"'{entity.text}' and the source's {name.describe()} name the same place once"
        " administrative words (oblast, region, province, ...) are set aside",
    )


def _by_demonym(entity: Entity, index: SourceIndex) -> Resolution | None:
    if entity.label == "PERSON":
        return None
    source = index.demonyms.get(entity.key)
    if source is not None:
        return _supported(
            "demonym",
            _name_of(source),
            f"'{entity.text}' and the source's {_name_of(source).describe()} are a place"
            " and its demonym",
        )
    for form in sorted(demonym_forms(entity.key)):
        name, _ = _lookup(index, form, entity.label, entity.text)
        if name is not None:
            return _supported(
                "demonym",
                name,
                f"'{entity.text}' and the source's {name.describe()} are a place and its demonym",
            )
    return None


def _by_alias(entity: Entity, index: SourceIndex) -> Resolution | None:
    group = _PLACE_ALIAS.get(entity.key)
    if group is None:
        return None
    for alias in sorted(group - {entity.key}):
        name, _ = _lookup(index, alias, entity.label, alias)
        if name is not None:
            return _supported(
                "alias",
                name,
                f"'{entity.text}' and the source's {name.describe()} are names of one place",
            )
    return None


def _by_transliteration(entity: Entity, index: SourceIndex) -> Resolution | None:
    tokens = entity.tokens
    for name in index.names:
        person = "PERSON" in {entity.label, name.label}
        source = name.key.split(" ")
        if name.entity is None:
            # untagged capitalised runs may join several names ("Kenya and Qatar
            # Airways"): the summary name must match a contiguous stretch of one
            n = len(tokens)
            windows = [source[i : i + n] for i in range(len(source) - n + 1)]
            pairs = next(
                (
                    found
                    for window in windows
                    if (found := match_tokens(tokens, window, person=person)) is not None
                ),
                None,
            )
        else:
            pairs = match_tokens(tokens, source, person=person)
        if pairs is None:
            continue
        first = source.index(pairs[0][1])
        if not person and first > 0 and source[first - 1] in DIRECTIONS:
            continue  # part of a longer place name is another place ("Sudan", "South Sudan")
        variants = [f"{a} ~ {b}" for a, b, how in pairs if how != "equal"]
        if not variants:
            return _supported(
                "surname" if person else "partial",
                name,
                f"'{entity.text}' matches the words of the source's {name.describe()}",
            )
        return _supported(
            "transliteration",
            name,
            f"'{entity.text}' matches the source's {name.describe()} as a spelling"
            f" variant ({'; '.join(variants)})",
        )
    return None


__all__ = [
    "ADMIN_WORDS",
    "DEMONYMS",
    "DIRECTIONS",
    "FUNCTION_WORDS",
    "FUZZY_THRESHOLD",
    "GIVEN_NAMES",
    "MIN_FUZZY_LENGTH",
    "MIN_VARIANT_LENGTH",
    "PLACE_ALIASES",
    "Name",
    "Resolution",
    "SourceIndex",
    "Status",
    "acronym_of",
    "demonym_forms",
    "initials",
    "is_acronym",
    "jaro_winkler",
    "match_tokens",
    "phonetic_key",
    "resolve",
    "strip_admin",
    "token_variant",
]

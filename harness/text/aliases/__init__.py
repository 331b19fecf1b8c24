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
    direction word (`DIRECTIONS`: North, South, New, Upper, Democratic, ...)
    before it ("Sudan" is not supported by "South Sudan", "Korea" by "North
    Korea", nor "Republic of the Congo" by "Democratic Republic of the
    Congo"). The guard holds for a mention of any label inside a source
    place entity: the summary's NER may tag "York" as an organisation, and
    the source's "New York" is still another place. Inside a longer
    organisation name it does not apply ("Union" in "Western Union" is
    ``partial``), and a place name with its direction word left out of the
    source text is no different place ("Sudan" in "north Sudan" is
    ``source-text``). Other names match whatever their case: a
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

Layout: `lexicon` (word tables), `spelling` (token variants), `forms` (admin
suffixes, demonyms, acronyms), `records` (`Name`, `Resolution`), `index`
(`SourceIndex`), `rules` (the rules after ``exact`` and the text occurrences)
and `resolve`.
"""

from harness.text.aliases.forms import (
    acronym_of,
    demonym_forms,
    initials,
    is_acronym,
    strip_admin,
)
from harness.text.aliases.index import SourceIndex
from harness.text.aliases.lexicon import (
    ADMIN_WORDS,
    DEMONYMS,
    DIRECTIONS,
    FUNCTION_WORDS,
    GIVEN_NAMES,
    PLACE_ALIASES,
)
from harness.text.aliases.records import Name, Resolution, Status
from harness.text.aliases.resolve import resolve
from harness.text.aliases.spelling import (
    FUZZY_THRESHOLD,
    MIN_FUZZY_LENGTH,
    MIN_VARIANT_LENGTH,
    jaro_winkler,
    match_tokens,
    phonetic_key,
    token_variant,
)

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

"""Word tables of alias resolution: administrative words, direction words,
function words, demonyms, place aliases and given-name transliterations.

Keys are folded (lower case, diacritics removed), like `Entity.key`.
"""

from __future__ import annotations

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

#: Capitalised words that make a different place when put before a place name
#: ("South Sudan", "New York", "Democratic Republic of the Congo").
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
        "democratic",
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

#: Labels of place-like entities (the direction guard, the closest-entity kind).
PLACE_LABELS = frozenset({"GPE", "LOC", "NORP", "FAC"})

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
#: Place key → its group of `PLACE_ALIASES`.
PLACE_ALIAS: dict[str, frozenset[str]] = {key: group for group in PLACE_ALIASES for key in group}

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


__all__ = [
    "ADMIN_WORDS",
    "DEMONYMS",
    "DIRECTIONS",
    "FUNCTION_WORDS",
    "GIVEN_NAMES",
    "PLACE_ALIAS",
    "PLACE_ALIASES",
    "PLACE_LABELS",
]

"""Word tables of a quantity's context: the cue words and nouns that tell what it is of.

`CUE_CLASSES` maps cue words near a number to context classes ("died" -> death,
"exports" -> export, "rose" -> increase); `NOUN_TYPES` gives the type of a counted
noun ("soldiers" -> person); `CONTEXT_AXES` groups the classes into the axes on which
two quantities can conflict, `AXIS_KINDS` says which kinds of quantity each axis
applies to, and `HYPERNYMS` which class covers which others ("casualty" covers death
and injury). The rest are the words that bound a context window or are left out of a
frame. The matching rules are in the README's "Numbers" section.
"""

from __future__ import annotations

from harness.text.quantities.lexicon import word_set

# context classes of cue words near a number
CUE_CLASSES: dict[str, tuple[str, ...]] = {}


def _add_cues(cls: str, *words: str) -> None:
    for word in words:
        CUE_CLASSES[word] = (*CUE_CLASSES.get(word, ()), cls)


_add_cues("death", "killed", "kill", "kills", "killing", "dead", "die", "died", "dies", "dying")
_add_cues("death", "death", "deaths", "perished", "perish", "fatalities", "fatality", "toll")
_add_cues("death", "drowned", "lives", "bodies", "slain", "fatal")
_add_cues("injury", "wounded", "wound", "wounds", "wounding", "injured", "injure", "injuring")
_add_cues("injury", "injuries", "injury", "hurt", "hospitalised", "hospitalized", "hospital")
_add_cues("casualty", "casualties", "casualty")
_add_cues("missing", "missing", "unaccounted")
_add_cues("displaced", "displaced", "fled", "flee", "fleeing", "uprooted", "homeless")
_add_cues("displaced", "evacuated", "evacuate", "evacuation", "refugees")
_add_cues("rescued", "rescued", "rescue", "saved", "alive")
_add_cues("arrested", "arrested", "arrest", "arrests", "detained", "detention")
_add_cues("case", "cases", "infections", "infected", "infection")
_add_cues("affected", "affected")
_add_cues("export", "exports", "export", "exported", "exporting", "outbound")
_add_cues("import", "imports", "import", "imported", "importing", "inbound")
_add_cues("increase", "rose", "rise", "rises", "rising", "risen", "up", "increase", "increased")
_add_cues("increase", "increases", "increasing", "grew", "gained", "gain", "gains", "climbed")
_add_cues("increase", "climb", "jumped", "jump", "surged", "higher", "raised", "raise", "raising")
_add_cues("increase", "strengthened", "firmed", "doubled", "tripled")
_add_cues("decrease", "fell", "fall", "falls", "falling", "fallen", "down", "decrease")
_add_cues("decrease", "decreased", "decline", "declined", "declines", "dropped", "drop", "drops")
_add_cues("decrease", "cut", "cuts", "cutting", "slipped", "lower", "lowered", "lowering")
_add_cues("decrease", "reduced", "reduce", "reducing", "reduction", "shrank", "eased", "slowed")
_add_cues("decrease", "weakened", "plunged", "tumbled", "slumped", "narrowed", "lost")
_add_cues("revenue", "revenue", "revenues", "sales", "turnover")
# a result's sign is what it is of: a profit (a surplus) is not a loss (a deficit); not
# "gain": "sales gains of 5%" is a rise, and would set a profit beside the revenue
_add_cues("profit", "profit", "profits", "earnings", "surplus", "surpluses")
_add_cues("loss", "loss", "losses", "deficit", "deficits")
_add_cues("spending", "spending", "spend", "spent", "expenditure", "expenditures", "expenses")
_add_cues("damaged", "damaged", "damage", "damaging")
_add_cues("destroyed", "destroyed", "destroy", "collapsed", "razed", "flattened")
_add_cues("launched", "launched", "launch", "fired")
_add_cues("total", "total", "totalled", "totaled", "totals", "combined", "overall", "altogether")
_add_cues("total", "together", "cumulative", "aggregate", "sum")
_add_cues("intercepted", "intercepted", "downed", "destroyed")
_add_cues("past", "earlier", "previous", "previously", "ago", "prior", "formerly", "before")
_add_cues("compare", "than", "double", "twice", "triple", "half", "compared", "versus")

# types of counted nouns (the "thing" a count counts); a count of people is not
# a count of buildings. Nouns not listed have no type and never conflict.
NOUN_TYPES: dict[str, str] = {}


def _add_nouns(kind: str, words: str) -> None:
    for word in words.split():
        NOUN_TYPES[word] = kind


_add_nouns(
    "person",
    """people person civilian soldier troop serviceman servicemen worker employee staff child
    kid minor woman man adult resident inhabitant citizen refugee migrant patient firefighter
    rescuer volunteer official voter passenger prisoner hostage detainee student pupil teacher
    nurse doctor medic rebel fighter militant insurgent police policeman officer journalist
    reporter villager miner farmer crew sailor seafarer player runner athlete protester
    demonstrator lawmaker deputy senator observer peacekeeper infant baby pilgrim tourist
    visitor victim survivor customer subscriber fan spectator vaccinator personnel expert
    engineer pilot guard scientist researcher mourner evacuee defector conscript recruit""",
)
_add_nouns(
    "building",
    "building home house dwelling apartment flat structure school hospital church mosque",
)
_add_nouns("settlement", "village town city municipality settlement hamlet")
_add_nouns("country", "country nation")
_add_nouns("vehicle", "vehicle truck car bus tank lorry van")
_add_nouns("vessel", "ship vessel tanker boat ferry freighter")
_add_nouns("aircraft", "aircraft plane jet helicopter airliner")
_add_nouns("weapon", "drone missile rocket shell bomb mine")
_add_nouns("incident", "attack strike raid explosion blast incident aftershock quake earthquake")
_add_nouns("animal", "animal cattle cow sheep goat pig bird rhino elephant deer livestock")


# --- context axes ------------------------------------------------------------------

CONTEXT_AXES: dict[str, frozenset[str]] = {
    "event": frozenset(
        {
            "death",
            "injury",
            "casualty",
            "missing",
            "displaced",
            "rescued",
            "arrested",
            "case",
            "affected",
        }
    ),
    "trade": frozenset({"export", "import"}),
    "damage": frozenset({"damaged", "destroyed"}),
    "attack": frozenset({"launched", "intercepted"}),
    "direction": frozenset({"increase", "decrease"}),
    "finance": frozenset({"revenue", "profit", "loss", "spending"}),
    "thing": frozenset(set(NOUN_TYPES.values())),
}
# which kinds each axis applies to: events are counted; dates, years, durations,
# ordinals and fractions carry no context
_AMOUNTS = frozenset({"count", "money", "percent", "quantity"})
AXIS_KINDS: dict[str, frozenset[str]] = {
    "event": frozenset({"count"}),
    "trade": _AMOUNTS,
    "damage": frozenset({"count"}),
    "attack": frozenset({"count"}),
    "direction": _AMOUNTS,
    "finance": frozenset({"money", "percent"}),
    "thing": frozenset({"count"}),
}
# a class covers itself and these
HYPERNYMS: dict[str, frozenset[str]] = {"casualty": frozenset({"death", "injury"})}

# --- words that bound a context window or frame -------------------------------------

BOUNDARY_WORDS = frozenset({"and", "but", "while", "whereas", "which", "who", "although"})
BOUNDARY_PUNCT = frozenset(',;:()[]{}"“”!?—–…')
# reporting verbs: who reports a number says nothing about what it counts
REPORTING = word_set(
    """reported report reports reporting announced announce announces told tell tells
    added adds stated states noted notes claimed claims estimated estimates showed shows
    confirmed confirms cited cites quoted quotes"""
)
WEEKDAYS = word_set("monday tuesday wednesday thursday friday saturday sunday")
# words that link a quantity to another rather than say what it is of
LINKS = word_set("including include includes included among excluding plus")
# verbs whose "up"/"down" is a particle, not a direction ("set up", "shut down")
PHRASAL = word_set(
    """set sets setting made make makes making took take takes taken picked pick end ended
    ends shored stepped step back backed line lined signed sign built build drew draw drawn
    turned turn showed show called call shut shutting broke broken break bring brought run
    running ran cracked crack handed hand put let tracked track wind winding slowed slow paid
    pay wrote write written settled settle knocked knock closed close start started shot
    shoot shooting gunned scaled scale played play"""
)
DIRECTION_VERBS = frozenset(
    w for w, classes in CUE_CLASSES.items() if "increase" in classes or "decrease" in classes
)
PART_DETERMINERS = frozenset(
    {"the", "them", "those", "these", "whom", "which", "its", "their", "his", "her", "our"}
)
PART_LEADS = frozenset(
    {("of", "whom"), ("of", "which"), ("among", "them"), ("among", "whom"), ("of", "them")}
)

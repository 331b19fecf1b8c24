"""Record the value digests of the model-free metrics' current versions.

Run after bumping a metric's version (``tests/metric/test_metric_versions.py``
asks for it): ``python tools/record_value_digests.py``. A digest already
recorded for a version is never replaced; a differing one is an error, since
the values of a version may not change (bump the version instead). With
``--libraries`` every digest is recorded afresh for the installed library
versions (after upgrading spaCy, say), still refusing a change under a
version whose libraries did not change.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.metric.value_corpus import (
    DIGESTS_FILE,
    MODEL_FREE_METRICS,
    corpus_items,
    library_versions,
    splitter_digest,
    splitting_versions,
    value_digest,
)


def main() -> int:
    """Compute every model-free metric's digest and add the new ones to the file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--libraries",
        action="store_true",
        help="start afresh for the installed library versions",
    )
    args = parser.parse_args()
    libraries = library_versions()
    recorded = (
        json.loads(DIGESTS_FILE.read_text(encoding="utf-8"))
        if DIGESTS_FILE.exists()
        else {"libraries": libraries, "metrics": {}}
    )
    same_libraries = recorded["libraries"] == libraries
    if not same_libraries and not args.libraries:
        print(
            f"the digests were recorded with {recorded['libraries']}, this install has "
            f"{libraries}: pass --libraries to record them afresh",
            file=sys.stderr,
        )
        return 2
    metrics: dict[str, dict[str, str]] = recorded["metrics"] if same_libraries else {}
    items = corpus_items()
    changed = False
    for name in MODEL_FREE_METRICS:
        version, digest = value_digest(name, items)
        known = metrics.setdefault(name, {})
        if known.get(version, digest) != digest:
            print(
                f"{name} version {version}: its values changed; bump its version first",
                file=sys.stderr,
            )
            return 1
        if version not in known:
            known[version] = digest
            changed = True
            print(f"recorded {name} version {version}")
    sentences = recorded.get("sentences") if same_libraries else None
    digest, versions = splitter_digest(items), splitting_versions()
    if sentences is None or sentences["digest"] != digest:
        kept = [
            name
            for name, version in versions.items()
            if sentences is not None and sentences["versions"].get(name) == version
        ]
        if kept:
            print(f"the sentence split changed; bump {', '.join(kept)} first", file=sys.stderr)
            return 1
        recorded["sentences"] = {"digest": digest, "versions": versions}
        changed = True
        print(f"recorded the sentence split with {versions}")
    if changed or not same_libraries:
        DIGESTS_FILE.write_text(
            json.dumps(
                {"libraries": libraries, "metrics": metrics, "sentences": recorded["sentences"]},
                indent=2,
                sort_keys=True,
            )
            + "\n",
            encoding="utf-8",
        )
    else:
        print("every version was recorded already")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How well the rules generalise to boilerplate phrasings they have never seen.

tests/data/phrasebook.tsv is original text written for this project (invented
publications, people and headlines; NOT evaluation data, and written without
looking at the rules): boilerplate lines (expect=remove) in 15 categories and
six languages, plus hard negatives (category=trap, expect=keep) that are real
article prose, answers, subheadings, list items and headlines using the same
words.

Each row is put, as its own paragraph, into a document made of the four
article paragraphs below: once in the middle (after paragraph 2) and once at
the end (after paragraph 4). A row counts as removed when it no longer appears
as a line of ``cleaner.clean(doc).text``. Short button / form-label rows of the
banner-like categories are also tried right after a sentence row of the same
category and language (the context they appear in on a real page). The four
article paragraphs must survive every document.

    .venv/bin/python bench/phrasebook_report.py
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import cleaner

PHRASEBOOK = Path(__file__).resolve().parent.parent / "tests" / "data" / "phrasebook.tsv"

ARTICLE = (
    "Work on the new flood barrier along the Wenmere estuary began on Monday, three years after storm surges "
    "swept through the lower town and forced more than 400 households from their homes for most of a winter.",
    "The barrier, a line of steel gates that can be closed within forty minutes, is expected to cost £38 million. "
    "Engineers say it will protect about 2,600 properties from the kind of tide that is now forecast once a decade.",
    "Not everyone is convinced. Fishermen who moor inside the harbour worry that the gates will silt up the channel, "
    "and a petition asking for an independent study of the currents has gathered nearly 5,000 signatures.",
    "The district council said construction would continue through next summer, with the main road to the quay "
    "closed on weekdays until the end of May, and that a public meeting on the works would be held in the spring.",
)

#: Categories whose short rows (buttons, form labels, dialog headings) are also tested after a sentence row.
CONTEXT_CATEGORIES = ("cookie", "newsletter", "appeal", "subscription", "signin")


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def is_short(text: str) -> bool:
    """A button row, form label or dialog heading: a few words, not a full sentence."""
    return words(text) <= 6 and not text.rstrip().endswith((".", "?"))


def clean_lines(paragraphs: list[str]) -> list[str]:
    return cleaner.clean("\n\n".join(paragraphs) + "\n").text.splitlines()


article_lost: list[tuple[str, str]] = []  # (row text, placement) where an article paragraph disappeared


def removed(row: str, paragraphs: list[str], placement: str) -> bool:
    lines = clean_lines(paragraphs)
    if any(p not in lines for p in ARTICLE):
        article_lost.append((row, placement))
    return row not in lines


def placements(extra: list[str]) -> dict[str, list[str]]:
    a = list(ARTICLE)
    return {"middle": a[:2] + extra + a[2:], "end": a + extra}


def main() -> None:
    with PHRASEBOOK.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))

    results = []  # (row, {"middle": bool, "end": bool})
    for row in rows:
        results.append((row, {where: removed(row["text"], doc, where)
                              for where, doc in placements([row["text"]]).items()}))

    # Anchors for context tests: per (category, lang), the first sentence row removed in both placements
    # (else the first sentence row at all).
    anchors: dict[tuple[str, str], str] = {}
    for row, res in results:
        key = (row["category"], row["lang"])
        if row["category"] in CONTEXT_CATEGORIES and not is_short(row["text"]):
            if key not in anchors or (all(res.values()) and not anchors[key][1]):
                anchors[key] = (row["text"], all(res.values()))
    context = []  # (row, anchor, anchor_removed_alone, {"middle": bool, "end": bool})
    for row, _ in results:
        key = (row["category"], row["lang"])
        if row["category"] in CONTEXT_CATEGORIES and is_short(row["text"]) and key in anchors:
            anchor, anchor_ok = anchors[key]
            res = {where: removed(row["text"], doc, where + "+ctx")
                   for where, doc in placements([anchor, row["text"]]).items()}
            context.append((row, anchor, anchor_ok, res))

    # Per-category table.
    by_cat = defaultdict(list)
    for row, res in results:
        by_cat[row["category"]].append((row, res))
    ctx_by_cat = defaultdict(list)
    for row, _, _, res in context:
        ctx_by_cat[row["category"]].append(res)

    def pct(items, where):
        return f"{100 * sum(r[where] for r in items) / len(items):5.1f}%" if items else "    -"

    print(f"phrasebook: {PHRASEBOOK}  ({len(rows)} rows)\n")
    print(f"{'category':<16}{'rows':>5}{'mid':>8}{'end':>8}   {'ctx rows':>8}{'ctx mid':>9}{'ctx end':>9}")
    total = []
    for cat in sorted(c for c in by_cat if c != "trap"):
        res = [r for _, r in by_cat[cat]]
        total += res
        ctx = ctx_by_cat.get(cat, [])
        print(f"{cat:<16}{len(res):>5}{pct(res, 'middle'):>8}{pct(res, 'end'):>8}   "
              f"{len(ctx) or '':>8}{pct(ctx, 'middle') if ctx else '':>9}{pct(ctx, 'end') if ctx else '':>9}")
    print(f"{'ALL boilerplate':<16}{len(total):>5}{pct(total, 'middle'):>8}{pct(total, 'end'):>8}")
    print("(mid/end: % removed when inserted after paragraph 2 / after paragraph 4; "
          "ctx: short rows placed right after a sentence row of the same category and language)")

    traps = by_cat.get("trap", [])
    wrong = [(row, res) for row, res in traps if any(res.values())]
    print(f"\ntraps: {len(traps)} rows, wrongly removed: {len(wrong)} "
          f"(middle {sum(r['middle'] for _, r in traps)}, end {sum(r['end'] for _, r in traps)})")

    print("\n=== article paragraphs removed ===")
    print("\n".join(f"  [{where}] with row: {text}" for text, where in article_lost) or "  none")

    print("\n=== missed boilerplate (where = placements in which the row survived) ===")
    for row, res in results:
        if row["category"] != "trap" and not all(res.values()):
            where = "+".join(w for w, ok in res.items() if not ok)
            print(f"  {row['category']:<15}{row['lang']:<4}{where:<12}{row['text']}")

    print("\n=== short rows missed even right after a sentence row (anchor, and whether it is removed alone) ===")
    for row, anchor, anchor_ok, res in context:
        if not all(res.values()):
            where = "+".join(w for w, ok in res.items() if not ok)
            flag = "anchor removed alone" if anchor_ok else "anchor NOT removed alone"
            print(f"  {row['category']:<15}{row['lang']:<4}{where:<12}{row['text']!r}  after {anchor!r} ({flag})")

    print("\n=== traps wrongly removed ===")
    for row, res in wrong:
        where = "+".join(w for w, ok in res.items() if ok)
        print(f"  {row['lang']:<4}{where:<12}{row['text']}")
    if not wrong:
        print("  none")


if __name__ == "__main__":
    main()

"""Clean every file of a folder into another: the --batch-cmd for ../shared/score.py.

    python ../shared/score.py --track recall --batch-cmd "python bench/run_batch.py {in} {out}"
"""

import sys
from pathlib import Path

import cleaner


def main(source: str, target: str, *options: str) -> None:
    pipeline = cleaner.Pipeline(**{option.lstrip("-").replace("-", "_"): True for option in options})
    Path(target).mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(source).iterdir()):
        result = pipeline.clean(path.read_bytes())
        (Path(target) / (path.stem + ".txt")).write_text(result.text, encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])

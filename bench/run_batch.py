"""Clean every file of a folder into another: the --batch-cmd for ../shared/score.py.

    python ../shared/score.py --track recall --batch-cmd "python bench/run_batch.py {in} {out}"

Options after the folders are CleanerConfig fields: ``--drop-captions`` sets a
flag, ``--skip=classify`` leaves a stage out.
"""

import sys
from pathlib import Path

import cleaner


def pipeline_for(options: list[str]) -> cleaner.Pipeline:
    skipped = {opt.split("=", 1)[1] for opt in options if opt.startswith("--skip=")}
    flags = {
        opt.lstrip("-").replace("-", "_"): True for opt in options if not opt.startswith("--skip=")
    }
    stages = tuple(s for s in cleaner.STAGE_NAMES if s not in skipped)
    return cleaner.Pipeline(stages=stages, **flags)


def main(source: str, target: str, *options: str) -> None:
    pipeline = pipeline_for(list(options))
    Path(target).mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(source).iterdir()):
        result = pipeline.clean(path.read_bytes())
        (Path(target) / (path.stem + ".txt")).write_text(result.text, encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])

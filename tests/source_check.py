"""What the source-tree checks (check_layers.py, check_sizes.py) share: planting files for their
self-tests, and how they run and report."""
import pathlib
import sys


def plant(root, files):
    """Writes {relative path: text} under `root`."""
    for name, text in files.items():
        path = pathlib.Path(root) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def run_check(problems_in, self_test, failure, success):
    """`check.py --self-test` runs self_test(); `check.py [ROOT]` prints each problem of the tree
    (default: the checkout this file is in) and `failure` (with {count}) or `success`."""
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent
    problems = problems_in(root)
    for problem in problems:
        print(problem)
    if problems:
        print(failure.format(count=len(problems)))
        return 1
    print(success)
    return 0

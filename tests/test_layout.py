"""The tests' own layout: no test module or conftest imports another; what they share is in tests.support.

Fixtures reach tests through conftest.py files, never by import, so moving a test never breaks another.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SHARED = "tests.support"


def _package(path: Path) -> str:
    """The package a file's relative imports start from: ``tests/e2e/test_relay.py`` → ``tests.e2e``."""
    return ".".join(path.relative_to(TESTS.parent).parent.parts)


def _imported(source: str, package: str) -> Iterator[tuple[int, str]]:
    """(line, absolute name) of everything ``source`` imports, relative imports resolved in ``package``.

    ``from X import y`` gives ``X.y``: y may be a module (``from tests import conftest``) or a name in X,
    and either way it comes from X's package.
    """
    parts = package.split(".")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(parts[: len(parts) - node.level + 1]) if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"


def _forbidden(name: str) -> bool:
    """A name from the tests package other than from tests.support."""
    in_tests = name == "tests" or name.startswith("tests.")
    return in_tests and not (name == SHARED or name.startswith(f"{SHARED}."))


def test_test_modules_import_only_the_support_package() -> None:
    files = sorted(TESTS.rglob("*.py"))
    offences = [
        f"{path.relative_to(TESTS.parent)}:{line} imports {name}"
        for path in files
        for line, name in _imported(path.read_text(encoding="utf-8"), _package(path))
        if _forbidden(name)
    ]
    assert len(files) > 100, "the walk found too few test files to mean anything"
    assert offences == [], "move what is shared into tests/support/:\n" + "\n".join(offences)


def test_every_spelling_of_an_import_between_tests_is_seen() -> None:
    source = (
        "import tests.e2e.test_relay\n"
        "from tests.conftest import SEED\n"
        "from tests import conftest\n"
        "from ...e2e.test_relay import upload\n"
        "from . import test_csv\n"
        "from tests import support\n"
        "from ...support.paths import ROOT\n"
        "import tests.support.stack\n"
    )
    names = [name for _, name in _imported(source, "tests.workers.parsing")]
    assert [name for name in names if _forbidden(name)] == [
        "tests.e2e.test_relay",
        "tests.conftest.SEED",
        "tests.conftest",
        "tests.e2e.test_relay.upload",
        "tests.workers.parsing.test_csv",
    ]
    assert names[5:] == ["tests.support", "tests.support.paths.ROOT", "tests.support.stack"]

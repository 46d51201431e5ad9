"""Every rendering of the corpus: the ``RENDERINGS`` of each ``render_*`` module, names unique."""

from __future__ import annotations

import importlib
import pkgutil

import tests.support.corpus
from tests.support.corpus import Rendering


def _renderings() -> list[Rendering]:
    found: list[Rendering] = []
    for module in pkgutil.iter_modules(tests.support.corpus.__path__):
        if module.name.startswith("render_"):
            found += importlib.import_module(f"tests.support.corpus.{module.name}").RENDERINGS
    names = [rendering.name for rendering in found]
    assert len(names) == len(set(names)), "rendering names must be unique"
    return found


RENDERINGS = _renderings()

"""Packages whose public names are imported on first use (PEP 562).

``import tidings.cli`` (for ``tidings --help``) or a stage that needs one
reader must not load trafilatura, httpx or the whole pipeline with it. A
package lists where each public name lives and calls :func:`make_lazy`.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Mapping
from typing import Any


class _LazyPackage(types.ModuleType):
    """Hands out the function when a public function shares its name with a submodule (``tidings.clean``,
    ``tidings.ingest.fetch``): importing the submodule binds the module on the package, shadowing it."""

    _lazy_exports: Mapping[str, str]

    def __getattribute__(self, name: str) -> Any:
        value = super().__getattribute__(name)
        if name.startswith("_lazy") or not isinstance(value, types.ModuleType):
            return value
        if name in self._lazy_exports:  # a public name, bound to the submodule of the same name
            value = getattr(importlib.import_module(self._lazy_exports[name]), name)
            setattr(self, name, value)
        return value

    def __getattr__(self, name: str) -> Any:
        module = self._lazy_exports.get(name)
        if module is None:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(self, name, value)  # later lookups find it directly
        return value

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._lazy_exports))


def make_lazy(name: str, exports: Mapping[str, str]) -> None:
    """Make package ``name`` import each of ``exports`` (public name -> module) when first used."""
    package = sys.modules[name]
    package.__class__ = _LazyPackage
    package._lazy_exports = dict(exports)  # type: ignore[attr-defined]

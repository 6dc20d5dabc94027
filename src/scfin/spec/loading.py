"""Where a model comes from: the catalogue, a user's file, a module, or an installed plugin.

A model reference is

* a catalogue id (``repurchase``);
* a file of the user's and the name of a :class:`~scfin.spec.models.Model`
  in it, ``PATH.py:NAME`` (``examples/trade_credit.py:model``);
* an importable module and a name, ``package.module:NAME``;
* the name of an entry point in the group ``scfin.models`` that an installed
  package declares (its value is ``package.module:NAME``).

A user's file is code the user chose to run: it is imported by path, as
Python tools import a plugin or a test file (nothing in it is parsed as an
expression by scfin).  It is imported once per process, under a module name
derived from its absolute path, so worker processes that load the same
reference get the same model and the cache keys (which carry the digest of
the file's source) agree.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from importlib import metadata
from pathlib import Path

from scfin.spec.models import CATALOGUE, Model

ENTRY_POINT_GROUP = "scfin.models"


class ModelLoadError(ValueError):
    """A model reference that names no model; the message says why, in one line."""


def _module_name(path: Path) -> str:
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:12]
    stem = "".join(ch if ch.isalnum() else "_" for ch in path.stem)
    return f"scfin_user_{stem}_{digest}"


def _import_file(path_text: str):
    path = Path(path_text).expanduser().resolve()
    if not path.is_file():
        raise ModelLoadError(f"no such model file: {path_text}")
    name = _module_name(path)
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ModelLoadError(f"cannot import {path_text}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # the user's code failed: say where, in one line
        del sys.modules[name]
        raise ModelLoadError(f"cannot import {path_text}: {type(exc).__name__}: {_first_line(exc)}") from None
    return module


def _import_module(module_name: str):
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise ModelLoadError(f"no module named {exc.name!r} (model reference {module_name!r})") from None
    except Exception as exc:
        raise ModelLoadError(f"cannot import {module_name}: {type(exc).__name__}: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else ""


def _attribute(module, name: str, where: str) -> Model:
    if not hasattr(module, name):
        raise ModelLoadError(f"{where} does not define {name!r} (expected a scfin Model)")
    value = getattr(module, name)
    if not isinstance(value, Model):
        raise ModelLoadError(f"{where}:{name} is a {type(value).__name__}, not a scfin Model")
    return value


def plugins() -> dict[str, str]:
    """Installed plugins: entry-point name -> its ``module:NAME`` value, sorted by name."""
    found = {ep.name: ep.value for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}
    return dict(sorted(found.items()))


def load_model(ref: "str | Model") -> Model:
    """The model a reference names (see the module docstring); a :class:`Model` is returned as given.

    Raises :class:`ModelLoadError` with one line saying what is wrong.
    """
    if isinstance(ref, Model):
        return ref
    if not isinstance(ref, str) or not ref.strip():
        raise ModelLoadError("a model reference must be a catalogue id, PATH.py:NAME or module:NAME")
    ref = ref.strip()
    if ref in CATALOGUE:
        return CATALOGUE[ref]
    if ":" in ref:
        where, _, name = ref.rpartition(":")
        if not name.isidentifier():
            raise ModelLoadError(f"model reference {ref!r}: {name!r} after ':' is not a Python name")
        if where.endswith(".py") or "/" in where or "\\" in where:
            return _attribute(_import_file(where), name, where)
        return _attribute(_import_module(where), name, where)
    found = plugins()
    if ref in found:
        module, _, name = found[ref].partition(":")
        return _attribute(_import_module(module), name or "model", found[ref])
    if ref.endswith(".py"):
        raise ModelLoadError(f"model reference {ref!r}: name the model in the file, as {ref}:NAME")
    raise ModelLoadError(f"unknown model {ref!r}: run 'scfin models' for the list, or give PATH.py:NAME")

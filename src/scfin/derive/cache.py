"""On-disk cache of symbolic derivations.

The key is deterministic: the model's text form, the demand, the decisions
optimised, the shadow point that fixed the region structure, and the
versions of scfin and SymPy.  Values are pickled SymPy expressions (never
lambdified functions, which are rebuilt lazily).  ``SCFIN_NO_CACHE=1`` turns
the cache off; ``SCFIN_CACHE_DIR`` moves it (default ``~/.cache/scfin``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import sympy as sp

from scfin import __version__

_MEMORY: dict[str, Any] = {}


def enabled() -> bool:
    return os.environ.get("SCFIN_NO_CACHE", "") not in ("1", "true", "yes")


def directory() -> Path:
    return Path(os.environ.get("SCFIN_CACHE_DIR") or Path.home() / ".cache" / "scfin")


#: modules whose text decides what a derivation is; a change to any of them
#: invalidates the cache even without a version bump
_ENGINE_MODULES = ("derive/algebra", "spec/clauses", "spec/demand", "derive/engine", "results", "derive/expectation",
                   "spec/models", "spec/notation", "numeric/profits", "derive/outcome", "solve", "numeric/stackelberg")


@lru_cache(maxsize=1)
def engine_digest() -> str:
    h = hashlib.sha256()
    here = Path(__file__).parent.parent
    for name in _ENGINE_MODULES:
        # a module, or a package (every file of it, in sorted order)
        files = [here / f"{name}.py"] if (here / f"{name}.py").exists() else sorted((here / name).rglob("*.py"))
        for path in files:
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def package_digest() -> str:
    """Digest of every module of the package: keys results (claims, the zone)
    whose code lives outside the engine modules."""
    h = hashlib.sha256()
    here = Path(__file__).parent.parent
    for path in sorted(here.rglob("*.py")):
        h.update(str(path.relative_to(here)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def make_key(*parts: object) -> str:
    text = "\n".join(str(p) for p in parts)
    text += f"\nscfin={__version__}\nsympy={sp.__version__}\nengine={engine_digest()}"
    return hashlib.sha256(text.encode()).hexdigest()


def cached(key: str, compute: Callable[[], Any]) -> Any:
    """The value stored under ``key``, computed and stored on a miss."""
    if key in _MEMORY:
        return _MEMORY[key]
    path = directory() / f"{key}.pickle"
    if enabled() and path.exists():
        try:
            with path.open("rb") as fh:
                value = pickle.load(fh)
            _MEMORY[key] = value
            return value
        except Exception:  # a stale or truncated entry: derive again
            pass
    # Return the round-tripped copy, not the computed object: SymPy rebuilds
    # expressions canonically when unpickling (Rational * Add distributes,
    # unevaluated relations evaluate), so a fresh and a cached result would
    # otherwise print differently and reports would differ between runs.
    data = pickle.dumps(compute(), protocol=pickle.HIGHEST_PROTOCOL)
    value = pickle.loads(data)
    _MEMORY[key] = value
    if enabled():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError:
            pass
    return value


def stored(key: str) -> bool:
    """Whether a value is stored under ``key`` (in memory, or on disk with the cache on)."""
    return key in _MEMORY or (enabled() and (directory() / f"{key}.pickle").exists())


def clear_memory() -> None:
    _MEMORY.clear()

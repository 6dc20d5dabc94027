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


#: the layers whose text decides what a derivation or an equilibrium is; a
#: change to any of their files invalidates the cache even without a version bump
_ENGINE_PARTS = ("spec", "derive", "numeric", "results.py", "solver.py")


@lru_cache(maxsize=1)
def engine_digest() -> str:
    h = hashlib.sha256()
    here = Path(__file__).parent.parent
    for part in _ENGINE_PARTS:
        paths = sorted((here / part).rglob("*.py")) if (here / part).is_dir() else [here / part]
        for path in paths:
            h.update(str(path.relative_to(here)).encode())
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


#: SymPy types stored by their arguments and rebuilt without evaluation (exact types, not subclasses)
_AS_BUILT = (sp.Add, sp.Mul, sp.Pow, sp.Eq, sp.Ne, sp.Lt, sp.Le, sp.Gt, sp.Ge)


def _as_built(cls, args):
    """Rebuild a stored expression node as it was: its arguments are already canonical."""
    return cls(*args, evaluate=False)


class _Pickler(pickle.Pickler):
    """Pickles sums, products, powers and relations as their arguments, to be rebuilt without evaluation.

    SymPy's own pickles rebuild every node through its constructor, which
    flattens, sorts and evaluates again (asking assumptions of every
    relation): most of the time of reading an entry.  An entry is stored
    after one ordinary round trip (see :func:`cached`), so its nodes are
    canonical already and rebuilding them as they are gives the same
    expression, about twenty times faster.
    """

    def reducer_override(self, obj):
        cls = type(obj)
        if cls in _AS_BUILT:
            return (_as_built, (cls, obj.args))
        return NotImplemented


def _dumps(value: Any) -> bytes:
    import io

    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buf.getvalue()


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
    # otherwise print differently and reports would differ between runs.  The
    # canonical copy is what is stored, node by node as built (_Pickler).
    value = pickle.loads(pickle.dumps(compute(), protocol=pickle.HIGHEST_PROTOCOL))
    _MEMORY[key] = value
    if enabled():
        try:
            data = _dumps(value)
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

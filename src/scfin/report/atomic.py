"""Atomic file writes: a temp file in the target directory, then ``os.replace``.

A reader never sees a half-written report, figure or JSON file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def write_text(path: str | os.PathLike, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def copy_file(src: str | os.PathLike, dst: str | os.PathLike) -> Path:
    return write_bytes(dst, Path(src).read_bytes())


def figure_bytes(fig) -> tuple[bytes, bytes]:
    """``fig`` as PDF (vector) and PNG bytes, reproducibly.

    PDF: no creation date, so two runs give identical bytes.  PNG: no
    timestamp is written by Agg; byte identity across machines is best-effort
    (fonts and library versions).
    """
    import io

    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    # ``fig.tight_layout()`` has placed the axes and leaves a placeholder
    # layout engine, which makes every savefig lay the figure out again; so
    # would ``bbox_inches="tight"``.  Drop the placeholder and compute the
    # tight box once for both formats (half of the saving time).
    bbox = "tight"
    get_renderer = getattr(fig.canvas, "get_renderer", None)  # Agg (what scfin draws with)
    if get_renderer is not None:
        if isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine):
            fig.set_layout_engine(None)
        bbox = fig.get_tightbbox(get_renderer()).padded(0.1)
    out = []
    for ext, kw in (("pdf", {"metadata": {"CreationDate": None, "Creator": None, "Producer": None}}),
                    ("png", {"dpi": 150, "metadata": {"Software": None}})):
        buf = io.BytesIO()
        fig.savefig(buf, format=ext, bbox_inches=bbox, **kw)
        out.append(buf.getvalue())
    return out[0], out[1]


def write_figure(stem: str | os.PathLike, data: tuple[bytes, bytes]) -> tuple[Path, Path]:
    """Write :func:`figure_bytes` output as ``stem.pdf`` and ``stem.png``, atomically."""
    stem = Path(stem)
    return write_bytes(stem.with_suffix(".pdf"), data[0]), write_bytes(stem.with_suffix(".png"), data[1])


def savefig(fig, stem: str | os.PathLike) -> tuple[Path, Path]:
    """Save ``fig`` as ``stem.pdf`` (vector) and ``stem.png``, atomically and reproducibly."""
    return write_figure(stem, figure_bytes(fig))

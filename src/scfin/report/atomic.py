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

    Saved at the figure's size (the printed size).  PDF: fonts as TrueType
    (``pdf.fonttype`` 42), no creation date, so two runs give identical bytes.  PNG: no
    timestamp is written by Agg; byte identity across machines is best-effort
    (fonts and library versions).
    """
    import io

    # the figure is saved at its own size (its printed size in the report: no
    # tight box, which would change it); the layout engine places the axes
    # once, on this draw, and is then dropped so that neither save lays the
    # figure out again
    get_renderer = getattr(fig.canvas, "get_renderer", None)  # Agg (what scfin draws with)
    if get_renderer is not None:
        fig.canvas.draw()
        fig.set_layout_engine("none")
    out = []
    for ext, kw in (("pdf", {"metadata": {"CreationDate": None, "Creator": None, "Producer": None}}),
                    ("png", {"dpi": 150, "metadata": {"Software": None}})):
        buf = io.BytesIO()
        fig.savefig(buf, format=ext, **kw)
        out.append(buf.getvalue())
    return out[0], out[1]


def write_figure(stem: str | os.PathLike, data: tuple[bytes, bytes]) -> tuple[Path, Path]:
    """Write :func:`figure_bytes` output as ``stem.pdf`` and ``stem.png``, atomically."""
    stem = Path(stem)
    return write_bytes(stem.with_suffix(".pdf"), data[0]), write_bytes(stem.with_suffix(".png"), data[1])


def savefig(fig, stem: str | os.PathLike) -> tuple[Path, Path]:
    """Save ``fig`` as ``stem.pdf`` (vector) and ``stem.png``, atomically and reproducibly."""
    return write_figure(stem, figure_bytes(fig))

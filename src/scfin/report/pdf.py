"""The report's PDF: pdflatex in a temporary directory, copied atomically."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from scfin.report import atomic


#: pdflatex passes at most: the contents and cross-references settle in three
MAX_LATEX_PASSES = 5


def compile_pdf(tex_text: str, fig_dir: Path, pdf_path: Path, bib: str | None = None,
                log_path: Path | None = None) -> tuple[bool, str]:
    """Compile in a temp dir and copy the PDF atomically.

    ``pdflatex`` runs until its auxiliary files (``.aux``, ``.toc``) stop
    changing, so the page numbers in the contents are the final ones.  This
    is what latexmk does, but latexmk also looks at file times, and on this
    report it sometimes stopped one pass early (a contents page numbered as
    before the contents existed): the same document gave two different PDFs.

    ``bib``: the text of ``references.bib``; with it (and ``bibtex``
    installed) bibtex runs after the first pass, on the ``.aux`` only, so its
    output depends on the document and the bibliography alone.
    ``log_path``: where to copy the final LaTeX log (the tests read it).
    """
    pdflatex = shutil.which("pdflatex")
    if not pdflatex:
        return None, "pdflatex is not installed: PDF skipped"
    from scfin.derive import cache

    bibtex = shutil.which("bibtex") if bib is not None else None
    # a warm run compiles nothing: the PDF of the same document, bibliography, figures and TeX binaries
    key = cache.make_key("report-pdf", tex_text, bib, _tree_digest(fig_dir), _binary(pdflatex), _binary(bibtex),
                         MAX_LATEX_PASSES)
    try:
        pdf, log = cache.cached(key, lambda: _compile(tex_text, fig_dir, bib, pdflatex, bibtex))
    except _Failed as exc:  # a failure is not cached: the next run tries again
        return False, str(exc)
    if log_path is not None:
        atomic.write_text(log_path, log)
    atomic.write_bytes(pdf_path, pdf)
    return True, ""


class _Failed(Exception):
    """LaTeX or BibTeX failed; the message is the one-line reason."""


def _binary(path: str | None) -> str:
    if path is None:
        return "none"
    st = os.stat(path)
    return f"{path}:{st.st_size}:{int(st.st_mtime)}"


def _tree_digest(root: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    if root.exists():
        for f in sorted(root.rglob("*")):
            if f.is_file():
                h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def _compile(tex_text: str, fig_dir: Path, bib: str | None, pdflatex: str, bibtex: str | None) -> tuple[bytes, str]:
    """The PDF's bytes and the final log, compiled in a temporary directory; raises :class:`_Failed`."""
    with tempfile.TemporaryDirectory(prefix="scfin-tex-") as tmp:
        tmp = Path(tmp)
        (tmp / "scfin-report.tex").write_text(tex_text, encoding="utf-8")
        if bib is not None:
            (tmp / "references.bib").write_text(bib, encoding="utf-8")
        if fig_dir.exists():
            shutil.copytree(fig_dir, tmp / "figures")
        cmd = [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "scfin-report.tex"]
        # a fixed date (pdfTeX honours SOURCE_DATE_EPOCH): the same document
        # gives the same PDF bytes on every run
        env = {**os.environ, "SOURCE_DATE_EPOCH": "0", "FORCE_SOURCE_DATE": "1"}
        previous = None
        for npass in range(MAX_LATEX_PASSES):
            try:
                proc = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=240, env=env)
            except subprocess.TimeoutExpired:
                raise _Failed("LaTeX timed out")
            if proc.returncode != 0:
                log = (tmp / "scfin-report.log")
                text = log.read_text(errors="replace") if log.exists() else proc.stdout
                errors = [ln for ln in text.splitlines() if ln.startswith("!")]
                raise _Failed("LaTeX errors: " + ("; ".join(errors[:5]) or f"exit {proc.returncode}"))
            if npass == 0 and bibtex:
                try:
                    bproc = subprocess.run([bibtex, "scfin-report"], cwd=tmp, capture_output=True, text=True,
                                           timeout=60, env=env)
                except subprocess.TimeoutExpired:
                    raise _Failed("BibTeX timed out")
                if bproc.returncode != 0:
                    raise _Failed("BibTeX errors: " + " ".join(bproc.stdout.splitlines()[-3:]))
            state = tuple((tmp / f"scfin-report.{ext}").read_bytes() if (tmp / f"scfin-report.{ext}").exists()
                          else None for ext in ("aux", "toc", "bbl"))
            if state == previous:
                break
            previous = state
        else:
            raise _Failed(f"LaTeX cross-references did not settle in {MAX_LATEX_PASSES} passes")
        log = (tmp / "scfin-report.log").read_text(errors="replace")
        errors = [ln for ln in log.splitlines() if ln.startswith("!")]
        if errors:
            raise _Failed("LaTeX errors: " + "; ".join(errors[:5]))
        return (tmp / "scfin-report.pdf").read_bytes(), log

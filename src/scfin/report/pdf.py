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
    with tempfile.TemporaryDirectory(prefix="scfin-tex-") as tmp:
        tmp = Path(tmp)
        (tmp / "scfin-report.tex").write_text(tex_text, encoding="utf-8")
        bibtex = shutil.which("bibtex") if bib is not None else None
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
                return False, "LaTeX timed out"
            if proc.returncode != 0:
                log = (tmp / "scfin-report.log")
                text = log.read_text(errors="replace") if log.exists() else proc.stdout
                errors = [ln for ln in text.splitlines() if ln.startswith("!")]
                return False, "LaTeX errors: " + ("; ".join(errors[:5]) or f"exit {proc.returncode}")
            if npass == 0 and bibtex:
                try:
                    bproc = subprocess.run([bibtex, "scfin-report"], cwd=tmp, capture_output=True, text=True,
                                           timeout=60, env=env)
                except subprocess.TimeoutExpired:
                    return False, "BibTeX timed out"
                if bproc.returncode != 0:
                    return False, "BibTeX errors: " + " ".join(bproc.stdout.splitlines()[-3:])
            state = tuple((tmp / f"scfin-report.{ext}").read_bytes() if (tmp / f"scfin-report.{ext}").exists()
                          else None for ext in ("aux", "toc", "bbl"))
            if state == previous:
                break
            previous = state
        else:
            return False, f"LaTeX cross-references did not settle in {MAX_LATEX_PASSES} passes"
        log = (tmp / "scfin-report.log").read_text(errors="replace")
        if log_path is not None:
            atomic.write_text(log_path, log)
        errors = [ln for ln in log.splitlines() if ln.startswith("!")]
        if errors:
            return False, "LaTeX errors: " + "; ".join(errors[:5])
        atomic.copy_file(tmp / "scfin-report.pdf", pdf_path)
    return True, ""

"""Shared narration for the derivation scripts: print a step, collect its LaTeX.

Each chapter script tells its derivation with the library (solve, the
equilibrium's first-order conditions, closed forms, checks); this module only
prints and writes.  Output directory: first argument, else ``SCFIN_DERIVATIONS_OUT``,
else a fresh temporary directory (never the repository).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import sympy as sp

from scfin.render.latex import equilibrium_document_fragment, latex, tex_escape
from scfin.render.text import equilibrium_text
from scfin.report.atomic import write_text


class Appendix:
    def __init__(self, chapter: str, title: str):
        self.chapter, self.title = chapter, title
        self.parts = [f"\\section*{{{tex_escape(title)}}}"]
        print(f"== {title} ==")

    def say(self, text: str) -> None:
        print(text)
        self.parts.append(tex_escape(text) + "\n")

    def show(self, name: str, expr) -> None:
        print(f"  {name} = {sp.sstr(expr)}")
        self.parts.append(f"\\[ {name} = {latex(expr)} \\]")

    def equilibrium(self, eq) -> None:
        print(equilibrium_text(eq))
        self.parts.append(equilibrium_document_fragment(eq))

    def first_order(self, eq) -> None:
        for player, cond in eq.first_order:
            print(f"  first-order condition ({player}): {sp.sstr(cond)}")
            self.parts.append(f"\\noindent {tex_escape(player)}: \\[ {latex(cond, paper=False)} \\]")

    def check(self, text: str, ok: bool) -> None:
        print(f"  check: {text}: {'ok' if ok else 'FAILED'}")
        self.parts.append(f"\\noindent Check: {tex_escape(text)}: {'ok' if ok else 'FAILED'}.\n")
        if not ok:
            raise SystemExit(f"check failed: {text}")

    def write(self) -> Path:
        out = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SCFIN_DERIVATIONS_OUT")
                   or tempfile.mkdtemp(prefix="scfin-derivations-"))
        path = write_text(out / f"{self.chapter}.tex", "\n".join(self.parts) + "\n")
        print(f"wrote {path}")
        return path


def zero(expr) -> bool:
    """Exact identity check: ``simplify(expr) == 0``."""
    expr = sp.sympify(expr)
    return (sp.cancel(expr) == 0) if expr.is_rational_function() else sp.simplify(expr) == 0

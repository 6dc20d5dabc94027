"""LaTeX of a comparative-statics table (:class:`scfin.claims.statics.StaticsTable`), as a paper prints it.

Rows are the equilibrium quantities, columns the symbolic parameters; a cell is
``+``, ``-``, ``0``, ``\\pm`` (depends on the region) or ``?`` (open).  A weak,
region-dependent or open entry carries a note below the table: the exact
region, the counterexamples (exact numbers), the reason.
"""

from __future__ import annotations

import re


from scfin.render.latex import NAME_LATEX, latex, tex_escape
from scfin.spec.notation import REGISTRY, sym

_CELL = {"+": "$+$", "-": "$-$", "0": "$0$", "depends": r"$\pm$", "open": "?"}


def _quantity(name: str) -> str:
    if name in NAME_LATEX:
        return f"${NAME_LATEX[name]}$"
    if name in REGISTRY:
        return f"${latex(sym(name), paper=False)}^{{*}}$"
    return tex_escape(name)


def _parameter(name: str) -> str:
    if name in REGISTRY:
        return f"${latex(sym(name), paper=False)}$"
    return tex_escape(name)


def _grouped(e) -> bool:
    """An open entry whose only content is its reason and a numeric hint (no counterexample, no note)."""
    return e.sign == "open" and not e.note and not e.counterexamples and e.region.startswith("undecided: ")


def _hint_sign(hint: str) -> str | None:
    m = re.match(r"numeric sign ([+0-]) ", hint or "")
    return m.group(1) if m else None


def _point(w) -> str:
    return ", ".join(f"${latex(sym(k), paper=False) if k in REGISTRY else tex_escape(k)} = {latex(v, paper=False)}$"
                     for k, v in w.values)


def statics_latex(table) -> str:
    """A ``tabular`` of signs with its notes (weak signs, regions, counterexamples, reasons)."""
    cols = "l" + "c" * len(table.parameters)
    lines = [r"\begin{table}[htbp]", r"\centering",
             rf"\caption{{Comparative statics: {tex_escape(table.title)}}}",
             rf"\begin{{tabular}}{{{cols}}}", r"\hline",
             " & ".join([""] + [_parameter(p) for p in table.parameters]) + r" \\", r"\hline"]
    cells = {(e.quantity, e.parameter): e for e in table.entries}
    notes = []
    # open entries for one shared reason (no closed form, say) share one note; each cell shows the sign of
    # its finite difference at the worked numbers in parentheses, as evidence
    shared: dict[str, int] = {}
    for q in table.quantities:
        row = [_quantity(q)]
        for p in table.parameters:
            e = cells[(q, p)]
            cell = _CELL[e.sign]
            if _grouped(e):
                if e.region not in shared:
                    notes.append(e)
                    shared[e.region] = len(notes)
                hint = _hint_sign(e.numeric_hint)
                cell += rf"\textsuperscript{{{shared[e.region]}}}" + (rf"\,(${hint}$)" if hint else "")
            elif e.note or e.sign in ("depends", "open"):
                notes.append(e)
                cell += rf"\textsuperscript{{{len(notes)}}}"
            row.append(cell)
        lines.append(" & ".join(row) + r" \\")
    lines += [r"\hline", r"\end{tabular}"]
    body = []
    if table.notes:
        body.append(tex_escape(table.notes[0]) + ".")
    body.append(r"Each entry is the sign of $\partial(\text{row})/\partial(\text{column})$ at the equilibrium, "
                r"proved on the whole region (the parameters' admissible ranges and the regime conditions) "
                r"unless marked; $\pm$: both signs occur; ?: not decided.")
    for n, e in enumerate(notes, 1):
        if _grouped(e):
            text = rf"\textsuperscript{{{n}}}~" + tex_escape(e.region)
            at = re.search(r" at (.*): not a proof", e.numeric_hint or "")
            if at:
                text += ("; in parentheses the sign of a finite difference at " + tex_escape(at.group(1))
                         + ", evidence, not a proof")
            body.append(text + ".")
            continue
        text = rf"\textsuperscript{{{n}}}~{_quantity(e.quantity)} in {_parameter(e.parameter)}: "
        if e.note:
            text += tex_escape(e.note)
        elif e.sign == "depends":
            text += tex_escape(e.region)
        else:
            text += tex_escape(e.region)
        for w in e.counterexamples:
            (name, val), = w.observed[:1] or ((None, None),)
            if name is not None:
                text += rf"; at {_point(w)} the derivative is ${latex(val, paper=False)}$"
        if e.numeric_hint:
            text += "; " + tex_escape(e.numeric_hint)
        body.append(text + ".")
    lines.append(r"\par\smallskip\footnotesize " + r"\\ ".join(body))
    lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"

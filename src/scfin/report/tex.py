"""The LaTeX article of ``scfin reproduce``: a rendering of results, no formulas typed.

Sections: notation (from the registry), one section per model (clauses from
the clause docstrings, timing, closed forms, regime), claims (status,
assumptions, proof steps or counterexample), tables at the defaults
(booktabs), the Pareto zone, figures.
"""

from __future__ import annotations

from typing import Sequence

import sympy as sp

from scfin.render.latex import PREAMBLE, claim_latex, equilibrium_document_fragment, number_latex, tex_escape
from scfin.spec.models import CATALOGUE
from scfin.spec.notation import REGISTRY
from scfin.render.text import plain_data

TIMING = (
    "(0) the bank's rate $r$ is set (exogenous, competitive or by the bank as top leader); "
    "(1) the manufacturer sets the contract terms it controls; "
    "(2) the retailer chooses its order $q$ (and effort $e$), pays $wq$ from own capital $\\eta$ first and "
    "borrows $L = (wq - \\eta)^+$; (3) demand $D$ is realised and $\\min(D, q)$ is sold; "
    "(4) leftovers are salvaged or repurchased, clauses settle and the retailer repays the bank as far as its "
    "cash allows (limited liability)."
)


def symbol_latex(name: str) -> str:
    return REGISTRY[name].latex if name in REGISTRY else tex_escape(name)


def notation_table() -> str:
    rows = ["\\begin{longtable}{@{}llp{0.55\\linewidth}l@{}}", "\\toprule",
            "Code & Symbol & Meaning & Admissible \\\\", "\\midrule", "\\endhead"]
    for name, info in REGISTRY.items():
        adm = f"${info.range_latex()}$" if (info.lower or info.upper) else ""
        rows.append(f"\\texttt{{{tex_escape(name)}}} & ${info.latex}$ & {tex_escape(info.meaning)} & {adm} \\\\")
    rows += ["\\bottomrule", "\\end{longtable}"]
    return "\n".join(rows)


def _clause_text(model_id: str) -> str:
    model = CATALOGUE[model_id]
    items = []
    for cl in model.clauses:
        doc = (type(cl).__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        desc = tex_escape(cl.description or doc)
        regime = cl.regime if cl.financing else None
        extra = f" ({tex_escape(regime)} rate)" if regime else ""
        items.append(f"\\item \\textbf{{{tex_escape(cl.label or type(cl).__name__)}}}{extra}: {desc}.")
    return "\\begin{itemize}\n" + "\n".join(items) + "\n\\end{itemize}"


def model_section(run) -> str:
    model = CATALOGUE[run.model]
    out = [f"\\subsection{{{tex_escape(model.title)} (\\texttt{{{tex_escape(run.label)}}})}}",
           f"{tex_escape(model.summary)}." + (f" Reference: {tex_escape(model.reference)}." if model.reference else ""),
           "", "\\noindent\\textbf{Clauses.}", _clause_text(run.model)]
    leader = ", ".join(f"${symbol_latex(d)}$" for d in model.leader if d not in model.fixed) or "nothing"
    out.append("\\noindent\\textbf{Decisions.} The retailer chooses "
               + ", ".join(f"${symbol_latex(d)}$" for d in model.follower) + f"; the manufacturer chooses {leader}.")
    if run.closed is not None:
        out.append("\n\\noindent\\textbf{Equilibrium in closed form} (parameters not listed are symbolic).\n")
        out.append(equilibrium_document_fragment(run.closed))
    else:
        out.append(f"\n\\noindent\\emph{{{tex_escape(run.closed_note)}}}; the numbers below are solved by the engine.\n")
    if run.numbers is not None:
        out.append("\\noindent\\textbf{At the defaults.}\n")
        out.append(equilibrium_document_fragment(run.numbers))
    else:
        out.append(f"\\noindent\\textbf{{At the defaults:}} no solution ({tex_escape(run.numbers_note)}).")
    return "\n".join(out)


_PARTIES = ("retailer", "manufacturer", "bank", "chain")


def defaults_table(runs) -> str:
    rows = ["\\begin{longtable}{@{}lrrrrrrrrr@{}}", "\\toprule",
            "Model & $q^*$ & $e^*$ & $w^*$ & $r$ & $\\Pr(\\text{def.})$ & $\\Pi_R$ & $\\Pi_M$ & $\\Pi_B$ & $\\Pi_{SC}$ \\\\",
            "\\midrule", "\\endhead"]

    def cell(v):
        return "--" if v is None else f"${number_latex(v, 5)}$"

    for r in runs:
        eq = r.numbers
        if eq is None:
            rows.append(f"\\texttt{{{tex_escape(r.label)}}} & \\multicolumn{{9}}{{l}}{{no solution}} \\\\")
            continue
        vals = [eq.decisions.get("q"), eq.decisions.get("e"), eq.decisions.get("w"),
                eq.metrics.get("interest_rate"), eq.metrics.get("default_probability")]
        vals += [eq.profits.get(p) for p in _PARTIES]
        vals = [v if v is None or sp.sympify(v).is_number else None for v in vals]
        rows.append(f"\\texttt{{{tex_escape(r.label)}}} & " + " & ".join(cell(v) for v in vals) + " \\\\")
    rows += ["\\bottomrule", "\\end{longtable}"]
    return "\n".join(rows)


def claims_table(claims) -> str:
    rows = ["\\begin{longtable}{@{}rp{0.5\\linewidth}l@{}}", "\\toprule", "Claim & Title & Status \\\\", "\\midrule", "\\endhead"]
    for c in claims:
        rows.append(f"{c.number} & {tex_escape(c.title)} & {tex_escape(c.status)} \\\\")
    rows += ["\\bottomrule", "\\end{longtable}"]
    return "\n".join(rows)


def zone_section(zone, note) -> str:
    if zone is None:
        return f"\\emph{{{tex_escape(note)}}}"
    data = plain_data(zone)
    lines = ["The Pareto zone of the combined contract (\\texttt{repurchase-combined}, competitive bank): "
             "wholesale prices at which the retailer, the manufacturer and the bank each earn at least their "
             "profit under traditional financing.", "\\begin{itemize}"]
    for k, v in data.items():
        text = str(v)
        if len(text) > 300:
            text = text[:300] + " ..."
        lines.append(f"\\item \\texttt{{{tex_escape(k)}}}: {tex_escape(text)}")
    lines.append("\\end{itemize}")
    return "\n".join(lines)


def report(runs, claims, zone, zone_note, figs: Sequence[tuple[str, str]]) -> str:
    parts = ["\\documentclass[11pt]{article}", PREAMBLE,
             "\\title{Repurchase guarantees, cost sharing and sales incentives in supply-chain finance:\\\\"
             " equilibria and claims, derived by \\texttt{scfin}}",
             "\\author{generated by \\texttt{scfin reproduce}}", "\\date{}",
             "\\begin{document}", "\\maketitle",
             "\\begin{abstract}\nA capital-constrained retailer (an SME) buys from a core manufacturer and borrows "
             "from a bank. This report derives, for every contract model of the specification, the Stackelberg "
             "equilibrium (closed forms where the engine finds them), tabulates the numbers at the built-in "
             "defaults, and states for each claim whether the engine proved or refuted it. Every formula below is "
             "printed from the engine's results; none is typed by hand.\n\\end{abstract}",
             "\\tableofcontents", "\\section{Notation}", notation_table(),
             "\\section{Timing}", TIMING,
             "\\section{Results at the defaults}",
             "Defaults: $p = 10$, $c = 4$, $v = 0$, demand uniform on $[0, 100]$, $\\eta = 0$, $r_f = 0$, "
             "competitive bank, $\\lambda = 1$, $\\kappa = 1$; contract terms as listed per model.",
             defaults_table(runs),
             "\\section{Claims}", claims_table(claims)]
    for c in claims:
        parts.append(f"\\subsection{{Claim {c.number}: {tex_escape(c.title)}}}")
        parts.append(claim_latex(c))
    parts += ["\\section{Pareto zone}", zone_section(zone, zone_note), "\\section{Figures}"]
    for stem, caption in figs:
        parts.append("\\begin{figure}[htbp]\\centering\n"
                     f"\\includegraphics[width=\\linewidth]{{figures/{stem}.pdf}}\n\\caption{{{caption}}}\n\\end{{figure}}")
    parts.append("\\clearpage\\section{Models}")
    for r in runs:
        parts.append(model_section(r))
    parts.append("\\end{document}")
    return "\n\n".join(parts) + "\n"

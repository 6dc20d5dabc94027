"""The LaTeX article of ``scfin reproduce``: a rendering of results, no formulas typed.

Sections: notation (from the registry), timing, results at the defaults
(booktabs tables, figures), the claims as propositions (amsthm: status,
assumptions, derivation or counterexample), the Pareto zone (a corollary, a
table and a figure), and an appendix with one section per model (clauses,
closed forms, regime).  Citations are BibTeX keys of the package's
``references.bib``; propositions, models, tables and figures are labelled and
cross-referenced.
"""

from __future__ import annotations

from typing import Sequence

import sympy as sp

import re
from importlib import resources

from scfin.render.latex import (PREAMBLE, claim_latex, equilibrium_document_fragment, latex, number_latex,
                                prose_latex, tex_escape)
from scfin.report.figures import TEXT_WIDTH_MM
from scfin.spec.models import CATALOGUE
from scfin.spec.notation import REGISTRY

TIMING = (
    "(0) the bank's rate $r$ is set (exogenous, competitive or by the bank as top leader); "
    "(1) the manufacturer sets the contract terms it controls; "
    "(2) the retailer chooses its order $q$ (and effort $e$), pays $wq$ from own capital $\\eta$ first and "
    "borrows $L = (wq - \\eta)^+$; (3) demand $D$ is realised and $\\min(D, q)$ is sold; "
    "(4) leftovers are salvaged or repurchased, clauses settle and the retailer repays the bank as far as its "
    "cash allows (limited liability)."
)



#: the outcome symbols, defined after the notation table
OUTCOMES = (
    "Outcomes are written $\\Pi_R$, $\\Pi_M$ and $\\Pi_B$ for the expected profits of the retailer R, the "
    "manufacturer M and the bank, and $\\Pi_{SC} = \\Pi_R + \\Pi_M + \\Pi_B$ for the chain's; "
    "$\\Pr(\\text{default})$ is the probability that the retailer cannot repay its loan in full, and a star marks "
    "an equilibrium value ($q^*$, $w^*$, $e^*$, $r^*$)."
)

#: the bibliography the report cites (package data, copied next to the .tex)
BIB_NAME = "references"

GEOMETRY = (f"\\usepackage[a4paper,textwidth={TEXT_WIDTH_MM}mm,textheight=235mm,centering]{{geometry}}\n"
            "\\usepackage[authoryear,round]{natbib}\n"
            "\\theoremstyle{plain}\\newtheorem{proposition}{Proposition}\\newtheorem{corollary}{Corollary}\n"
            "\\usepackage{array}\n\\setlength{\\emergencystretch}{3em}\n")


def bib_text() -> str:
    return resources.files("scfin").joinpath("data", f"{BIB_NAME}.bib").read_text(encoding="utf-8")


def bib_entries() -> list[tuple[str, str, str]]:
    """``(key, first author's family name, year)`` of every entry of the bibliography."""
    out = []
    for m in re.finditer(r"@\w+\{(\w+),(.*?)\n\}", bib_text(), re.S):
        key, body = m.group(1), m.group(2)
        author = re.search(r"author\s*=\s*\{(.*?)\},?\s*\n", body)
        year = re.search(r"year\s*=\s*\{(\d{4})\}", body)
        first = (author.group(1).split(" and ")[0].split(",")[0].strip() if author else "")
        out.append((key, first, year.group(1) if year else ""))
    return out


def cite_text(reference: str) -> str:
    """A model's reference (``"Kouvelis & Zhao (2012)"``) with each work in the bibliography cited by its key."""
    entries = bib_entries()
    out = []
    for piece in (p.strip() for p in reference.split(";")):
        m = re.match(r"([A-Z][\w'-]+)", piece)
        year = re.search(r"\((\d{4})\)", piece)
        key = None
        if m:
            hits = [k for k, first, y in entries if first == m.group(1) and (y == (year.group(1) if year else ""))]
            key = hits[0] if len(hits) == 1 else None
        if key is None:
            out.append(tex_escape(piece))
        else:
            rest = piece[year.end():].strip() if year else ""
            out.append(f"\\citet{{{key}}}" + (f" {tex_escape(rest)}" if rest else ""))
    return "; ".join(out)


def symbol_latex(name: str) -> str:
    return REGISTRY[name].latex if name in REGISTRY else tex_escape(name)


def model_label(model_id: str, rate: str | None = None) -> str:
    if model_id not in CATALOGUE:  # a user's model, named by its reference (PATH.py:NAME): letters only
        model_id = "user-" + re.sub(r"[^A-Za-z0-9]+", "-", model_id).strip("-")
    return f"sec:model-{model_id}" + (f"-{rate}" if rate and rate != "competitive" else "")


def _model_of(model_id: str):
    """The model a run names: a catalogue entry, or the user's model its reference loads."""
    if model_id in CATALOGUE:
        return CATALOGUE[model_id]
    from scfin.spec.loading import load_model

    return load_model(model_id)


def claim_label(n: int) -> str:
    return f"prop:claim{n}"


SERIES_TEXT = {"q": "the order", "e": "the effort", "w": "the wholesale price", "interest_rate": "the interest rate",
               "default_probability": "the default probability", "retailer": "the retailer's expected profit",
               "manufacturer": "the manufacturer's expected profit", "bank": "the bank's expected profit",
               "chain": "the chain's expected profit"}
SERIES_SYMBOL = {"q": "q^{*}", "e": "e^{*}", "w": "w^{*}", "interest_rate": "r", "default_probability": r"\Pr(\text{default})",
                 "retailer": r"\Pi_R", "manufacturer": r"\Pi_M", "bank": r"\Pi_B", "chain": r"\Pi_{SC}"}


def series_text(key: str) -> str:
    return SERIES_TEXT.get(key, tex_escape(key))


def series_symbol(key: str) -> str:
    return SERIES_SYMBOL.get(key, "")


def join_words(items) -> str:
    items = list(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def notation_table() -> str:
    rows = ["\\begin{longtable}{@{}lp{0.62\\linewidth}l@{}}", "\\toprule",
            "Symbol & Meaning & Admissible \\\\", "\\midrule", "\\endhead"]
    for name, info in REGISTRY.items():
        adm = f"${info.range_latex()}$" if (info.lower or info.upper) else ""
        rows.append(f"${info.latex}$ & {tex_escape(info.meaning)} & {adm} \\\\")
    rows += ["\\bottomrule", "\\end{longtable}", "", OUTCOMES]
    return "\n".join(rows)


def _clause_text(model_id: str) -> str:
    model = _model_of(model_id)
    items = []
    for cl in model.clauses:
        doc = (type(cl).__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        if doc.startswith(type(cl).__name__ + "("):  # a dataclass's generated signature is no description
            doc = ""
        doc = doc.rstrip(".")  # the item adds its own full stop
        desc = cl.description_latex or tex_escape(cl.description or doc or "(a clause without a description)")
        regime = cl.regime if cl.financing else None
        extra = f" ({tex_escape(regime)} rate)" if regime else ""
        items.append(f"\\item \\textbf{{{tex_escape(cl.label or type(cl).__name__)}}}{extra}: {desc}.")
    return "\\begin{itemize}\n" + "\n".join(items) + "\n\\end{itemize}"


def model_section(run) -> str:
    model = _model_of(run.model)
    out = [f"\\subsection{{{tex_escape(model.title)} (\\texttt{{{tex_escape(run.label)}}})}}"
           f"\\label{{{model_label(run.model, run.rate)}}}",
           f"{tex_escape(model.summary[:1].upper() + model.summary[1:])}."
           + (f" Reference: {cite_text(model.reference)}." if model.reference else ""),
           "", "\\noindent\\textbf{Clauses.}", _clause_text(run.model)]
    leader = join_words(f"${symbol_latex(d)}$" for d in model.leader if d not in model.fixed) or "nothing"
    out.append("\\noindent\\textbf{Decisions.} The retailer chooses "
               + join_words(f"${symbol_latex(d)}$" for d in model.follower) + f"; the manufacturer chooses {leader}.")
    if run.closed is not None:
        out.append("\n\\noindent\\textbf{Equilibrium in closed form} (parameters not listed are symbolic).\n")
        out.append(equilibrium_document_fragment(run.closed))
    else:
        out.append(f"\n\\noindent\\emph{{{tex_escape(run.closed_note[:1].upper() + run.closed_note[1:])}}}; "
                   "the numbers below are solved by the engine.\n")
    if run.numbers is not None:
        out.append("\\noindent\\textbf{At the defaults.}\n")
        out.append(equilibrium_document_fragment(run.numbers))
    else:
        out.append(f"\\noindent\\textbf{{At the defaults:}} no solution ({tex_escape(run.numbers_note)}).")
    return "\n".join(out)


_PARTIES = ("retailer", "manufacturer", "bank", "chain")
#: contract terms shown as columns of the results table (those set in some model)
TERM_COLUMNS = ("w", "b", "phi", "u", "T", "psi")


def _fixed(v, places: int) -> str:
    """A number with ``places`` decimals (deterministic), ``--`` for none."""
    if v is None:
        return "--"
    x = float(sp.sympify(v))
    if abs(x) < 0.5 * 10 ** -places:
        x = 0.0
    return f"${x:.{places}f}$"


def _row_notes(eq) -> list[str]:
    notes = []
    if eq.boundary:
        notes.append("boundary solution: " + "; ".join(
            f"the optimal ${symbol_latex(b)}$ lies on the edge of its admissible set" if b in REGISTRY else b
            for b in eq.boundary))
    notes += list(eq.notes)
    return notes


def _model_cell(r, marks: list[str]) -> str:
    sup = "".join(f"\\textsuperscript{{{m}}}" for m in marks)
    if r.variant:  # the row after its model's own: indented, named by what differs
        return f"\\quad at {tex_escape(r.variant)} terms{sup}"
    return f"\\texttt{{{tex_escape(r.label)}}}{sup}, \\S\\ref{{{model_label(r.model, r.rate)}}}"


#: the footnote of a model's second row at other terms (:attr:`scfin.report.content.ModelRun.variant`)
VARIANT_NOTES = {"coordinating": "at the coordinating terms of the combined contract (Proposition 10) at the middle "
                                 "of its Pareto zone: the chain earns the integrated profit"}


def _note_latex(note: str) -> str:
    """A table footnote: prose, with a limit written by the engine as ``w -> 100/11`` set as ``$w \\to 100/11$``."""
    parts = re.split(r"\b([A-Za-z]\w*) -> (-?\d+(?:/\d+)?)", note)
    out = [prose_latex(parts[0])]
    for name, value, text in zip(parts[1::3], parts[2::3], parts[3::3]):
        head = symbol_latex(name) if name in REGISTRY else name
        out += [f"${head} \\to {latex(sp.Rational(value))}$", prose_latex(text)]
    return "".join(out)


def defaults_tables(runs) -> str:
    """Two tables at the defaults: the contract terms and decisions, then the outcomes (fixed decimals).

    A row whose solution lies on the boundary of the admissible set, or
    carries a note (no loan taken, ...), is footnoted.
    """
    notes: list[str] = []
    marks: dict[str, list[str]] = {}
    for r in runs:
        if r.numbers is None:
            continue
        for n in ([VARIANT_NOTES[r.variant]] if r.variant in VARIANT_NOTES else []) + _row_notes(r.numbers):
            if n not in notes:
                notes.append(n)
            marks.setdefault(r.label, []).append(chr(ord("a") + notes.index(n)))
    terms = [t for t in TERM_COLUMNS if any(r.numbers is not None and t in r.values and t not in r.numbers.decisions
                                            for r in runs)]
    head1 = ["Model"] + [f"${symbol_latex(t)}$" for t in terms] + ["$q^*$", "$e^*$", "$w^*$", "$r$"]
    head2 = ["Model", r"$\Pr(\text{default})$", "$\\Pi_R$", "$\\Pi_M$", "$\\Pi_B$", "$\\Pi_{SC}$"]
    t1 = ["\\begin{table}[htbp]\\centering\\small", "\\caption{Contract terms and equilibrium decisions at the "
          "defaults (two decimals; the interest rate three). A dash: not in the model.}\\label{tab:decisions}",
          "\\setlength{\\tabcolsep}{4pt}\\begin{tabular}{@{}l" + "r" * (len(head1) - 1) + "@{}}", "\\toprule", " & ".join(head1) + " \\\\",
          "\\midrule"]
    t2 = ["\\begin{table}[htbp]\\centering\\small", "\\caption{Default probability and expected profits at the "
          "defaults (probability three decimals, profits two).}\\label{tab:profits}",
          "\\begin{tabular}{@{}l" + "r" * (len(head2) - 1) + "@{}}", "\\toprule", " & ".join(head2) + " \\\\",
          "\\midrule"]
    for r in runs:
        eq = r.numbers
        cell = _model_cell(r, marks.get(r.label, []))
        if eq is None:
            t1.append(f"{cell} & \\multicolumn{{{len(head1) - 1}}}{{l}}{{no solution}} \\\\")
            t2.append(f"{cell} & \\multicolumn{{{len(head2) - 1}}}{{l}}{{no solution}} \\\\")
            continue

        def num(v):
            return v if v is not None and sp.sympify(v).is_number else None

        vals1 = [_fixed(r.values.get(t) if t not in eq.decisions else None, 2) for t in terms]
        vals1 += [_fixed(num(eq.decisions.get(k)), 2) for k in ("q", "e", "w")]
        vals1.append(_fixed(num(eq.metrics.get("interest_rate")), 3))
        vals2 = [_fixed(num(eq.metrics.get("default_probability")), 3)]
        vals2 += [_fixed(num(eq.profits.get(p)), 2) for p in _PARTIES]
        t1.append(f"{cell} & " + " & ".join(vals1) + " \\\\")
        t2.append(f"{cell} & " + " & ".join(vals2) + " \\\\")
    foot = ""
    if notes:
        foot = ("\\par\\smallskip\\parbox{\\linewidth}{\\footnotesize "
                + " ".join(f"\\textsuperscript{{{chr(ord('a') + i)}}}\\,{_note_latex(n[:1].upper() + n[1:])}."
                           for i, n in enumerate(notes)) + "}")
    end = ["\\bottomrule", "\\end{tabular}"]
    return "\n".join(t1 + end + [foot, "\\end{table}"] + t2 + end + [foot, "\\end{table}"])


def claims_table(claims) -> str:
    rows = ["\\begin{table}[htbp]\\centering\\small",
            "\\caption{The claims of the thesis and what the engine established.}\\label{tab:claims}",
            "\\begin{tabular}{@{}lp{0.46\\linewidth}p{0.34\\linewidth}@{}}", "\\toprule", "Proposition & Claim & Status \\\\",
            "\\midrule"]
    for c in claims:
        rows.append(f"\\ref{{{claim_label(c.number)}}} & {tex_escape(c.title)} & {tex_escape(c.tally)} \\\\")
    rows += ["\\bottomrule", "\\end{tabular}", "\\end{table}"]
    return "\n".join(rows)


def _zone_num(x) -> str:
    x = sp.sympify(x)
    if x.is_Rational and not x.is_Integer:
        return number_latex(x) + f" \\approx {float(x):.2f}"
    return number_latex(x)


_ZONE_SYMBOLS = {n: REGISTRY[n].symbol for n in REGISTRY}


def _parsable(name: str) -> bool:
    try:
        sp.sympify(name, locals=_ZONE_SYMBOLS)
        return True
    except Exception:
        return False


def zone_caption(zone) -> str:
    return ("Expected profits along the coordinating family of the combined contract against the wholesale "
            "price $w$ (solid), and under traditional financing (dashed, same colour); the Pareto zone "
            f"${latex(zone.lower)} \\le w \\le {latex(zone.upper)}$ is shaded. The bank breaks even in both "
            "(competitive rate) and is not drawn.")


def zone_section(zone, note, claim_n: int = 10) -> str:
    """The Pareto zone: a corollary (bounds, what binds), a table of each end against the benchmark, a figure."""
    if zone is None:
        return f"\\emph{{{tex_escape(note)}}}"
    pars = ",\\ ".join(f"{symbol_latex(k)} = {number_latex(v)}" for k, v in zone.parameters.items())
    intro = (f"Proposition~\\ref{{{claim_label(claim_n)}}} shows that the combined contract "
             f"(Appendix~\\ref{{{model_label(zone.model)}}}) coordinates for every wholesale price $w$ when the "
             "repurchase price and the cost-sharing share follow the coordinating family $b(w)$, $\\phi(w)$:")
    fam = ",\\qquad ".join(f"{symbol_latex(k)}(w) = {latex(v)}" for k, v in zone.family.terms.items()
                           if k in ("b", "phi"))
    given = [k for k in zone.family.terms if k not in ("b", "phi")]
    out = [intro, "\\[\n" + fam + "\n\\]",
           ("with the sales incentive " + join_words(f"${symbol_latex(k)} = {latex(zone.family.terms[k])}$"
                                                     for k in given) + " given. " if given else "")
           + "Along the family the chain earns the integrated profit "
           f"$\\Pi_{{SC}} = {latex(zone.family.chain)}$ at the integrated plan $q_0 = {latex(zone.family.q0)}$, "
           f"$e_0 = {latex(zone.family.e0)}$; the wholesale price only splits it. The benchmark is traditional "
           f"bank financing with the manufacturer choosing $w = {_zone_num(zone.benchmark['w'])}$ "
           f"(Appendix~\\ref{{{model_label('bank-loan')}}}), in the same (competitive) rate regime. "
           "Table~\\ref{tab:decisions} shows the combined contract at these terms at the middle of the zone "
           "(its row marked coordinating)."]
    if zone.empty:
        out.append("\\begin{corollary}[Pareto zone]\\label{cor:zone} At $" + pars + "$ no wholesale price gives "
                   "every party at least its benchmark profit with an admissible coordinating contract.\\end{corollary}")
        out += [f"\\noindent\\emph{{Note:}} {tex_escape(n)}." for n in zone.notes]
        return "\n\n".join(out)
    def bind(end):
        words = []
        for name in zone.binding[end].split(" and "):
            m = re.fullmatch(r"(retailer|manufacturer|bank) >= benchmark", name)
            words.append(f"the {m.group(1)} earns exactly its benchmark profit" if m else
                         f"${latex(sp.sympify(name, locals=_ZONE_SYMBOLS))}$ binds"
                         if _parsable(name) else tex_escape(name))
        return join_words(words)
    out.append("\\begin{corollary}[Pareto zone]\\label{cor:zone} Let $" + pars + "$ and a competitive bank. A "
               "coordinating combined contract leaves the retailer, the manufacturer and the bank each at least as "
               "well off as under traditional financing if and only if\n\\[\n"
               f"{_zone_num(zone.lower)} \\;\\le\\; w \\;\\le\\; {_zone_num(zone.upper)}.\n\\]\n"
               f"At the lower end {bind('lower')}; at the upper end {bind('upper')}.\\end{{corollary}}")
    checks = zone.checks
    if checks:
        ok = all(checks.values())
        out.append("At each end an independent numeric check "
                   + ("confirms" if ok else "\\textbf{does not confirm}")
                   + " that the retailer's global best response is the integrated plan and that the expected "
                   "profits computed without the closed forms match them.")
    rows = ["\\begin{table}[htbp]\\centering\\small",
            "\\caption{The ends of the Pareto zone (Corollary~\\ref{cor:zone}): contract terms and expected "
            "profits, against traditional financing.}\\label{tab:zone}",
            "\\begin{tabular}{@{}lrrrrrr@{}}", "\\toprule",
            " & $w$ & $b$ & $\\phi$ & $\\Pi_R$ & $\\Pi_M$ & $\\Pi_B$ \\\\", "\\midrule"]

    def f2(x):
        return f"${float(sp.sympify(x)):.2f}$"

    for end, x in (("lower", zone.lower), ("upper", zone.upper)):
        e = zone.ends[end]
        rows.append(f"{end.capitalize()} end & ${number_latex(x)}$ & {f2(e['b'])} & {f2(e['phi'])} & {f2(e['retailer'])} & "
                    f"{f2(e['manufacturer'])} & {f2(e['bank'])} \\\\")
    b = zone.benchmark
    rows.append(f"Traditional financing & {f2(b['w'])} & -- & -- & {f2(b['retailer'])} & {f2(b['manufacturer'])} & "
                f"{f2(b['bank'])} \\\\")
    rows += ["\\bottomrule", "\\end{tabular}", "\\end{table}"]
    out.append("\n".join(rows))
    out.append("Table~\\ref{tab:zone} gives the contract terms and the profits at each end, and "
               "Figure~\\ref{fig:pareto-zone} draws the profits along the family against $w$ with the zone shaded.")
    out += [f"\\noindent\\emph{{Note:}} {tex_escape(n[:1].upper() + n[1:])}." for n in zone.notes]
    return "\n\n".join(out)


def figure_env(stem: str, caption: str, label: str) -> str:
    # drawn at the text width: included at its natural size
    return ("\\begin{figure}[htbp]\\centering\n"
            f"\\includegraphics{{figures/{stem}.pdf}}\n\\caption{{{caption}}}\\label{{{label}}}\n\\end{{figure}}")


def user_section(u) -> str:
    """A user's model: as a catalogue model's section, then its verification and its comparative statics."""
    from scfin.render.statics import statics_latex

    out = [model_section(u.run), "", "\\noindent\\textbf{Verification.}"]
    v = u.verification
    if v is None:
        out.append(f"Not verified ({tex_escape(u.verification_note)}).")
    else:
        bad = len(v["disagreements"])
        out.append(f"At {v['points']} random admissible points (seed {v['seed']}) the engine's equilibrium was "
                   "checked against the quadrature of the realised cash flows, a global grid search of each "
                   f"player's problem (corners and kinks included) and Monte Carlo: {v['comparisons']} comparisons, "
                   + ("no disagreement." if bad == 0 else f"{bad} disagreements (see the JSON summary)."))
    if u.statics is None:
        out.append(f"\n\\noindent No comparative statics ({tex_escape(u.statics_note)}).")
    else:
        out += ["", f"\\noindent\\textbf{{Comparative statics.}} Table~\\ref{{tab:statics-{model_label(u.ref)[4:]}}} "
                "gives the sign of each equilibrium quantity's derivative in each parameter.",
                statics_latex(u.statics).replace("\\end{tabular}",
                                                "\\end{tabular}\\label{tab:statics-" + model_label(u.ref)[4:] + "}", 1)]
    return "\n".join(out)


def report(runs, claims, zone, zone_note, figs: Sequence[tuple[str, str, str]], users=()) -> str:
    figs = list(figs)
    by_stem = {stem: (caption, label) for stem, caption, label in figs}
    sens = [(stem, c, l) for stem, c, l in figs if stem.startswith("sens-")]
    keys = sorted({k for k, _, _ in bib_entries()})
    zone_claim = 10
    parts = ["\\documentclass[11pt]{article}", PREAMBLE + GEOMETRY,
             "\\title{Repurchase guarantees, cost sharing and sales incentives in supply-chain finance:\\\\"
             " equilibria and claims, derived by \\texttt{scfin}}",
             "\\author{generated by \\texttt{scfin reproduce}}", "\\date{}",
             "\\begin{document}", "\\maketitle",
             "\\begin{abstract}\nA capital-constrained retailer (an SME) buys from a core manufacturer and borrows "
             "from a bank. This report derives, for every contract model of the specification, the Stackelberg "
             "equilibrium (closed forms where the engine finds them), tabulates the numbers at the built-in "
             "defaults, and states for each claim of the thesis whether the engine proved or refuted it. Every "
             "formula below is printed from the engine's results; none is typed by hand.\n\\end{abstract}",
             "\\tableofcontents",
             "\\section{Introduction}",
             "The models extend the newsvendor \\citep{arrow1951} with the classic coordinating contracts "
             "\\citep{pasternack1985,lariviere2001,taylor2002,cachon2003,krishnan2004,cachon2005} and with "
             "capital constraints and bank financing \\citep{dada2008,kouvelis2012,yan2016,wang2016,yanbuyback}. "
             "Section~\\ref{sec:defaults} gives the numbers at the defaults "
             "(Tables~\\ref{tab:decisions} and~\\ref{tab:profits}, Figure~\\ref{fig:profits-by-mode}), "
             "Section~\\ref{sec:claims} states each claim as a proposition with its derivation "
             "(Table~\\ref{tab:claims}), Section~\\ref{sec:zone} derives the Pareto zone of the combined "
             "contract, and Section~\\ref{sec:sensitivity} shows the equilibria against one parameter at a time. "
             "Appendix~\\ref{sec:models} lists every model with its clauses, closed forms and regime conditions.",
             "\\section{Notation}\\label{sec:notation}", notation_table(),
             "\\section{Timing}\\label{sec:timing}", TIMING,
             "\\section{Results at the defaults}\\label{sec:defaults}",
             "Defaults: $p = 10$, $c = 4$, $v = 0$, demand uniform on $[0, 100]$, $\\eta = 0$, $r_f = 0$, "
             "competitive bank, $\\lambda = 1$, $\\kappa = 1$; the contract terms of each model are the columns of "
             "Table~\\ref{tab:decisions}, and Table~\\ref{tab:profits} gives the outcomes. "
             "Figure~\\ref{fig:profits-by-mode} compares the parties' profits across the financing modes.",
             defaults_tables(runs)]
    if "profits-by-mode" in by_stem:
        parts.append(figure_env("profits-by-mode", *by_stem["profits-by-mode"]))
    parts += ["\\section{Claims}\\label{sec:claims}",
              "Each claim of the thesis is stated as a proposition (numbered as in the thesis), followed by its "
              "status, its assumptions and the derivation the engine checked, or a counterexample. "
              "Table~\\ref{tab:claims} summarises them.", claims_table(claims)]
    for c in claims:
        parts.append(f"\\setcounter{{proposition}}{{{c.number - 1}}}")
        parts.append(claim_latex(c, theorem=True, label=claim_label(c.number)))
    parts += ["\\section{Pareto zone}\\label{sec:zone}", zone_section(zone, zone_note, zone_claim)]
    if "pareto-zone" in by_stem:
        parts.append(figure_env("pareto-zone", *by_stem["pareto-zone"]))
    parts.append("\\section{Sensitivity}\\label{sec:sensitivity}")
    if sens:
        parts.append("Figures~" + join_words(f"\\ref{{{l}}}" for _, _, l in sens)
                     + " show each model's equilibrium as one parameter varies, the others at their defaults; "
                     "a quantity that stays constant over the range is named in the caption instead of drawn.")
        for stem, caption, label in sens:
            parts.append(figure_env(stem, caption, label))
    parts.append("\\clearpage\\bibliographystyle{plainnat}\n\\bibliography{" + BIB_NAME + "}")
    parts.append("\\clearpage\\appendix\\section{Models}\\label{sec:models}")
    for r in runs:
        if not r.variant:  # a variant row (the coordinating terms) is described in its model's section
            parts.append(model_section(r))
    if users:
        parts.append("\\section{The user's models}\\label{sec:user-models}")
        parts.append("Each model below was named on the command line (\\texttt{scfin reproduce --model REF}): a "
                     "Python file of the user's, imported by path, that went through the same engine, the same "
                     "independent verification and the same comparative statics as the catalogue's models.")
        parts += [user_section(u) for u in users]
    if keys:
        parts.insert(-1, "")
    parts.append("\\end{document}")
    return "\n\n".join(parts) + "\n"

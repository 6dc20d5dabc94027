"""The Pareto zone of a coordinating combined contract (docs/specification.md claim 10).

For a wholesale price ``w`` the combined contract (repurchase ``b``, effort
cost sharing ``phi``, sales incentive ``u (s - T)^+``) coordinates when the
retailer's response is the integrated plan ``(q0, e0)``.  With the incentive
``(u, T)`` given, the engine's response ``q*(w, b, phi), e*(w, b, phi)`` is
solved for the coordinating ``b(w), phi(w)`` (Krishnan, Kapuscinski & Butz
2004; Taylor 2002).  Along that family the chain earns the integrated profit;
``w`` only splits it.  The *Pareto zone* is the set of ``w`` at which the
retailer, the manufacturer and the bank each earn at least their profit under
traditional financing (model ``bank-loan``, M choosing ``w``, same rate
regime) and the family is admissible (``v <= b < w``, ``0 <= phi < 1``,
``c < w < p``, and the retailer's problem concave on ``{q > T}``:
``(1 - phi) kappa > u f``).  Yan et al. (buyback guarantee in supply-chain
finance) report such a zone; here it is derived.

Only the competitive regime is supported: there the bank breaks even in both
the contract and the benchmark, and the retailer maximises the chain's
operating profit net of its share of costs, which is what makes
coordination possible.  (At an exogenous rate the retailer's limited
liability distorts its order; see claim 5.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping

import sympy as sp

from scfin.derive.algebra import cancel, diff, numerator
from scfin.claims.effort_proof import at, integrated_effort, response, retailer_joint, tidy
from scfin.spec.models import DEFAULTS, get_model
from scfin.spec.notation import REGISTRY, AdmissibilityError, check_admissible, sym
from scfin.solver import InputError, solve

#: models with a coordinating family in (b, phi)
ZONE_MODELS = ("repurchase-combined", "repurchase-cost-sharing")
#: contract terms the zone derives (never given)
DERIVED = ("w", "b", "phi", "q", "e", "r")
PARTIES = ("retailer", "manufacturer", "bank")


@dataclass(frozen=True)
class Family:
    """The coordinating contracts for a given ``w`` (expressions in ``w``).

    ``terms``: ``b(w)``, ``phi(w)``, and the given ``u``, ``T``; ``profits``:
    each party's expected profit along the family, as functions of ``w``;
    ``constraints``: admissibility conditions ``g(w) > 0`` (name -> g).
    """

    terms: Mapping[str, sp.Expr]
    q0: sp.Expr
    e0: sp.Expr
    chain: sp.Expr
    profits: Mapping[str, sp.Expr]
    constraints: Mapping[str, sp.Expr]
    target_region: str


@dataclass(frozen=True)
class ZoneResult:
    """The Pareto zone ``[lower, upper]`` of ``w`` (or empty), with every party's profits."""

    model: str
    rate: str
    parameters: Mapping[str, sp.Expr]
    family: Family
    benchmark: Mapping[str, sp.Expr]
    lower: sp.Expr | None
    upper: sp.Expr | None
    binding: Mapping[str, str]
    ends: Mapping[str, Mapping[str, sp.Expr]]
    empty: bool
    #: independent numeric checks at each end: the retailer's global best response is the integrated
    #: plan, and the expected profits of :mod:`scfin.numeric.profits` match the closed forms
    checks: Mapping[str, bool] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict:
        def num(x):
            x = sp.sympify(x)
            return float(x) if x.is_number else str(x)

        zone = None if self.empty else {"lower": num(self.lower), "upper": num(self.upper)}
        return {
            "model": self.model,
            "rate": self.rate,
            "parameters": {k: num(v) for k, v in self.parameters.items()},
            "benchmark": {k: num(v) for k, v in self.benchmark.items()},
            "zone": zone,
            "binding": dict(self.binding),
            "ends": {end: {k: num(v) for k, v in prof.items()} for end, prof in self.ends.items()},
            "family": {k: str(v) for k, v in self.family.terms.items()},
            "empty": self.empty,
            "checks": dict(self.checks),
            "notes": list(self.notes),
        }


# ---------------------------------------------------------------------------
# the coordinating family
# ---------------------------------------------------------------------------

def _target_region(T, e0, q0) -> str:
    """Where the sales target sits at the integrated plan: I (T <= e0), II, III (T >= q0)."""
    if T <= e0:
        return "I"
    return "II" if T < q0 else "III"


def coordinating_family(model_id: str, known: Mapping[str, Fraction | int], shadow: Mapping[str, float]) -> Family:
    """``b(w), phi(w)`` with ``q*(w, b, phi) = q0`` and ``e*(w, b, phi) = e0`` (engine), and the profits along it.

    ``known``: numbers substituted (anything left out stays symbolic);
    ``shadow``: numbers fixing the region structure (must place the target
    ``T`` relative to ``(q0, e0)`` as at the numbers of interest).
    """
    b, phi, w, r = sym("b"), sym("phi"), sym("w"), sym("r")
    q0, e0, chain = integrated_effort(known)
    D = response(model_id, known, shadow)
    sols = sp.solve([numerator(D.decisions["q"] - q0), numerator(D.decisions["e"] - e0)], [b, phi], dict=True)
    if len(sols) != 1:
        raise InputError(f"no unique coordinating (b, phi) for {model_id} at these terms")
    terms = {"b": tidy(sols[0][b]), "phi": tidy(sols[0][phi])}
    point = {**terms, "q": q0, "e": e0}
    E = D.expectations.values
    profits = {}
    for party, expr in (("retailer", retailer_joint(D)), ("manufacturer", E["manufacturer"])):
        val = at(expr, point)
        # region splits at the default threshold leave r in the expression; it cancels
        if val.has(r) and cancel(diff(val, r)) == 0:
            val = val.xreplace({r: 0})
        profits[party] = tidy(val)
    profits["bank"] = sp.Integer(0) if D.joint_follower else tidy(at(E["bank"], point))
    m = get_model(model_id)
    u = at(sym("u"), known) if "u" in [n for c in m.clauses for n in c.parameters] else sp.Integer(0)
    T = at(sym("T"), known) if u != 0 else sp.Integer(0)
    if u != 0:
        terms["u"], terms["T"] = u, T
    v, p, c, kappa, A = (at(sym(n), known) for n in ("v", "p", "c", "kappa", "A"))
    constraints = {
        "w > c": w - c,
        "w < p": p - w,
        "b >= v": terms["b"] - v,
        "b < w": w - terms["b"],
        "phi >= 0": terms["phi"],
        "phi < 1": 1 - terms["phi"],
    }
    region = "III"
    if u != 0 and all(sp.sympify(x).is_number for x in (T, e0, q0)):
        region = _target_region(T, e0, q0)
    if u != 0 and region == "II":
        # concavity of the retailer's problem on {q > T}: (1 - phi) kappa > u f (uniform f = 1/A)
        constraints["(1 - phi) kappa A > u"] = tidy((1 - terms["phi"]) * kappa * A - u)
    return Family(terms=terms, q0=q0, e0=e0, chain=chain, profits=profits,
                  constraints={k: tidy(g) for k, g in constraints.items()}, target_region=region)


# ---------------------------------------------------------------------------
# the zone
# ---------------------------------------------------------------------------

def _prepare(model_id: str, values: Mapping[str, Fraction | int | str] | None) -> tuple[dict[str, Fraction], list[str]]:
    if model_id not in ZONE_MODELS:
        raise InputError(f"the Pareto zone is defined for {', '.join(ZONE_MODELS)}, not {model_id!r}")
    model = get_model(model_id)
    allowed = [n for n in model.parameters if n not in ("b", "phi")] + ["A"]
    vals: dict[str, Fraction] = {}
    for name, val in (values or {}).items():
        if name in DERIVED:
            raise InputError(f"{name} is derived by the zone (the coordinating family in w): do not give it")
        if name not in allowed:
            raise InputError(f"unknown parameter {name!r} for the zone of {model_id}: expected one of {', '.join(allowed)}")
        vals[name] = Fraction(val)
    notes = []
    for name in allowed:
        if name not in vals:
            vals[name] = Fraction(DEFAULTS[name]) if name in DEFAULTS else Fraction(100)
    try:
        check_admissible(vals, model.bounds)
    except AdmissibilityError as exc:
        raise InputError(str(exc)) from None
    if vals["c"] <= vals["v"]:
        raise InputError("the zone needs v < c")
    return dict(sorted(vals.items(), key=lambda kv: list(REGISTRY).index(kv[0]) if kv[0] in REGISTRY else 99)), notes


def _shadow(vals: Mapping[str, Fraction]) -> dict[str, float]:
    """Numbers inside the coordinating region: w mid-way, claim 8's pair, the integrated plan."""
    f = {k: float(v) for k, v in vals.items()}
    p, c, v, kappa, A, lam = f["p"], f["c"], f["v"], f["kappa"], f["A"], f.get("lam", 1.0)
    w = (p + c) / 2
    e0 = (p - c) / kappa
    q0 = e0 + A * (p - c) / (p - v)
    b1 = p - (p - w) * (p - v) / (p - c)
    b = v + (b1 - v) / max(lam, 1e-6)
    return {"w": w, "b": min(b, w - 1e-6 * (w - v)), "phi": (w - c) / (p - c), "q": q0, "e": e0}


def _feasible_interval(constraints: Mapping[str, sp.Expr], lo: sp.Expr, hi: sp.Expr):
    """The interval of ``w`` in ``(lo, hi)`` where every ``g(w) >= 0`` (numbers), and the binding names.

    The constraints are rational in ``w``; their real roots cut ``(lo, hi)``
    into pieces whose midpoints decide feasibility.  Returns
    ``(lower, upper, binding)`` or ``None`` when no piece is feasible.
    """
    w = sym("w")
    cuts = {lo, hi}
    for g in constraints.values():
        num = sp.numer(sp.together(g))
        if num.has(w):
            for root in sp.Poly(num, w).real_roots():
                if lo < root < hi:
                    cuts.add(sp.nsimplify(root) if root.is_Rational else root)
    cuts = sorted(cuts, key=lambda x: float(x))
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        mid = (a + b) / 2
        if all(float(g.xreplace({w: mid})) >= 0 for g in constraints.values()):
            if pieces and pieces[-1][1] == a:
                pieces[-1] = (pieces[-1][0], b)
            else:
                pieces.append((a, b))
    if not pieces:
        return None
    a, b = max(pieces, key=lambda ab: float(ab[1] - ab[0]))

    def binding(x):
        # a constraint that is identically zero (the bank breaks even in both) binds nowhere in particular
        names = [n for n, g in constraints.items() if g.has(w) and sp.simplify(g.xreplace({w: x})) == 0]
        return " and ".join(names) if names else "interval edge"

    return a, b, {"lower": binding(a), "upper": binding(b)}, len(pieces)


def pareto_zone(model_id: str = "repurchase-combined", values: Mapping[str, Fraction | int | str] | None = None,
                rate: str = "competitive") -> ZoneResult:
    """The Pareto zone of ``w`` for the coordinating contracts of ``model_id``.

    ``values``: numbers for the parameters (docs/specification.md section 8 defaults for
    the rest; ``u``, ``T`` are the given incentive, default 0).  The family
    ``b(w), phi(w)`` is derived; the benchmark is ``bank-loan`` with M choosing
    ``w`` at the same numbers and rate regime.  Raises
    :class:`scfin.solver.InputError` on bad input.
    """
    if rate not in (None, "competitive"):
        raise InputError(f"the Pareto zone is derived under rate=competitive only (got {rate!r}): under an exogenous "
                         "rate the retailer's limited liability breaks coordination")
    vals, notes = _prepare(model_id, values)
    w = sym("w")
    family = coordinating_family(model_id, vals, _shadow(vals))
    bench_vals = {k: v for k, v in vals.items() if k in ("p", "c", "v", "A", "eta", "rf")}
    bench_eq = solve("bank-loan", bench_vals, rate="competitive")
    benchmark = {k: sp.nsimplify(sp.simplify(bench_eq.profits[k])) for k in PARTIES}
    benchmark["chain"] = sp.nsimplify(sp.simplify(sum(benchmark.values())))
    benchmark["w"] = bench_eq.decisions["w"]
    constraints = dict(family.constraints)
    for party in PARTIES:
        constraints[f"{party} >= benchmark"] = tidy(family.profits[party] - benchmark[party])
    p, c = sp.Rational(vals["p"]), sp.Rational(vals["c"])
    found = _feasible_interval(constraints, c, p)
    if family.target_region == "II":
        notes.append("the sales target lies between e0 and q0: the retailer's problem has a kink at q = T; the "
                     "coordinated plan is checked against the best plan ordering below the target at each end")
    if found is None:
        adm = _feasible_interval(family.constraints, c, p)
        part = _feasible_interval({k: g for k, g in constraints.items() if k not in family.constraints}, c, p)
        why = []
        if adm is None:
            why.append("no w admits a coordinating contract")
        else:
            why.append(f"the coordinating contract is admissible for {_fmt(adm[0])} < w < {_fmt(adm[1])} "
                       f"(binding: {adm[2]['lower']}; {adm[2]['upper']})")
        if part is None:
            why.append("no w gives every party its benchmark profit")
        else:
            why.append(f"every party earns its benchmark profit for {_fmt(part[0])} <= w <= {_fmt(part[1])}")
        notes.append("; ".join(why))
        return ZoneResult(model=model_id, rate="competitive", parameters={k: sp.Rational(v) for k, v in vals.items()},
                          family=family, benchmark=benchmark, lower=None, upper=None, binding={}, ends={}, empty=True,
                          notes=tuple(notes + ["no wholesale price makes every party at least as well off as under "
                                               "traditional financing with an admissible coordinating contract"]))
    lo, hi, binding, n_pieces = found
    if n_pieces > 1:
        notes.append(f"the feasible set has {n_pieces} pieces: the widest is reported")
    ends = {}
    for name, x in (("lower", lo), ("upper", hi)):
        prof = {k: sp.nsimplify(sp.simplify(family.profits[k].xreplace({w: x}))) for k in PARTIES}
        prof["chain"] = sp.nsimplify(sp.simplify(sum(prof.values())))
        prof.update({k: sp.simplify(t.xreplace({w: x})) for k, t in family.terms.items()})
        ends[name] = prof
    checks = {}
    for name, x in (("lower", lo), ("upper", hi)):
        checks.update({f"{k} at the {name} end": ok for k, ok in _verify_end(model_id, vals, family, x, ends[name]).items()})
    if not all(checks.values()):
        notes.append("an independent numeric check failed at an end: see checks")
    return ZoneResult(model=model_id, rate="competitive", parameters={k: sp.Rational(v) for k, v in vals.items()},
                      family=family, benchmark=benchmark, lower=lo, upper=hi, binding=binding, ends=ends, empty=False,
                      checks=checks, notes=tuple(notes))


def _verify_end(model_id, vals, family: Family, x, profits) -> dict[str, bool]:
    """Numeric checks at ``w = x`` without the closed forms (:mod:`scfin.numeric.profits`).

    The retailer's *global* best response (grid + Brent over ``q, e``) must be
    the integrated plan (the sales target's kink can make a stationary point
    a local optimum only), and the exact expected profits at that plan must
    match the closed forms.  An end that is an open bound (``b < w``) is
    checked just inside the zone.
    """
    from scfin.numeric import profits as N

    model = get_model(model_id)
    w = sym("w")
    point = {k: float(v) for k, v in vals.items()}
    point["w"] = float(x)
    for k, t in family.terms.items():
        point[k] = float(sp.sympify(t).xreplace({w: x}))
    q0, e0 = float(family.q0), float(family.e0)
    resp = N.retailer_response(model, "uniform", point, N.q_bound("uniform", point))
    tol = 1e-4 * (1 + q0)
    global_ok = abs(resp["q"] - q0) < tol and abs(resp["e"] - e0) < tol
    point.update(q=q0, e=e0)
    point["r"] = N.breakeven_rate(model, "uniform", point)
    ev = N.expected(model, "uniform", point)
    scale = 1e-6 * (1 + abs(float(family.chain)))
    match = all(abs(ev[k] - float(profits[k])) < scale for k in PARTIES)
    return {"retailer's global best response is (q0, e0)": global_ok, "numeric profits match": match}


# ---------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------

def _fmt(x) -> str:
    x = sp.sympify(x)
    if x.is_number and not x.is_Integer:
        return f"{x}  (= {float(x):.6g})"
    return str(x)


def zone_text(z: ZoneResult) -> str:
    lines = [f"Pareto zone of w for {z.model} (rate {z.rate}, uniform demand)"]
    lines.append("parameters: " + ", ".join(f"{k} = {v}" for k, v in z.parameters.items()))
    lines.append("coordinating family (functions of w):")
    for k, v in z.family.terms.items():
        lines.append(f"  {k} = {v}")
    lines.append(f"integrated plan: q0 = {z.family.q0}, e0 = {z.family.e0}, chain profit {z.family.chain}")
    lines.append(f"benchmark (bank-loan, M sets w = {_fmt(z.benchmark['w'])}):")
    for k in PARTIES + ("chain",):
        lines.append(f"  {k:<13} {_fmt(z.benchmark[k])}")
    if z.empty:
        lines.append("zone: empty")
    else:
        lines.append(f"zone: {_fmt(z.lower)} <= w <= {_fmt(z.upper)}")
        for end in ("lower", "upper"):
            x = z.lower if end == "lower" else z.upper
            lines.append(f"at the {end} end w = {_fmt(x)} (binding: {z.binding[end]}):")
            for k, v in z.ends[end].items():
                lines.append(f"  {k:<13} {_fmt(v)}")
    for name, ok in z.checks.items():
        lines.append(f"check [{'ok' if ok else 'FAIL':>4}] {name}")
    for n in z.notes:
        lines.append(f"note: {n}")
    return "\n".join(lines)


def zone_command(model, values: Mapping[str, Fraction], opts: Mapping[str, str], as_json: bool) -> int:
    """``scfin zone MODEL [NAME=VALUE ...] [--json]``: print the zone's bounds and the profits at each end.

    ``model`` is a catalogue id or a model value; the zone is derived for the
    catalogue's combined contracts (:data:`ZONE_MODELS`), whose coordinating
    family it derives.
    """
    model_id = getattr(model, "id", model)
    if not isinstance(model, str) and model_id in ZONE_MODELS and model != get_model(model_id):
        raise InputError(f"the Pareto zone is derived for the catalogue's {model_id!r} only (its coordinating "
                         f"family of b and phi), not for a model of the same id")
    unknown = [k for k in opts if k != "rate"]
    if unknown:
        raise InputError(f"option {unknown[0]!r} does not apply to the zone (only rate=competitive)")
    z = pareto_zone(model_id, values, rate=opts.get("rate", "competitive"))
    if as_json:
        print(json.dumps(z.to_json(), indent=2))
    else:
        print(zone_text(z))
    return 0

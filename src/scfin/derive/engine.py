"""One Stackelberg backward-induction engine for every model.

Order of play (docs/specification.md section 1): the bank's rate, then the manufacturer's
terms, then the retailer's order (and effort).  The engine

1. takes the expected profits of :mod:`scfin.derive.expectation` on the region
   structure fixed by a numeric *shadow point*;
2. solves the retailer's first-order conditions (closed form where they are
   polynomial of degree at most two, or linear in ``F(q)`` for abstract
   demand), checks the second-order conditions, and, under competitive
   pricing, the bank's break-even condition;
3. substitutes the response into the manufacturer's problem and solves its
   first-order condition, comparing interior stationary points with the ends
   of the admissible interval (a boundary optimum is reported as such);
4. checks the regime at the solution and, if the region structure assumed by
   the shadow point does not hold there, derives again on the new structure.

The engine knows nothing about particular contracts.  Symbolic work is
bounded: only polynomial conditions of degree at most two are solved in
closed form (one unknown: the quadratic formula with the discriminant
factored; two unknowns: ``sympy.solve``); anything else is solved
numerically for given numbers.
"""

from __future__ import annotations

import math
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

import sympy as sp

from scfin.derive.algebra import cancel, diff, factor, factor_rational, is_rational, is_rational_tree, is_zero, numerator
from scfin.spec.demand import Demand, F as Fcdf, Finv, f as fdens
from scfin.derive.expectation import Expectations, expectations
from scfin.spec.models import DECISION_GUESS, DEFAULTS, Model
from scfin.spec.notation import REGISTRY, sym
from scfin.derive.outcome import Condition

#: The names that remain written here: ``r`` and ``rf`` are the bank loan's rate and the risk-free rate
#: (``BankLoan.rate_name``; the rate regimes competitive / exogenous / bank-leader belong to a bank lender,
#: docs/specification.md section 4), ``q`` the retailer's order (``Model.follower[0]``, the one decision
#: every model has) where a shadow guess is placed.  Every other decision name is read from the model.
MAX_DEGREE = 2


class RegimeError(ValueError):
    """No admissible solution: the regime fails for the given numbers."""


@dataclass(frozen=True)
class Stage:
    """One player's problem as solved: conditions and solution."""

    player: str
    decisions: tuple[str, ...]
    objective: sp.Expr
    first_order: tuple[sp.Expr, ...]
    second_order: tuple[Condition, ...]
    solution: Mapping[str, sp.Expr]
    closed_form: bool
    boundary: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Derivation:
    """The symbolic equilibrium of a model on one region structure."""

    model_id: str
    model_key: str
    demand: str
    optimised: tuple[str, ...]
    expectations: Expectations
    stages: tuple[Stage, ...]
    decisions: Mapping[str, sp.Expr]  # closed forms in parameters
    interest_rate: sp.Expr | None
    closed_form: bool
    regime: tuple[Condition, ...]
    #: competitive pricing where the rate cancels from retailer + bank
    joint_follower: bool = False


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def _num(expr, values: Mapping[sp.Symbol, float]) -> complex:
    val = sp.sympify(expr).xreplace(values)
    try:
        return complex(val)
    except TypeError:
        return complex(val.evalf())


def _real(expr, values) -> float | None:
    try:
        z = _num(expr, values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not math.isfinite(z.real) or abs(z.imag) > 1e-9 * max(1.0, abs(z.real)):
        return None
    return z.real


def _general_fractile(eq: sp.Expr, var: sp.Symbol):
    """Solve an equation linear in ``F(var)`` for ``var = F^{-1}(...)``."""
    Fq = sp.Dummy("Fq")
    e = eq.subs(Fcdf(var), Fq)
    if e.has(var) or not e.has(Fq):
        return None
    if sp.degree(sp.numer(sp.together(e)), Fq) != 1:
        return None
    sol = sp.solve(e, Fq)
    if len(sol) != 1:
        return None
    return Finv(factor(sol[0]))


def _diff(expr, var):
    if not expr.has(Fcdf, Finv, sp.Integral):
        return diff(expr, var)  # in lowest terms (FLINT) where expr is a rational function
    d = sp.diff(expr, var)
    if d.has(Fcdf) or d.has(Finv) or d.has(sp.Integral):
        d = abstract_simplify(d.doit())
    return d


def abstract_simplify(expr):
    """Simplify expressions in the abstract ``F``, ``f``, ``F^{-1}`` of general demand.

    Rules: ``F' = f``; ``F(F^{-1}(z)) = z``; ``(F^{-1})'(z) = 1/f(F^{-1}(z))``.
    """
    def is_F_derivative(a):
        return isinstance(a, sp.Derivative) and getattr(a.expr, "func", None) == Fcdf and len(a.variables) == 1

    def is_Finv_derivative(a):
        if isinstance(a, sp.Subs) and isinstance(a.expr, sp.Derivative):
            inner = a.expr
            return getattr(inner.expr, "func", None) == Finv and len(inner.variables) == 1
        return False

    expr = expr.replace(is_F_derivative, lambda a: fdens(*a.expr.args))
    expr = expr.replace(is_Finv_derivative, lambda a: 1 / fdens(Finv(a.point[0])))
    expr = expr.replace(lambda a: getattr(a, "func", None) == Fcdf and getattr(a.args[0], "func", None) == Finv,
                        lambda a: a.args[0].args[0])
    return sp.simplify(expr)


def _polynomial_ok(eqs, variables, max_degree: int = MAX_DEGREE) -> bool:
    for eq in eqs:
        num = numerator(eq)
        try:
            poly = sp.Poly(num, *variables)
        except sp.PolynomialError:
            return False
        if poly.total_degree() > max_degree:
            return False
        for coeff in poly.coeffs():
            if any(coeff.has(s) for s in variables):
                return False
            if coeff.has(sp.Integral, sp.Function("F"), sp.exp, sp.erf):
                return False
    return True


# ---------------------------------------------------------------------------
# the engine
# ---------------------------------------------------------------------------

class DerivationTimeout(Exception):
    """The symbolic work ran past its time budget."""


#: seconds after which an expired budget raises again, should its exception have been swallowed
RETRY_S = 0.05


@contextmanager
def time_budget(seconds: float | None):
    """Bound symbolic work: raise :class:`DerivationTimeout` after ``seconds``.

    Uses ``SIGALRM``, so it only bounds work in the main thread (elsewhere it
    does nothing).  Python ignores an exception raised while a garbage-collector
    callback or a ``__del__`` runs (hypothesis registers such a callback: the
    test suite showed a statics timeout lost that way), and a broad ``except``
    inside a library can swallow it too; so the handler re-arms the timer before
    it raises, and the budget raises again until the block is left.
    """
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    active = [True]

    def _raise(signum, frame):
        if not active[0]:
            return  # the block is being left
        signal.setitimer(signal.ITIMER_REAL, RETRY_S)  # again, should this one be swallowed
        raise DerivationTimeout(f"symbolic derivation exceeded {seconds:g} s")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        while True:  # a repeated alarm may land here before the handler is switched off: do it again
            try:
                active[0] = False
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, old)
                break
            except DerivationTimeout:
                continue


def derive(
    model: Model,
    demand: Demand,
    optimised: tuple[str, ...],
    shadow: Mapping[sp.Symbol, float],
    known: Mapping[str, sp.Expr] | None = None,
) -> Derivation:
    """Backward induction on the region structure that holds at ``shadow``.

    ``known`` maps names to numbers substituted before deriving.
    """
    E = expectations(model, demand, shadow, known)
    r = sym("r")
    values = dict(E.values)
    stages: list[Stage] = []
    regime = list(E.regime)
    closed = True

    # -- the bank's rate under competitive pricing ---------------------------
    rate_expr = None  # r as a function of decisions (competitive only)
    joint_follower = False
    follower_obj = values["retailer"]
    if model.rate == "competitive":
        joint = values["retailer"] + values["bank"]
        if _is_zero(sp.diff(joint, r)):
            # on the break-even surface the retailer's profit equals joint; the
            # rate cancels from it (checked), so any value may stand in for it
            follower_obj = joint.subs(r, 0)
            joint_follower = True
        else:
            rate_expr = _breakeven_rate(values["bank"], shadow)
            if rate_expr is None:
                closed = False
            else:
                follower_obj = values["retailer"].subs(r, rate_expr)

    # -- the retailer -------------------------------------------------------
    fvars = tuple(d for d in model.follower if d in optimised)
    response: dict[str, sp.Expr] = {}
    if fvars and closed:
        stage = _solve_player("retailer", follower_obj, fvars, demand, shadow)
        stages.append(stage)
        closed = stage.closed_form
        response = dict(stage.solution)
    # -- the manufacturer ---------------------------------------------------
    lvars = tuple(d for d in model.leader if d in optimised and d not in model.fixed)
    leader_sol: dict[str, sp.Expr] = {}
    if lvars and closed:
        m_obj = values["manufacturer"]
        if rate_expr is not None:
            m_obj = m_obj.subs(r, rate_expr)
        elif model.rate == "competitive" and _is_zero(sp.diff(m_obj, r)):
            # r enters only through region bounds that cancel (the default
            # threshold splits a continuous integrand): drop it before solving
            m_obj = m_obj.subs(r, 0)
        m_obj = m_obj.subs({sym(k): v for k, v in response.items()})
        stage = _solve_leader("manufacturer", m_obj, lvars, demand, shadow, regime, response, rate_expr, model)
        stages.append(stage)
        closed = stage.closed_form
        leader_sol = dict(stage.solution)

    decisions: dict[str, sp.Expr] = {}
    if closed:
        lsubs = {sym(k): v for k, v in leader_sol.items()}
        for name, expr in response.items():
            decisions[name] = _tidy(expr.subs(lsubs))
        decisions.update({k: _tidy(v) for k, v in leader_sol.items()})
    interest = None
    if model.loan is not None:
        if model.rate == "competitive":
            if closed:
                if rate_expr is None:
                    rate_expr = _breakeven_rate(values["bank"], shadow)
                interest = None if rate_expr is None else _tidy(rate_expr.subs({sym(k): v for k, v in decisions.items()}))
        else:
            interest = r
    return Derivation(
        model_id=model.id,
        model_key=model.key(),
        demand=demand.name,
        optimised=optimised,
        expectations=E,
        stages=tuple(stages),
        decisions=decisions,
        interest_rate=interest,
        closed_form=closed,
        regime=tuple(regime),
        joint_follower=joint_follower,
    )


def _tidy(expr):
    """Cheap canonical form: factor rational functions, leave radicals alone.

    ``simplify`` on radicals of large polynomials can run for minutes; the
    display layer may simplify further with a time bound.
    """
    if is_rational(expr):
        return factor_rational(expr)
    if expr.has(sp.Integral) or expr.has(Finv):
        return sp.simplify(expr)
    return expr


def _is_zero(expr) -> bool:
    if is_zero(expr):
        return True
    if is_rational_tree(expr):  # is_zero decided it exactly
        return False
    if expr.is_rational_function():
        return cancel(expr) == 0
    return sp.simplify(expr) == 0


def _breakeven_rate(bank_profit, shadow):
    """The smallest rate ``r >= rf`` at which the bank breaks even (closed form)."""
    r = sym("r")
    num = numerator(bank_profit)
    try:
        poly = sp.Poly(num, r)
    except sp.PolynomialError:
        return None
    if poly.degree() > MAX_DEGREE or poly.degree() < 1:
        return None
    if any(c.has(sp.Integral, sp.exp, sp.erf, sp.Function("F")) for c in poly.coeffs()):
        return None
    roots = _polynomial_roots(poly)
    rf = shadow[sym("rf")]
    best = None
    for root in roots:
        val = _real(root, shadow)
        if val is None or val < rf - 1e-9:
            continue
        if best is None or val < best[1]:
            best = (root, val)
    return None if best is None else best[0]


def _roots(expr, x: sp.Symbol) -> list[sp.Expr]:
    """Roots in ``x`` of a rational function whose numerator has degree one or two in ``x``."""
    poly = sp.Poly(numerator(expr), x)
    if poly.degree() < 1:  # no root, or every x a root: no isolated candidate (as sympy.solve)
        return []
    return _polynomial_roots(poly)


def _polynomial_roots(poly: sp.Poly) -> list[sp.Expr]:
    """Roots of a polynomial of degree one or two, each in a tidy closed form.

    The quadratic formula, with the discriminant factored: square factors
    and positive symbols are taken out of the root (``sqrt(4*A*q**2*X)`` is
    written ``2*q*sqrt(A)*sqrt(X)``, the two signs of ``q`` giving the same
    pair of roots) and what stays under it is expanded, so that every
    derivative of the root has a single radicand (what
    :func:`scfin.claims.proof.radical_sign` reads); each root is one
    fraction.  This replaces ``sympy.solve``, whose default simplification
    of the roots cost seconds per rate and gave the same forms.
    """
    coeffs = [cancel(c) for c in poly.all_coeffs()]
    if not 2 <= len(coeffs) <= 3:
        raise ValueError(f"degree one or two expected, got {poly.degree()}")
    if len(coeffs) == 2:
        return [cancel(-coeffs[1] / coeffs[0])]
    a, b, c = coeffs
    disc = factor(b ** 2 - 4 * a * c)
    if is_zero(disc):
        return [cancel(-b / (2 * a))]
    outside, positive, rest = sp.Integer(1), sp.Integer(1), sp.Integer(1)
    for f in sp.Mul.make_args(disc):
        base, e = f.as_base_exp()
        if f.is_Number:
            k, m = sp.sqrt(abs(f)).as_coeff_Mul()  # sqrt(12) = 2*sqrt(3): 2 out, 3 stays under the root
            outside *= k
            rest *= sp.sign(f) * m ** 2
        elif e.is_Integer:  # base**e = (base**(e//2))**2 * base**(e%2), also for e < 0
            outside *= base ** (e // 2)
            if base.is_positive:
                positive *= base ** (e % 2)
            else:
                rest *= base ** (e % 2)
        else:
            rest *= f
    # one fraction, as SymPy writes a simplified root: cancel with the root as a variable
    s = sp.Dummy("s", positive=True)
    root = sp.sqrt(positive) * sp.sqrt(sp.expand(rest))
    roots = []
    for sign in (-1, 1):
        num, den = sp.fraction(cancel((-b + sign * outside * s) / (2 * a)))
        roots.append(num.xreplace({s: root}) / factor(den))
    return roots


def _solve_player(player, obj, dvars, demand, shadow) -> Stage:
    syms = tuple(sym(d) for d in dvars)
    foc = tuple(_diff(obj, s) for s in syms)
    hess = [[_diff(fi, s) for s in syms] for fi in foc]
    soc = _second_order(hess)
    solution = None
    if demand.name == "general" and len(syms) == 1:
        inv = _general_fractile(foc[0], syms[0])
        if inv is not None:
            solution = {dvars[0]: inv}
    elif demand.closed_form and _polynomial_ok(foc, syms):
        nums = [numerator(fi) for fi in foc]
        sols = sp.solve(nums, syms, dict=True)
        best = None
        for sol in sols:
            if set(sol) != set(syms):
                continue
            point = dict(shadow)
            ok = True
            for s in syms:
                val = _real(sol[s], shadow)
                if val is None:
                    ok = False
                    break
                point[s] = val
            if not ok:
                continue
            value = _real(obj, point)
            if value is not None and (best is None or value > best[1]):
                best = (sol, value)
        if best is not None:
            solution = {d: factor(best[0][s]) for d, s in zip(dvars, syms)}
    return Stage(
        player=player,
        decisions=dvars,
        objective=obj,
        first_order=foc,
        second_order=soc,
        solution=solution or {},
        closed_form=solution is not None,
        note="" if solution is not None else "no closed form: solved numerically",
    )


def _second_order(hess) -> tuple[Condition, ...]:
    n = len(hess)
    out = []
    if n >= 1:
        out.append(Condition(_tidy(-hess[0][0]), strict=True))
    if n == 2:
        det = hess[0][0] * hess[1][1] - hess[0][1] * hess[1][0]
        out.append(Condition(_tidy(det), strict=True))
    return tuple(c for c in out if not (c.expr.is_number and c.expr > 0))


def _solve_leader(player, obj, dvars, demand, shadow, regime, response, rate_expr, model) -> Stage:
    """The leader maximises over its admissible interval: stationary points and ends."""
    if len(dvars) != 1:
        return Stage(player, dvars, obj, (), (), {}, False,
                     note="several leader decisions: solved numerically (the engine solves one in closed form)")
    w = sym(dvars[0])
    # one fraction in lowest terms before differentiating: the response
    # substituted into the objective makes sums of large fractions, whose
    # derivatives would otherwise be several times larger
    foc = _diff(cancel(obj) if is_rational(obj) else obj, w)
    soc = _second_order([[_diff(foc, w)]])
    candidates: list[tuple[sp.Expr, str]] = []
    closed = False
    numeric_roots = False
    if demand.closed_form and _polynomial_ok([foc], (w,)):
        closed = True
        for root in _roots(foc, w):
            candidates.append((root, "interior"))
    elif demand.closed_form and foc.free_symbols <= {w} and _polynomial_ok([foc], (w,), max_degree=12):
        # every parameter is a number: the roots of the polynomial condition,
        # to working precision (no radicals beyond degree two)
        closed = numeric_roots = True
        poly = sp.Poly(numerator(foc), w)
        for root in poly.nroots(n=30, maxsteps=200):
            if abs(sp.im(root)) < 1e-20:
                candidates.append((sp.re(root), "interior"))
    if not closed:
        note = ("implicit first-order condition (no closed form for abstract F)" if demand.name == "general"
                else "no closed form: solved numerically")
        return Stage(player, dvars, obj, (foc,), soc, {}, False, note=note)
    lo, hi, lo_expr, hi_expr = _leader_interval(w, regime, response, rate_expr, shadow, model)
    pool = []
    for root, kind in candidates:
        val = _real(root, shadow)
        if val is not None and lo - 1e-12 < val < hi + 1e-12:
            pool.append((root, kind, val))
    for expr, val in ((lo_expr, lo), (hi_expr, hi)):
        if expr is not None and math.isfinite(val):
            pool.append((expr, "boundary", val))
    if not pool:
        return Stage(player, dvars, obj, (foc,), soc, {}, False, note="no admissible stationary point")

    def score(item):
        return _real(obj, {**shadow, w: item[2]}) or -math.inf

    best = max(pool, key=lambda item: (score(item), item[1] == "interior"))
    # an interior stationary point ties a boundary only if it sits on it
    boundary = (dvars[0],) if best[1] == "boundary" else ()
    note = ""
    if boundary:
        note = (f"boundary solution: the manufacturer's profit is maximal at the edge of the "
                f"admissible interval, {dvars[0]} -> {best[0]}")
        soc = ()  # a corner optimum needs no second-order condition
    elif numeric_roots:
        note = ("the manufacturer's first-order condition is a polynomial of degree above two: "
                "its root is computed to 30 digits, not in radicals")
    value = best[0] if numeric_roots else factor(best[0])
    return Stage(player, dvars, obj, (foc,), soc, {dvars[0]: value}, True, boundary, note)


def _bound_symbol(ref):
    return sym(ref) if isinstance(ref, str) else sp.Integer(ref)


def _leader_interval(w, regime, response, rate_expr, shadow, model):
    """Admissible interval of the leader's decision at the shadow point.

    The bounds the clauses declare (:meth:`scfin.spec.models.Model.leader_bounds`:
    ``c < w < p``, ``b < w`` with a repurchase) and every regime condition with
    the follower's response substituted; the interval is the connected component
    containing the shadow's value.  Returns numbers and the binding
    expressions (``None`` when the bound is static and open).
    """
    lower_refs, upper_refs = model.leader_bounds(str(w))
    lower = [(_bound_symbol(ref), _real(_bound_symbol(ref), shadow)) for ref in lower_refs]
    upper = [(_bound_symbol(ref), _real(_bound_symbol(ref), shadow)) for ref in upper_refs]
    lower = lower or [(None, -math.inf)]
    upper = upper or [(None, math.inf)]
    base_lo = max(v for _, v in lower)
    base_hi = min(v for _, v in upper)
    lo_expr = max(lower, key=lambda t: t[1])[0]
    hi_expr = min(upper, key=lambda t: t[1])[0]
    lo, hi = base_lo, base_hi
    rsubs = {sym(k): v for k, v in response.items()}
    for cond in regime:
        g = cond.expr.subs(rsubs)
        if rate_expr is not None:
            g = g.subs(sym("r"), rate_expr).subs(rsubs)
        if not g.has(w):
            continue
        if model.rate == "competitive" and g.has(sym("r")):
            # the rate here is the break-even rate, a function of the decisions:
            # such a condition is checked at the solution, not solved for w
            continue
        try:
            roots = _roots(g, w) if _polynomial_ok([g], (w,)) else []
        except NotImplementedError:
            roots = []
        for root in roots:
            val = _real(root, shadow)
            if val is None or not (lo < val < hi):
                continue
            # which side of the root is admissible?
            mid_lo = _real(g, {**shadow, w: (lo + val) / 2})
            if mid_lo is not None and mid_lo < 0:
                lo, lo_expr = val, root
            else:
                hi, hi_expr = val, root
    return lo, hi, lo_expr, hi_expr


# ---------------------------------------------------------------------------
# shadow points and the outer loop
# ---------------------------------------------------------------------------

def base_shadow(model: Model, demand: Demand, values: Mapping[str, Fraction]) -> dict[sp.Symbol, float]:
    shadow: dict[sp.Symbol, float] = {}
    for name, val in DEFAULTS.items():
        shadow[sym(name)] = float(val)
    for name, val in model.defaults.items():
        shadow[sym(name)] = float(val)
    shadow_demand = demand.shadow()
    for name, val in shadow_demand.defaults.items():
        shadow[sym(name)] = float(val)
    # the demand's scale orders the breakpoints (the order, a sales target) inside its range
    scale = {"uniform": "A", "normal": "mu", "exponential": "theta"}.get(shadow_demand.name)
    for name, val in DECISION_GUESS.items():
        shadow[sym(name)] = float(val)
    for name, info in REGISTRY.items():  # a declared symbol: inside its draw range, else its default, else 1
        if info.kind != "derived" and sym(name) not in shadow:
            guess = (info.draw[0] + info.draw[1]) / 2 if info.draw else info.default if info.default is not None else 1
            shadow[sym(name)] = float(guess)
    for name, val in values.items():
        shadow[sym(name)] = float(val)
    size = shadow[sym(scale)] if scale else float(shadow_demand.q_bound({str(k): v for k, v in shadow.items()})) / 2
    if "T" not in values:
        # a symbolic target: order it inside the demand range, so the closed
        # form covers 0 <= T <= q (T = 0 included) rather than only T = 0
        shadow[sym("T")] = 0.25 * size
    if "q" not in values:
        shadow[sym("q")] = 0.55 * size if shadow_demand.name == "uniform" else size
    if "w" not in values:
        pv, cv = shadow[sym("p")], shadow[sym("c")]
        shadow[sym("w")] = (pv + cv) / 2
    return shadow

"""The five worked examples of docs/specification.md section 6a (``examples/``), and a sixth written here.

Each example is solved from the command line (``scfin solve PATH.py:model ... --json``) and through the
Python API, rendered with ``scfin latex`` and plotted with ``scfin plot``; every one is compared with a
brute-force computation written from the cash flows its docstring states, independently of the clause
code (no scfin import below the brute-force line: quadrature over uniform demand and a grid search).
A sixth contract written to a temporary file solves, renders, and gets a new answer when its file is
edited (the cache key covers the user's code).  The tutorial (``examples/tutorial.py``) is executed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate, optimize

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
NAMES = ("trade_credit", "partial_credit_guarantee", "buyback_revenue_sharing", "two_part_tariff",
         "multiplicative_effort")

#: name -> (NAME=VALUE arguments of the command line, worked point); the point's options (rate=...) included
POINTS = {
    "trade_credit": ["p=10", "c=4", "A=100", "eta=100", "rs=0"],
    "partial_credit_guarantee": ["p=10", "c=4", "A=100", "eta=100", "beta=1/2", "rate=exogenous", "r=1/10"],
    "buyback_revenue_sharing": ["p=10", "c=4", "A=100", "psi=2/3", "b=3"],
    "two_part_tariff": ["p=10", "c=4", "A=100", "R0=10"],
    "multiplicative_effort": ["p=10", "c=4", "A=1", "kappa=1"],
}
#: name -> the --vary argument of its plot
VARY = {
    "trade_credit": "eta=50:150",
    "partial_credit_guarantee": "beta=0:1",
    "buyback_revenue_sharing": "psi=1/2:1",
    "two_part_tariff": "R0=0:40",
    "multiplicative_effort": "kappa=1:2",
}


def ref(name: str) -> str:
    return f"{EXAMPLES / name}.py:model"


def split(args):
    """NAME=VALUE arguments -> (values, options) for the Python API."""
    pairs = dict(a.split("=", 1) for a in args)
    opts = {k: pairs.pop(k) for k in ("rate", "share") if k in pairs}
    return pairs, opts


def api(name: str, values: dict, **opts):
    """The Python API's equilibrium as floats: decisions, profits, metrics, boundary."""
    import scfin
    from scfin import solve

    eq = solve(scfin.load_model(ref(name)), values, **opts)
    out = {k: float(v) for group in (eq.decisions, eq.profits, eq.metrics) for k, v in group.items()}
    return out, tuple(eq.boundary)


def cli(capsys, *argv) -> tuple[int, str, str]:
    from scfin.cli import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def close(engine: dict, brute: dict, rel: dict, default: float):
    """Compare every key of ``brute`` with ``engine`` at the relative tolerance given (absolute near 0)."""
    for key, value in brute.items():
        if key in engine:
            tol = rel.get(key, default)
            assert engine[key] == pytest.approx(value, rel=tol, abs=tol), key


# ---------------------------------------------------------------------------
# The examples as files: short, documented, loadable
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_example_file_is_short_documented_and_loads(name):
    import scfin

    path = EXAMPLES / f"{name}.py"
    text = path.read_text()
    assert len(text.splitlines()) <= 40, f"{path.name} has {len(text.splitlines())} lines (at most 40)"
    doc = text.split('"""')[1]
    assert re.search(r"\((?:[A-Z][^()]*?)?(19|20)\d\d", doc), "the docstring cites a source (author, year)"
    assert re.search(r"pays|receives|keeps|costs", doc), "the docstring states the cash flows"
    model = scfin.load_model(ref(name))
    assert isinstance(model, scfin.Model) and model.reference


# ---------------------------------------------------------------------------
# Command line and Python API: the same numbers
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_cli_and_api_give_the_same_equilibrium(name, capsys):
    code, out, err = cli(capsys, "solve", ref(name), *POINTS[name], "--json")
    assert code == 0, err
    data = json.loads(out)
    values, opts = split(POINTS[name])
    engine, boundary = api(name, values, **opts)
    for group in ("decisions", "profits", "metrics"):
        for key, value in data[group].items():
            assert value == pytest.approx(engine[key], rel=1e-12, abs=1e-12), key
    assert data["boundary"] == list(boundary)
    assert data["regime"]["holds"] is True


def test_cli_names_a_missing_model_in_one_line(capsys, tmp_path):
    code, _, err = cli(capsys, "solve", f"{tmp_path / 'nothing.py'}:model", "p=10")
    assert code == 2 and err.count("\n") == 1 and "no such model file" in err


# ---------------------------------------------------------------------------
# LaTeX and plots
# ---------------------------------------------------------------------------

PYTHON_REPRS = ("Symbol(", "Fraction(", "Float(", "Rational(", " object at ", "Eq(", "**", "sqrt(", "Piecewise(",
                "<class", "np.float", "None")


@pytest.mark.parametrize("name", NAMES)
def test_latex_renders(name, capsys):
    code, out, err = cli(capsys, "latex", ref(name), *POINTS[name])
    assert code == 0, err
    assert out.strip() and r"\[" in out and r"\Pi_M" in out
    assert not [r for r in PYTHON_REPRS if r in out], out
    assert out.count("{") == out.count("}")


@pytest.mark.parametrize("name", NAMES)
def test_plot_writes_files(name, capsys, tmp_path):
    values = [a for a in POINTS[name] if a.split("=")[0] != VARY[name].split("=")[0]]
    stem = tmp_path / name
    code, out, err = cli(capsys, "plot", ref(name), *values, "--vary", VARY[name], "--points", "5", "--out", str(stem))
    assert code == 0, err
    for suffix in (".pdf", ".png"):
        assert stem.with_suffix(suffix).stat().st_size > 1000


def test_verify_command(capsys):
    """Each example passes ``scfin verify`` at its worked point (engine vs quadrature, global grids, Monte Carlo)."""
    for name in NAMES:
        code, out, err = cli(capsys, "verify", ref(name), *POINTS[name], "--points", "1")
        assert code == 0, f"{name}: {out}{err}"


# ---------------------------------------------------------------------------
# Brute force, written from the cash flows the examples' docstrings state
# (docs/specification.md section 6a) and nothing else: no scfin import.
# Demand is uniform on [0, A]; every integrand below is piecewise linear in
# the demand x (or in base demand xi), so a Gauss-Legendre rule on each piece
# between the kinks the cash flows name is exact; it is checked against
# scipy.integrate.quad in test_brute_force_quadrature.  Decisions are found by
# a grid search refined by a bounded scalar search (Nelder-Mead from the best
# grid point for the retailer's two decisions under multiplicative effort).
# ---------------------------------------------------------------------------
_GL_X, _GL_W = np.polynomial.legendre.leggauss(8)


def expect(fun, A, kinks=()):
    """E[fun(x)] for x uniform on [0, A], the rule split at ``kinks``."""
    edges = np.array(sorted({0.0, float(A), *(float(k) for k in kinks if 0.0 < k < A)}))
    lo, hi = edges[:-1, None], edges[1:, None]
    x = (lo + hi) / 2 + (hi - lo) / 2 * _GL_X
    return float(np.sum((hi - lo) / 2 * _GL_W * fun(x))) / A


def expect_quad(fun, A, kinks=()):
    """The same expectation by adaptive quadrature (scipy.integrate.quad)."""
    points = sorted(float(k) for k in kinks if 0.0 < k < A) or None
    return integrate.quad(lambda x: float(fun(np.float64(x))), 0.0, A, points=points, limit=200,
                          epsabs=1e-11, epsrel=1e-12)[0] / A


def argmax(f, lo, hi, n=121, polish=True):
    """(x, f(x)) maximising f on [lo, hi].

    A grid, then a bounded scalar search between the best point's neighbours,
    then (``polish``, for the retailer's response) the root of a central-difference
    derivative there: the response must be precise, or the leader above it sees noise.
    """
    xs = np.linspace(lo, hi, n)
    vals = np.array([f(x) for x in xs])
    i = int(np.nanargmax(vals))
    a, b = xs[max(i - 1, 0)], xs[min(i + 1, n - 1)]
    res = optimize.minimize_scalar(lambda x: -f(x), bounds=(a, b), method="bounded",
                                   options={"xatol": 1e-11 * max(1.0, abs(hi))})
    best = (float(res.x), float(-res.fun)) if -res.fun >= vals[i] else (float(xs[i]), float(vals[i]))
    h = 1e-6 * (hi - lo)
    slope = lambda x: (f(x + h) - f(x - h)) / (2 * h)  # noqa: E731
    if polish and a + h < b - h and slope(a + h) > 0 > slope(b - h):
        x = optimize.brentq(slope, a + h, b - h, xtol=1e-13 * max(1.0, abs(hi)))
        if f(x) >= best[1] - 1e-12 * max(1.0, abs(best[1])):
            best = (float(x), float(f(x)))
    return best


def bf_two_part_tariff(p, c, A, R0, v=0.0):
    """R pays w q + fee at time 0, sells min(x, q) at p, salvages (q - x)^+ at v; M sets w >= c and fee, R earns >= R0."""
    def gross(w, q):  # R's expected profit before the fee
        return expect(lambda x: p * np.minimum(x, q) + v * np.maximum(q - x, 0.0), A, (q,)) - w * q

    def response(w):
        return argmax(lambda q: gross(w, q), 0.0, A)

    def manufacturer(w):  # the largest fee R accepts leaves it R0
        q, g = response(w)
        return (w - c) * q + (g - R0)

    w, m = argmax(manufacturer, c, p, polish=False)
    q, g = response(w)
    return {"w": w, "q": q, "fee": g - R0, "retailer": R0, "manufacturer": m}


def bf_multiplicative_effort(p, c, A, kappa, v=0.0):
    """D = e xi, xi uniform on [0, A]; R pays w q, sells min(D, q) at p, salvages (q - D)^+ at v, pays kappa e^2 / 2."""
    def retailer(w, q, e):
        if q < 0 or e < 0:
            return -np.inf
        return expect(lambda xi: p * np.minimum(e * xi, q) + v * np.maximum(q - e * xi, 0.0), A,
                      (q / e,) if e > 0 else ()) - w * q - kappa * e * e / 2

    def response(w):
        e_top = p * A / kappa  # revenue is at most p e A, so larger effort never pays
        grid = [(q, e) for e in np.linspace(0.0, e_top, 13)[1:] for q in np.linspace(0.0, e * A, 13)]
        start = max(grid, key=lambda z: retailer(w, *z))
        res = optimize.minimize(lambda z: -retailer(w, *z), start, method="Nelder-Mead",
                                options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": 4000})
        return float(res.x[0]), float(res.x[1]), float(-res.fun)

    def manufacturer(w):
        q, e, _ = response(w)
        return (w - c) * q

    w, m = argmax(manufacturer, c, p, n=31, polish=False)
    q, e, r = response(w)
    _, _, integrated = response(c)  # one firm: w = c
    return {"w": w, "q": q, "e": e, "retailer": r, "manufacturer": m, "integrated": integrated}


def _limited_liability(p, v, q, face):
    """Kinks of R's end cash against a debt ``face``: Y(x) = p min(x, q) + v (q - x)^+ meets face at k."""
    return (q, (face - v * q) / (p - v))


def bf_trade_credit(p, c, A, eta, v=0.0):
    """R pays min(w q, eta) at time 0, owes L (1 + rs), L = (w q - eta)^+, to M and repays min(Y, L (1 + rs))."""
    def flows(w, rs, q):
        L = max(w * q - eta, 0.0)
        face = L * (1 + rs)
        kinks = _limited_liability(p, v, q, face)
        Y = lambda x: p * np.minimum(x, q) + v * np.maximum(q - x, 0.0)  # noqa: E731
        own = min(w * q, eta)
        retailer = expect(lambda x: np.maximum(Y(x) - face, 0.0), A, kinks) - own
        manufacturer = own - c * q + expect(lambda x: np.minimum(Y(x), face), A, kinks)
        return retailer, manufacturer

    def leader(rs):
        def response(w):
            return argmax(lambda q: flows(w, rs, q)[0], 0.0, A)[0]

        w, _ = argmax(lambda w: flows(w, rs, response(w))[1], c, p, n=41, polish=False)
        q = response(w)
        r, m = flows(w, rs, q)
        return {"w": w, "q": q, "rs": rs, "retailer": r, "manufacturer": m}

    return leader


def bf_partial_credit_guarantee(p, c, A, eta, beta, v=0.0, rf=0.0):
    """Bank loan L = (w q - eta)^+ at rate r, R repays min(Y, L (1 + r)); in default M pays beta (L (1 + r) - Y)."""
    def flows(w, r, q):
        L = max(w * q - eta, 0.0)
        face = L * (1 + r)
        kinks = _limited_liability(p, v, q, face)
        Y = lambda x: p * np.minimum(x, q) + v * np.maximum(q - x, 0.0)  # noqa: E731
        shortfall = expect(lambda x: np.maximum(face - Y(x), 0.0), A, kinks)
        retailer = expect(lambda x: np.maximum(Y(x) - face, 0.0), A, kinks) - min(w * q, eta) * (1 + rf)
        manufacturer = (w - c) * q * (1 + rf) - beta * shortfall
        bank = expect(lambda x: np.minimum(Y(x), face), A, kinks) + beta * shortfall - L * (1 + rf)
        return {"retailer": retailer, "manufacturer": manufacturer, "bank": bank}

    def fair_rate(w, q):
        """The smallest r >= rf at which the bank breaks even on this loan (None: no such rate)."""
        if w * q <= eta:
            return rf
        bank = lambda r: flows(w, r, q)["bank"]  # noqa: E731
        rates = rf + np.concatenate([[0.0], np.geomspace(1e-4, 50.0, 30)])
        vals = [bank(r) for r in rates]
        if vals[0] >= 0:
            return rf
        for a, b, fa, fb in zip(rates, rates[1:], vals, vals[1:]):
            if fa < 0 <= fb:
                return optimize.brentq(bank, a, b, xtol=1e-14)
        return None

    def exogenous(r, w=None):
        """M's choice of w when the bank charges r (or the retailer's response to the w given)."""
        def response(w):
            return argmax(lambda q: flows(w, r, q)["retailer"], 0.0, A)[0]

        if w is None:
            w, _ = argmax(lambda w: flows(w, r, response(w))["manufacturer"], c, p, n=41, polish=False)
        q = response(w)
        return {"w": w, "q": q, "r": r, **flows(w, r, q)}

    def competitive():
        """The bank prices each loan fairly; R anticipates the rate schedule r(q)."""
        def retailer(w, q):
            r = fair_rate(w, q)
            return -np.inf if r is None else flows(w, r, q)["retailer"]

        def response(w):
            return argmax(lambda q: retailer(w, q), 0.0, A, n=41)[0]

        def manufacturer(w):
            q = response(w)
            r = fair_rate(w, q)
            return -np.inf if r is None else flows(w, r, q)["manufacturer"]

        w, _ = argmax(manufacturer, c, p, n=17, polish=False)
        q = response(w)
        r = fair_rate(w, q)
        return {"w": w, "q": q, "r": r, **flows(w, r, q)}

    return exogenous, competitive


def bf_buyback_revenue_sharing(p, c, A, psi, b, lam=1.0, v=0.0):
    """R pays w q, keeps psi p min(x, q); M buys each leftover at b (executed with probability lam, else R salvages at v)."""
    def flows(w, q):
        sales = expect(lambda x: np.minimum(x, q), A, (q,))
        left = q - sales
        retailer = psi * p * sales + (lam * b + (1 - lam) * v) * left - w * q
        manufacturer = (w - c) * q + (1 - psi) * p * sales - lam * (b - v) * left
        return retailer, manufacturer

    def response(w):
        return argmax(lambda q: flows(w, q)[0], 0.0, A)[0]

    w, _ = argmax(lambda w: flows(w, response(w))[1], 0.0, p, polish=False)
    q = response(w)
    r, m = flows(w, q)
    return {"w": w, "q": q, "retailer": r, "manufacturer": m}


# ---------------------------------------------------------------------------
# Engine (command line and API) against the brute force
# ---------------------------------------------------------------------------

#: The leader's profit is flat at its optimum, so the brute force finds w (and the order that follows) to
#: about 1e-6 and the leader's profit to 1e-7 and better; the retailer's and the bank's profits move at
#: first order with w (by q dw), so they are compared at 1e-4.
LEADER_TOL = {"w": 1e-4, "q": 2e-4, "e": 1e-4, "retailer": 1e-4, "bank": 1e-4}


def test_brute_force_quadrature():
    """The exact piecewise rule agrees with adaptive quadrature on the cash flows used below."""
    p, v, q, face, A = 10.0, 1.0, 37.0, 190.0, 100.0
    Y = lambda x: p * np.minimum(x, q) + v * np.maximum(q - x, 0.0)  # noqa: E731
    kinks = _limited_liability(p, v, q, face)
    for fun in (lambda x: np.maximum(Y(x) - face, 0.0), lambda x: np.minimum(Y(x), face)):
        assert expect(fun, A, kinks) == pytest.approx(expect_quad(fun, A, kinks), rel=1e-10)
    # and the textbook expected sales S(q) = q - q^2 / (2 A)
    assert expect(lambda x: np.minimum(x, q), A, (q,)) == pytest.approx(q - q * q / (2 * A), rel=1e-13)


def test_two_part_tariff_against_brute_force_and_closed_form(capsys):
    """Known answer (Cachon 2003, section 3): w = c, q = A (p - c)/(p - v), fee = integrated profit - R0."""
    for args, (p, c, A, v, R0) in ((POINTS["two_part_tariff"], (10, 4, 100, 0, 10)),
                                   (["p=12", "c=5", "v=1", "A=80", "R0=0"], (12, 5, 80, 1, 0))):
        code, out, err = cli(capsys, "solve", ref("two_part_tariff"), *args, "--json")
        assert code == 0, err
        data = json.loads(out)
        engine = {**data["decisions"], **data["profits"]}
        q0 = A * (p - c) / (p - v)
        integrated = (p - v) * (q0 - q0 * q0 / (2 * A)) + v * q0 - c * q0
        closed = {"w": c, "q": q0, "fee": integrated - R0, "retailer": R0, "manufacturer": integrated - R0}
        close(engine, closed, {}, 1e-6)
        close(engine, bf_two_part_tariff(p, c, A, R0, v=v), {"q": 1e-6}, 1e-7)
        assert data["boundary"] == ["w"]  # w = c is the edge of w >= c


def test_multiplicative_effort_against_brute_force_and_closed_form():
    """Closed form (the example's docstring): w* = (p + 3c)/4, e* = A (p - w)^2 / (2 (p - v) kappa), q* = e* A (p - w)/(p - v)."""
    for args, (p, c, A, kappa, v) in ((POINTS["multiplicative_effort"], (10, 4, 1, 1, 0)),
                                      (["p=12", "c=3", "v=1", "A=2", "kappa=2"], (12, 3, 2, 2, 1))):
        engine, _ = api("multiplicative_effort", split(args)[0])
        w = (p + 3 * c) / 4
        e = A * (p - w) ** 2 / (2 * (p - v) * kappa)
        q = e * A * (p - w) / (p - v)
        integrated = (A * (p - c) ** 2 / (2 * (p - v))) ** 2 / (2 * kappa)
        closed = {"w": w, "e": e, "q": q, "retailer": kappa * e * e / 2, "manufacturer": (w - c) * q}
        close(engine, closed, {}, 1e-5)
        assert engine["efficiency"] == pytest.approx((closed["retailer"] + closed["manufacturer"]) / integrated, rel=1e-5)
        brute = bf_multiplicative_effort(p, c, A, kappa, v=v)
        close(engine, brute, {**LEADER_TOL, "e": 1e-4}, 1e-6)
        assert brute["integrated"] == pytest.approx(integrated, rel=1e-8)


def test_trade_credit_against_brute_force(capsys):
    """Given rate rs (0 and 10 %): M's choice of w, R's order, both profits."""
    for args, (p, c, A, eta, v, rs) in ((POINTS["trade_credit"], (10, 4, 100, 100, 0, 0.0)),
                                        (["p=10", "c=4", "A=100", "eta=50", "v=1", "rs=1/10"], (10, 4, 100, 50, 1, 0.1))):
        code, out, err = cli(capsys, "solve", ref("trade_credit"), *args, "--json")
        assert code == 0, err
        data = json.loads(out)
        engine = {**data["decisions"], **data["profits"]}
        # M's profit is flat at its optimum: w and q agree to 1e-4, the profits to 1e-7
        close(engine, bf_trade_credit(p, c, A, eta, v=v)(rs), LEADER_TOL, 1e-7)


def test_trade_credit_rate_chosen_by_the_manufacturer():
    """M choosing rs too: no rate above 0 earns it more (Kouvelis & Zhao 2012), so the engine's rs = 0 edge is right."""
    engine, boundary = api("trade_credit", {"p": 10, "c": 4, "A": 100, "eta": 100})
    leader = bf_trade_credit(10, 4, 100, 100)
    best = leader(0.0)
    assert boundary == ("rs",) and engine["rs"] == pytest.approx(0.0, abs=1e-9)
    close(engine, best, LEADER_TOL, 1e-7)
    for rs in (0.02, 0.1, 0.3):
        assert leader(rs)["manufacturer"] < best["manufacturer"]


def test_partial_credit_guarantee_exogenous_rate_against_brute_force():
    """Exogenous r = 10 %: interior optima for beta = 0, 1/2, 1 (eta = 100), the edge w (1 + r) = p for eta = 0."""
    for beta in ("0", "1/2", "1"):
        engine, boundary = api("partial_credit_guarantee", {"p": 10, "c": 4, "A": 100, "eta": 100, "beta": beta,
                                                            "r": "1/10"}, rate="exogenous")
        exogenous, _ = bf_partial_credit_guarantee(10, 4, 100, 100, float(eval(beta, {})))
        assert boundary == ()
        close(engine, exogenous(0.1), LEADER_TOL, 1e-7)
    # eta = 0: M's profit rises up to w (1 + r) = p, where R earns 0 (a supremum, approached from inside)
    engine, boundary = api("partial_credit_guarantee", {"p": 10, "c": 4, "A": 100, "beta": "1/2", "r": "1/10"},
                           rate="exogenous")
    exogenous, _ = bf_partial_credit_guarantee(10, 4, 100, 0, 0.5)
    edge = 10 / 1.1
    assert boundary == ("w",) and engine["w"] == pytest.approx(edge, rel=1e-12)
    inside = [exogenous(0.1, w=edge - d) for d in (1e-1, 1e-2, 1e-3, 1e-5)]
    assert all(a["manufacturer"] < b["manufacturer"] for a, b in zip(inside, inside[1:]))  # M rises to the edge
    # 1e-5 inside the edge: M's profit within 29 * 1e-5 of its supremum; R is flat in q there and earns ~0
    close(engine, inside[-1], {"w": 1e-5, "q": 1e-5, "retailer": 1e-3, "bank": 1e-5}, 3e-6)


def test_partial_credit_guarantee_competitive_rate_against_brute_force():
    """Competitive bank (fair rate per loan, R anticipates r(q)), beta = 1/2, eta = 0: three nested searches."""
    engine, _ = api("partial_credit_guarantee", {"p": 10, "c": 4, "A": 100, "beta": "1/2"})
    _, competitive = bf_partial_credit_guarantee(10, 4, 100, 0, 0.5)
    brute = competitive()
    brute["interest_rate"] = brute.pop("r")
    close(engine, brute, {**LEADER_TOL, "interest_rate": 1e-4}, 1e-6)


def test_buyback_revenue_sharing_against_brute_force():
    """psi = 2/3, b = 3 (closed form w* = 622/123), and psi = 1/2, b = 2, v = 1 with the buyback executed half the time."""
    for values, (psi, b, lam, v) in (({"psi": "2/3", "b": 3}, (2 / 3, 3, 1, 0)),
                                     ({"psi": "1/2", "b": 2, "lam": "1/2", "v": 1}, (0.5, 2, 0.5, 1))):
        engine, _ = api("buyback_revenue_sharing", {"p": 10, "c": 4, "A": 100, **values})
        close(engine, bf_buyback_revenue_sharing(10, 4, 100, psi, b, lam=lam, v=v), LEADER_TOL, 1e-7)
    assert engine["w"] == pytest.approx(3.32) and engine["q"] == pytest.approx(48.0)


# ---------------------------------------------------------------------------
# A sixth contract: only its own file
# ---------------------------------------------------------------------------

SIXTH = '''\
"""Quantity flexibility (Tsay 1999, Management Science 45(10)): M takes back up to ``alpha q`` unsold units.

No bank.  R pays ``w q`` at time 0, sells ``s = min(D, q)`` at ``p``; M refunds ``w`` for each leftover unit up
to ``alpha q``, ``w min(l, alpha q)``, and salvages them at ``v``; R salvages the rest at ``v``.  M decides ``w``.
"""

from dataclasses import dataclass
from typing import ClassVar

from scfin import Bound, Clause, Model, clauses as C, parameter

ALPHA = parameter("alpha", r"\\alpha", "share of the order the manufacturer takes back", lower=Bound(0, False),
                  upper=Bound(1, False), default="1/5", draw=(0, 1))
REFUND_PERCENT = 100  # refund per returned unit, in percent of w


@dataclass(frozen=True)
class QuantityFlexibility(Clause):
    parameters: ClassVar = ("alpha",)
    declares: ClassVar = (ALPHA,)
    shares_rate_risk: ClassVar = False
    label: ClassVar = "quantity flexibility"

    def operate(self, ledger):
        vals = ledger.values
        refund = REFUND_PERCENT * vals["w"] / 100 - vals["v"]
        back = refund * ledger.outcome.minimum(ledger.leftover, vals["alpha"] * vals["q"])
        ledger.end["retailer"] = ledger.end["retailer"] + back
        ledger.end["manufacturer"] = ledger.end["manufacturer"] - back


model = Model("quantity-flexibility", "Quantity flexibility", (C.Supply(), QuantityFlexibility()),
              summary="M takes back up to alpha q leftovers at w", reference="Tsay (1999)")
'''


def bf_quantity_flexibility(p, c, A, alpha, refund, v=0.0):
    """R pays w q, sells min(x, q) at p; M refunds refund * w on min((q - x)^+, alpha q) returned units, salvages them at v."""
    def flows(w, q):
        sales = expect(lambda x: np.minimum(x, q), A, (q,))
        back = expect(lambda x: np.minimum(np.maximum(q - x, 0.0), alpha * q), A, ((1 - alpha) * q, q))
        transfer = (refund * w - v) * back
        retailer = p * sales + v * (q - sales) + transfer - w * q
        return retailer, (w - c) * q - transfer

    def response(w):
        return argmax(lambda q: flows(w, q)[0], 0.0, A)[0]

    w, _ = argmax(lambda w: flows(w, response(w))[1], c, p, polish=False)
    q = response(w)
    r, m = flows(w, q)
    return {"w": w, "q": q, "retailer": r, "manufacturer": m}


def _scfin(*args, cache):
    """``scfin ARGS`` in a fresh process (a user file is imported once per process)."""
    env = {**os.environ, "SCFIN_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT / "src")}
    env.pop("SCFIN_NO_CACHE", None)
    done = subprocess.run([sys.executable, "-m", "scfin.cli", *args], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_sixth_contract_in_its_own_file(tmp_path):
    """Written, solved, rendered; edited, solved again on the same disk cache: the new answer (and the brute force's)."""
    path = tmp_path / "quantity_flexibility.py"
    path.write_text(SIXTH)
    assert len(SIXTH.splitlines()) <= 40
    cache = tmp_path / "cache"
    point = ["p=10", "c=4", "A=100", "alpha=1/5"]
    first = json.loads(_scfin("solve", f"{path}:model", *point, "--json", cache=cache))
    brute = bf_quantity_flexibility(10, 4, 100, 0.2, 1.0)
    close({**first["decisions"], **first["profits"]}, brute, LEADER_TOL, 1e-7)
    latex = _scfin("latex", f"{path}:model", "alpha=1/5", cache=cache)
    assert r"\alpha" in latex and "q^{*}" in latex and not [r for r in PYTHON_REPRS if r in latex]
    assert json.loads(_scfin("solve", f"{path}:model", *point, "--json", cache=cache)) == first  # from the cache

    path.write_text(SIXTH.replace("REFUND_PERCENT = 100", "REFUND_PERCENT = 50"))
    second = json.loads(_scfin("solve", f"{path}:model", *point, "--json", cache=cache))
    assert second["decisions"]["w"] != pytest.approx(first["decisions"]["w"], rel=1e-3)
    brute = bf_quantity_flexibility(10, 4, 100, 0.2, 0.5)
    close({**second["decisions"], **second["profits"]}, brute, LEADER_TOL, 1e-7)


def test_sixth_contract_in_process_after_clearing_the_memory_cache(tmp_path, monkeypatch):
    """The same in one process: a second file (a new module) with the edit, after clear_memory(), a new answer."""
    import scfin
    from scfin.derive.cache import clear_memory
    from scfin import solve

    monkeypatch.setenv("SCFIN_CACHE_DIR", str(tmp_path / "cache"))
    answers = []
    for percent in (100, 50):
        path = tmp_path / f"qf{percent}" / "quantity_flexibility.py"
        path.parent.mkdir()
        path.write_text(SIXTH.replace("REFUND_PERCENT = 100", f"REFUND_PERCENT = {percent}"))
        clear_memory()
        eq = solve(scfin.load_model(f"{path}:model"), {"p": 10, "c": 4, "A": 100, "alpha": "1/5"})
        answers.append(float(eq.decisions["w"]))
    assert answers[0] != pytest.approx(answers[1], rel=1e-3)


def test_public_solve_stays_a_function():
    """``scfin.solve`` is the solve function (the public API), also after the solver module is imported.

    Regression: the module was called ``scfin/solve.py``; importing it bound the package attribute ``solve``
    to the module, so ``scfin.solve(...)`` raised ``TypeError: 'module' object is not callable``.
    """
    import importlib

    import scfin

    importlib.import_module("scfin.solver")
    assert callable(scfin.solve)
    assert scfin.solve("wholesale", {"p": 10, "c": 4, "A": 100}).decisions["w"] == 7


def test_tutorial_runs(tmp_path):
    """examples/tutorial.py (a jupytext percent script) runs as a plain script and writes its outputs."""
    env = {**os.environ, "SCFIN_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT / "src"),
           "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, str(EXAMPLES / "tutorial.py"), str(tmp_path / "out")], capture_output=True,
                          text=True, env=env, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    written = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"two-part-tariff.tex", "two-part-tariff-R0.pdf", "two-part-tariff-R0.png"} <= written
    assert "# %%" in (EXAMPLES / "tutorial.py").read_text()


def test_trade_credit_joint_leader_finds_the_corner_at_a_zero_credit_rate():
    """scfin verify examples/trade_credit.py:model --points 30, point 21: M's optimum is at rs = 0 (w = 14.59,
    M = 23.63); the joint grid held only cell midpoints, and the search settled at rs = 0.22, M = 13.53."""
    from fractions import Fraction

    from scfin import load_model, solve

    point = {"p": "317/20", "c": "261/20", "v": "23/10", "eta": "2079/20", "rf": "0", "A": "1109/10"}
    eq = solve(load_model(str(EXAMPLES / "trade_credit.py") + ":model"), {k: Fraction(v) for k, v in point.items()})
    assert float(eq.profits["manufacturer"]) == pytest.approx(23.6338, rel=1e-4)
    assert float(eq.decisions["rs"]) == pytest.approx(0, abs=1e-6)


def _trade_credit_floats(point):
    from fractions import Fraction

    return {k: float(Fraction(v)) for k, v in point.items()}


def test_trade_credit_rate_search_in_a_joint_search_evaluates_the_free_credit_corner():
    """scfin verify examples/trade_credit.py:model --points 200, point 175: with w = 13.529 fixed by a
    coordinate round, M earns 7.47 at rs = 0 (the retailer takes the free credit and orders 12.6) and 5.04 at
    every rs on the 1-D grid (no credit taken, q = 6.74); the search settled at rs = 0.030 and the
    equilibrium's M profit was 5.04 (7.53 available).  Searches along one decision of a joint search now
    evaluate the two ends of its interval."""
    from scfin import load_model
    from scfin.numeric import profits as N
    from scfin.numeric import stackelberg as S

    model = load_model(str(EXAMPLES / "trade_credit.py") + ":model")
    vals = _trade_credit_floats({"p": "293/20", "c": "64/5", "v": "8/5", "eta": "2287/20", "rf": "11/400",
                                 "A": "2347/20"})
    vals["w"] = 13.528954387311723
    dec, boundary = S.leader(model, "uniform", vals, N.q_bound("uniform", vals), ends=True)
    assert dec["rs"] == pytest.approx(0, abs=1e-6) and boundary == ("rs",)
    assert dec["q"] == pytest.approx(12.5957, rel=1e-3)


def test_trade_credit_price_search_finds_the_supremum_at_a_jump_before_the_participation_edge():
    """scfin verify examples/trade_credit.py:model --points 200, point 136: on the face rs = 0 the retailer
    takes the free credit (q = 7.257) up to w = 14.8496, then stops borrowing (q = 6.886) just before the
    edge of its participation, w = 14.8515; the search returned the edge (M 2.7157, 2.7226 available at the
    jump).  In a joint search the bracket between the best grid price and the edge is now zoomed on values."""
    from scfin import load_model
    from scfin.numeric import profits as N
    from scfin.numeric import stackelberg as S

    model = load_model(str(EXAMPLES / "trade_credit.py") + ":model")
    vals = _trade_credit_floats({"p": "15", "c": "14", "v": "41/5", "eta": "177/20", "rf": "1/50", "A": "719/10"})
    vals["rs"] = 1e-9 * 4 * 15 / 14  # the lower end of rs's range (0, 4 p/c), just inside
    dec, _ = S.leader(model, "uniform", vals, N.q_bound("uniform", vals), ends=True)
    value, ok, _ = S._LeaderProblem(model, "uniform", vals, N.q_bound("uniform", vals), ("w",))(
        np.array([dec["w"]]), rate=True)
    assert ok[0] and float(value[0]) == pytest.approx(2.7226351, rel=1e-6)  # independent brute force: 2.7226351
    assert dec["q"] == pytest.approx(7.2573, rel=1e-3)


@pytest.mark.slow
def test_trade_credit_joint_leader_searches_the_face_at_a_zero_credit_rate():
    """scfin verify examples/trade_credit.py:model --points 200, point 196: the grid's best point was on the
    face rs = 0; SLSQP moved into the interior (rs = 0.0013, M 1.6065) and the coordinate rounds stayed
    there, while on the face M earns 1.6228 at w = 11.193 (independent brute force: 1.6228189).  Every face
    of the box is now searched with its decision at the end.  (About 80 s: the joint search at this point.)"""
    from fractions import Fraction

    from scfin import load_model, solve

    point = {"p": "59/5", "c": "109/10", "v": "127/20", "eta": "139/2", "rf": "7/200", "A": "1647/20"}
    eq = solve(load_model(str(EXAMPLES / "trade_credit.py") + ":model"), {k: Fraction(v) for k, v in point.items()})
    assert float(eq.profits["manufacturer"]) == pytest.approx(1.6228189, rel=2e-5)
    assert float(eq.decisions["rs"]) == pytest.approx(0, abs=1e-6)

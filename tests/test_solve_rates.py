"""Every bank-loan model solves in each rate regime it supports, with the JSON the issue asks for."""

import json

import pytest

from scfin.cli import main

BANK_MODELS = ["bank-loan", "repurchase", "conditional-repurchase", "repurchase-cost-sharing",
               "repurchase-sales-incentive", "repurchase-combined"]


@pytest.mark.parametrize("model", BANK_MODELS)
@pytest.mark.parametrize("rate", [["rate=competitive"], ["rate=exogenous", "r=1/10"], ["rate=bank-leader"]],
                         ids=["competitive", "exogenous", "bank-leader"])
def test_every_rate_regime_solves(model, rate, capsys):
    assert main(["solve", model, *rate, "--defaults", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("default_probability", "interest_rate", "loan"):
        assert key in data["metrics"]
    assert "bank" in data["profits"]
    assert data["regime"]["holds"] is not False
    assert data["profits"]["chain"] == pytest.approx(
        data["profits"]["retailer"] + data["profits"]["manufacturer"] + data["profits"]["bank"], rel=1e-9, abs=1e-9)
    if rate[0] == "rate=competitive":
        assert data["profits"]["bank"] == pytest.approx(0, abs=1e-7)
    if rate[0] == "rate=bank-leader":
        assert data["decisions"]["r"] >= 0


def _same_roots(mine, reference, symbols, seed):
    """Equal root sets: compare at random points (the order of the roots may differ)."""
    import random

    rng = random.Random(seed)
    for _ in range(40):
        point = {s: rng.uniform(0.5, 5) for s in symbols}
        a = [complex(x.evalf(subs=point)) for x in mine]
        b = [complex(x.evalf(subs=point)) for x in reference]
        for x in a:
            assert min(abs(x - y) for y in b) <= 1e-9 * max(1, abs(x))
        for y in b:
            assert min(abs(x - y) for x in a) <= 1e-9 * max(1, abs(y))


@pytest.mark.parametrize("case", ["square factors", "positive symbol", "number content", "linear", "double root",
                                  "rational coefficients"])
def test_break_even_roots_agree_with_sympy_solve(case):
    """The engine's quadratic formula gives sympy.solve's roots, with square factors out of the root."""
    import sympy as sp

    from scfin.derive.engine import _polynomial_roots

    A = sp.Symbol("A", positive=True)
    b, p, q, w, r = sp.symbols("b p q w r")
    num = {
        "square factors": -q**2 * w**2 * r**2 + 2 * q * w * (-A * b + A * p + b * q - q * w) * r - q**2 * (w - b)**2,
        "positive symbol": A * r**2 - 3 * p * r + b,
        "number content": 12 * r**2 + 7 * q * r - 5,
        "linear": (q * w + A) * r - b * p,
        "double root": (r * q - w)**2,
        "rational coefficients": r**2 / (q + 1) - 3 * p * r / (w * (q + 1)) + b / (q + 1)**3,
    }[case]
    poly = sp.Poly(num, r)
    mine = _polynomial_roots(poly)
    assert len(mine) == len(set(sp.solve(num, r))) or case == "double root"
    _same_roots(mine, sp.solve(num, r), sorted(num.free_symbols - {r}, key=str), seed=len(case))
    if case == "square factors":  # sqrt(4*A*q**2*w**2*X) comes out as q*w*2*sqrt(A)*sqrt(X): one radicand left
        rads = {a.base for m in mine for a in m.atoms(sp.Pow) if a.exp == sp.Rational(1, 2)}
        assert rads == {A, sp.expand((p - b) * (A * p - A * b + 2 * b * q - 2 * q * w))}

"""Buyback with revenue sharing (Cachon & Lariviere 2005, Management Science 51(1), 30-44;
Pasternack 1985, Marketing Science 4(2), 166-176).

No bank.  The retailer pays ``w q`` at time 0 (the manufacturer receives it and
pays ``c q``), keeps the share ``psi`` of its sales revenue, ``psi p s``, and
the manufacturer receives ``(1 - psi) p s``.  The manufacturer buys every
leftover unit ``l = (q - D)^+`` back at ``b`` and salvages it at ``v``; the
buyback is executed with probability ``lam`` (default 1), otherwise the
retailer salvages at ``v``.  M decides ``w``, which may lie below cost, as in
revenue sharing (``0 < w < p``).
"""

from scfin import Bound, Model, clauses as C

model = Model(
    id="buyback-revenue-sharing",
    title="Buyback with revenue sharing",
    clauses=(C.Supply(), C.RevenueSharing(), C.Repurchase()),
    summary="R keeps psi of revenue; M buys leftovers back at b",
    reference="Cachon & Lariviere (2005); Pasternack (1985)",
    bounds={"w": (Bound(0, True), Bound("p", True))},
)

"""Buyback combined with revenue sharing (Cachon & Lariviere 2005; Pasternack 1985).

No bank.  The retailer pays ``w q`` at time 0, keeps the share ``psi`` of its
sales revenue, ``psi p s``, and the manufacturer receives ``(1 - psi) p s``.
The manufacturer buys every leftover unit ``l = (q - D)^+`` back at ``b``
(salvaging it at ``v``).  The manufacturer decides ``w``, which may lie below
cost, as in revenue sharing (``0 < w < p``).
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

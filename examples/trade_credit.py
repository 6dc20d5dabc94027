"""Supplier trade credit (Kouvelis & Zhao 2012, "Financing the newsvendor: supplier vs. bank, and the
structure of optimal trade credit contracts", Operations Research 60(3), 566-580).

No bank.  The retailer has own capital ``eta`` and pays ``min(w q, eta)`` at
time 0; the rest ``L = (w q - eta)^+`` is credit from the manufacturer, due
at the end of the period with interest ``rs``.  With sales ``s = min(D, q)``,
leftover ``l = (q - D)^+`` and end cash ``Y = p s + v l``, the retailer
repays ``min(Y, L (1 + rs))`` (limited liability) and keeps the rest.  The
manufacturer pays ``c q`` and receives ``min(w q, eta)`` at time 0 and the
repayment at the end.  It decides ``w`` and ``rs`` (either may be given a number).

    scfin solve examples/trade_credit.py:model p=10 c=4 A=100 eta=100 rs=0 --json
"""

from scfin import Model, clauses as C

model = Model(
    id="trade-credit",
    title="Supplier trade credit",
    clauses=(C.Supply(), C.TradeCredit()),
    summary="M sells on credit at rate rs to a capital-constrained retailer (no bank)",
    reference="Kouvelis & Zhao (2012)",
)

"""Contract clauses as realised cash flows (docs/specification.md section 4), one file each.

:mod:`scfin.spec.clauses.base` holds the interface (:class:`Clause`, the
:class:`Ledger` the clauses write to, the :class:`Financing` protocol and
:func:`settle`); every other module is one clause.  A user's clause is a
subclass of :class:`Clause` in the user's own file.
"""

from scfin.spec.clauses.bank_loan import BankLoan
from scfin.spec.clauses.base import PARTIES, RATE_REGIMES, Clause, Financing, Ledger, evolve, settle, source_digest
from scfin.spec.clauses.cost_sharing import SHARE_VARIANTS, EffortCostSharing, InterestCostSharing
from scfin.spec.clauses.effort import Effort
from scfin.spec.clauses.repurchase import ConditionalRepurchase, Repurchase
from scfin.spec.clauses.revenue_sharing import RevenueSharing
from scfin.spec.clauses.sales_incentive import SalesIncentive
from scfin.spec.clauses.supply import Supply
from scfin.spec.clauses.trade_credit import TradeCredit

__all__ = ["PARTIES", "RATE_REGIMES", "SHARE_VARIANTS", "BankLoan", "Clause", "ConditionalRepurchase", "Effort",
           "EffortCostSharing", "Financing", "InterestCostSharing", "Ledger", "Repurchase", "RevenueSharing",
           "SalesIncentive", "Supply", "TradeCredit", "evolve", "settle", "source_digest"]

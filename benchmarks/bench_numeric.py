"""Benchmark of scfin.numeric.stackelberg.numeric_stackelberg on the worked numbers (prints time and decisions per case)."""
import time
from scfin.spec.models import get_model
from scfin.numeric.stackelberg import numeric_stackelberg
tot=0
for mid, rate, extra, opt in [("wholesale",None,{},('q','w')),("bank-loan","competitive",{},('q','w')),("bank-loan","exogenous",{'r':0.1},('q','w')),
    ("repurchase","competitive",{'b':3,'lam':0.7},('q','w')),("repurchase-combined","competitive",{'b':3,'phi':0.3,'u':1,'T':20,'kappa':1,'lam':1},('q','e','w')),
    ("conditional-repurchase","exogenous",{'b':3,'r':0.1,'lam':1},('q','w')), ("sales-rebate", None, {'u':5,'T':40}, ('q','w'))]:
    m=get_model(mid)
    if rate: m=m.with_options(rate=rate)
    vals=dict(p=10.,c=4.,A=100.,v=0.,rf=0.,eta=0.,**extra)
    t=time.time(); res=numeric_stackelberg(m,'uniform',vals,opt); dt=time.time()-t; tot+=dt
    print(mid, rate, round(dt,2), {k:repr(float(v)) for k,v in res.decisions.items()}, res.boundary, flush=True)
print("total", round(tot,2))

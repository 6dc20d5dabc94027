"""Reports: the ``scfin reproduce`` article, figures and JSON; ``scfin plot``."""

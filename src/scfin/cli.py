"""The ``scfin`` command.

Every bad input ends with one line on stderr and exit status 2; no
traceback reaches the user (set ``SCFIN_DEBUG=1`` to see one).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """Bad input: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not usage + message
        raise UsageError(message)


def _demand_arg(p):
    from scfin.spec.demand import DEMANDS

    g = p.add_mutually_exclusive_group()
    g.add_argument("--demand", default="uniform", choices=list(DEMANDS),
                   help="demand distribution (default: uniform on [0, A]); its parameters are given as "
                        "NAME=VALUE, e.g. --demand lognormal mu=4 sigma=1/2")
    g.add_argument("--demand-file", default=None, metavar="PATH[:COLUMN]",
                   help="empirical demand: a column of a CSV file with a header row")


def _demand(args):
    """The demand of ``--demand`` or ``--demand-file`` (a name, or an empirical Demand)."""
    spec = getattr(args, "demand_file", None)
    if spec is None:
        return args.demand
    from scfin.spec.demand import Empirical

    path, column = spec, None
    if not os.path.exists(spec) and ":" in spec:
        path, _, column = spec.rpartition(":")
        column = column or None
    if not os.path.exists(path):
        raise UsageError(f"demand file {path} does not exist")
    return Empirical.from_csv(path, column)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="scfin",
        description="Supply-chain-finance contracts: Stackelberg equilibria in closed form, claims, reports.",
        epilog="Values are numbers: integers, decimals or fractions such as 10/3.",
    )
    from scfin import __version__

    parser.add_argument("--version", action="version", version=f"scfin {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    sub.add_parser("models", help="list the catalogue's models and installed plugins, one line each")

    p = sub.add_parser("solve", help="solve a model: closed forms, or numbers when every parameter is given",
                       description="Solve MODEL. A decision given a value (q, e, w) is fixed; the others are "
                                   "optimised by their owner. Options: rate=competitive|exogenous|bank-leader, "
                                   "share=effort|interest.")
    p.add_argument("model")
    p.add_argument("assignments", nargs="*", metavar="NAME=VALUE")
    _demand_arg(p)
    p.add_argument("--defaults", action="store_true", help="fill missing parameters with docs/specification.md section 8 defaults")
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser("latex", help="print the LaTeX of a model's equilibrium closed forms")
    p.add_argument("model")
    p.add_argument("assignments", nargs="*", metavar="NAME=VALUE")
    _demand_arg(p)

    p = sub.add_parser("zone", help="Pareto zone of wholesale prices for a combined contract")
    p.add_argument("model")
    p.add_argument("assignments", nargs="*", metavar="NAME=VALUE")
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser("reproduce", help="run every model and claim; write the report, figures and JSON")
    p.add_argument("--out", default="scfin-out", help="output directory (default: scfin-out)")
    p.add_argument("--no-pdf", action="store_true", help="do not compile the LaTeX report")
    p.add_argument("--figures", default=None, help="also copy the figures to this directory")
    p.add_argument("--quiet", action="store_true", help="no progress display")
    p.add_argument("--jobs", type=_positive_int, default=None, metavar="N",
                   help="worker processes for the symbolic work (default: the usable CPUs; 1: no pool)")
    p.add_argument("--model", action="append", metavar="MODEL",
                   help="also report a model of yours (PATH.py:NAME or package.module:NAME; repeatable): "
                        "its closed form, numbers, verification and comparative statics in an appendix")

    p = sub.add_parser("verify", help="check the engine against brute force and Monte Carlo at random points",
                       description="Solve MODEL at N random admissible points (NAME=VALUE fixes a value) and check "
                                   "each equilibrium against an independent brute-force solution and Monte Carlo; "
                                   "print every disagreement. Exit 0 if none, 1 if any.")
    p.add_argument("model")
    p.add_argument("assignments", nargs="*", metavar="NAME=VALUE")
    p.add_argument("--points", type=_positive_int, default=200, metavar="N", help="random points (default 200)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the random points (default 0)")
    p.add_argument("--jobs", type=_positive_int, default=None, metavar="N",
                   help="worker processes (default: the usable CPUs)")
    _demand_arg(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser("plot", help="sensitivity plot of a model against one parameter")
    p.add_argument("model")
    p.add_argument("assignments", nargs="*", metavar="NAME=VALUE")
    p.add_argument("--vary", required=True, metavar="NAME=LOW:HIGH", help="parameter and range to vary")
    p.add_argument("--out", default=None, help="output file stem (default: MODEL-NAME); writes .pdf and .png")
    p.add_argument("--points", type=int, default=41, help="number of points (default 41)")
    _demand_arg(p)

    p = sub.add_parser("statics", help="comparative statics: the sign of every equilibrium quantity in every parameter",
                       description="The sign table of MODEL: every decision, the rate, the default probability and "
                                   "every profit against every parameter left symbolic, each entry proved, "
                                   "region-dependent (with the exact region and counterexamples) or open (with the "
                                   "reason). By default v, rf, eta = 0, lam = 1, kappa = 1 are fixed; NAME=VALUE fixes "
                                   "more. Options: rate=competitive|exogenous, share=effort|interest.")
    p.add_argument("model")
    p.add_argument("assignments", nargs="*", metavar="NAME=VALUE")
    p.add_argument("--symbolic", default="", metavar="NAMES",
                   help="comma-separated parameters to keep symbolic that are fixed by default (e.g. v,lam)")
    p.add_argument("--fixed", default="", metavar="NAMES",
                   help="comma-separated decisions held as symbols, not optimised (e.g. w: the retailer's response)")
    p.add_argument("--budget", type=float, default=None, metavar="SECONDS", help="time budget per entry (default 10)")
    p.add_argument("--json", action="store_true", help="print a JSON list of entries")
    p.add_argument("--latex", action="store_true", help="print the table as LaTeX")
    return parser


OPTIONS = ("rate", "share")


def _values(args):
    from scfin.spec.parsing import parse_assignments

    values, opts = parse_assignments(args.assignments, OPTIONS)
    return values, opts


def _check_rate(opts, values) -> None:
    # the Python API keeps r symbolic when it is left out; on the command
    # line an exogenous rate must be given (docs/specification.md section 6)
    if opts.get("rate") == "exogenous" and "r" not in values:
        raise UsageError("rate=exogenous needs the loan rate: give r=VALUE (or choose rate=competitive)")


def _model(args):
    """The model the MODEL argument names: a catalogue id, PATH.py:NAME, module:NAME or a plugin."""
    from scfin.spec.loading import load_model

    return load_model(args.model)


def cmd_models(args) -> int:
    from scfin.spec.loading import load_model, plugins
    from scfin.spec.models import CATALOGUE

    found = plugins()
    width = max(len(k) for k in list(CATALOGUE) + list(found))
    for mid, model in CATALOGUE.items():
        extra = "".join(f"  [{name}={'|'.join(values)}]" for name, values in model.options().items())
        print(f"{mid:<{width}}  {model.summary}{extra}")
    for name, value in found.items():
        try:
            summary = load_model(name).summary or value
        except ValueError as exc:
            summary = f"(cannot be loaded: {exc})"
        print(f"{name:<{width}}  {summary}  [plugin: {value}]")
    return 0


def cmd_solve(args) -> int:
    from scfin.render.text import equilibrium_json, equilibrium_text
    from scfin.solver import solve

    values, opts = _values(args)
    _check_rate(opts, values)
    eq = solve(_model(args), values, demand=_demand(args), rate=opts.get("rate"), share=opts.get("share"),
               defaults=args.defaults)
    if args.json:
        print(json.dumps(equilibrium_json(eq), indent=2))
    else:
        print(equilibrium_text(eq))
    return 0


def cmd_latex(args) -> int:
    from scfin.render.latex import equilibrium_document_fragment
    from scfin.solver import solve

    values, opts = _values(args)
    _check_rate(opts, values)
    eq = solve(_model(args), values, demand=_demand(args), rate=opts.get("rate"), share=opts.get("share"))
    print(equilibrium_document_fragment(eq))
    return 0


def cmd_zone(args) -> int:
    from scfin.claims.zone import zone_command

    values, opts = _values(args)
    return zone_command(_model(args), values, opts, as_json=args.json)


def cmd_reproduce(args) -> int:
    from scfin.report.reproduce import reproduce_command

    from scfin.spec.loading import load_model

    refs = tuple(args.model or ())
    for ref in refs:  # a reference that names no model fails here, before anything is written
        load_model(ref)
    return reproduce_command(out=args.out, pdf=not args.no_pdf, figures=args.figures, quiet=args.quiet,
                             jobs=args.jobs, models=refs)


def cmd_plot(args) -> int:
    from scfin.report.plot import plot_command

    values, opts = _values(args)
    return plot_command(_model(args), values, opts, vary=args.vary, out=args.out, points=args.points,
                        demand=_demand(args))


def cmd_verify(args) -> int:
    from scfin.solver import InputError, build_model, prepare
    from scfin.spec.demand import get_demand
    from scfin.verify.run import verify

    values, opts = _values(args)
    _check_rate(opts, values)
    model = build_model(_model(args), opts.get("rate"), opts.get("share"))
    if args.demand == "general":
        raise UsageError("verify needs numbers: choose --demand uniform, normal or exponential")
    try:
        prepare(model, get_demand(args.demand), values, False)  # names and ranges of the fixed values
    except InputError as exc:
        raise UsageError(str(exc)) from None
    ref = args.model if ":" in args.model or args.model in _catalogue() else model
    report = verify(ref, values, points=args.points, seed=args.seed, demand=args.demand,
                    rate=opts.get("rate"), share=opts.get("share"), jobs=args.jobs)
    if args.json:
        print(json.dumps(report.as_json(), indent=2))
    else:
        print(report.summary())
        if report.disagreements:
            print(report.table())
    return 0 if report.ok else 1


def _catalogue():
    from scfin.spec.models import CATALOGUE

    return CATALOGUE


def _names(text: str) -> tuple[str, ...]:
    out = tuple(n.strip() for n in text.split(",") if n.strip())
    for n in out:
        if not n.isidentifier():
            raise UsageError(f"{n!r} is not a parameter name")
    return out


def cmd_statics(args) -> int:
    from scfin.claims.statics import ENTRY_BUDGET, statics, statics_text

    values, opts = _values(args)
    if opts.get("rate") == "bank-leader":
        raise UsageError("rate=bank-leader is solved numerically: comparative statics need closed forms "
                         "(choose rate=competitive or rate=exogenous)")
    budget = ENTRY_BUDGET if args.budget is None else args.budget
    if not budget > 0:
        raise UsageError(f"--budget must be positive, got {args.budget}")
    table = statics(_model(args), values, budget_s=budget, symbolic=_names(args.symbolic), fixed=_names(args.fixed),
                    rate=opts.get("rate"), share=opts.get("share"))
    if args.json:
        print(json.dumps(table.as_json(), indent=2))
    elif args.latex:
        from scfin.render.statics import statics_latex

        print(statics_latex(table), end="")
    else:
        print(statics_text(table))
    return 0


COMMANDS = {
    "models": cmd_models,
    "solve": cmd_solve,
    "latex": cmd_latex,
    "zone": cmd_zone,
    "reproduce": cmd_reproduce,
    "plot": cmd_plot,
    "verify": cmd_verify,
    "statics": cmd_statics,
}


def main(argv: list[str] | None = None) -> int:
    from scfin.spec.notation import AdmissibilityError
    from scfin.spec.parsing import ParseError

    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        # NAME=VALUE after an option (``--demand lognormal mu=4 sigma=1/2``) are assignments too
        if extra and hasattr(args, "assignments") and all("=" in a and not a.startswith("-") for a in extra):
            args.assignments = list(args.assignments) + extra
        elif extra:
            raise UsageError(f"unrecognized arguments: {' '.join(extra)}")
        if args.command is None:
            parser.print_help()
            return EXIT_BAD_INPUT
        return COMMANDS[args.command](args)
    except (UsageError, ParseError, AdmissibilityError) as exc:
        return _fail(str(exc))
    except (ValueError, KeyError) as exc:
        if os.environ.get("SCFIN_DEBUG"):
            raise
        msg = exc.args[0] if exc.args else type(exc).__name__
        return _fail(str(msg))
    except KeyboardInterrupt:
        print("scfin: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # pragma: no cover - last resort, still one line
        if os.environ.get("SCFIN_DEBUG"):
            raise
        print(f"scfin: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _fail(message: str) -> int:
    print(f"scfin: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

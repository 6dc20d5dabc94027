#!/usr/bin/env bash
# System packages the project uses beyond Python, from Debian's packages (idempotent, best effort):
#   TeX Live      compiles the report (without it the PDF is skipped and the LaTeX tests skip)
#   QEPCAD B      complete sign decisions (without it those decisions are reported open)
#   lmodern       Type 1 fonts in T1 for the report (without it: Computer Modern in OT1, still no Type 3)
# Needs root and apt-get; elsewhere it says what is missing and goes on.
set -uo pipefail
cd "$(dirname "$0")/.."
if ! command -v pdflatex >/dev/null 2>&1 || ! kpsewhich lmodern.sty >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "system deps: installing TeX Live from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends \
      texlive-latex-base texlive-latex-recommended texlive-fonts-recommended lmodern >/dev/null \
      || echo "system deps: TeX Live could not be installed; the PDF and the LaTeX compile test are skipped"
  else
    echo "system deps: pdflatex missing and no root/apt-get: the PDF and the LaTeX compile test are skipped"
  fi
fi
if [ "${1:-}" != "--tex-only" ]; then
  bash .ci/install-decision-tools
fi
exit 0

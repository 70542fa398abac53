"""`python -m casecheck`: the same command line as `casecheck`."""

from .cli import main

main(prog_name="casecheck")

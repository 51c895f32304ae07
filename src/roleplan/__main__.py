"""`python -m roleplan` runs the CLI."""

from roleplan.cli.app import main

main()

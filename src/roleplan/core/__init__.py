"""Pure functions: data in, models out. No typer, rich, print, sys.exit or open() in here."""

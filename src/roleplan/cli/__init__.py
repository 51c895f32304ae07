"""Thin Typer commands: parse arguments, load, compute (core), report. One module per command family."""

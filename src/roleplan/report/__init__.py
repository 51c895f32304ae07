"""Reporters: pure functions from a result to a str (machine formats) or a Rich renderable (table).

Each command has a `REPORTERS` mapping of format name -> reporter; `--format` choices are its keys.
"""

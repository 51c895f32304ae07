"""Typed data: the benchmarks schema and the results the core returns.

Schemas and results are immutable stdlib dataclasses (`@dataclass(frozen=True)`: assigning or adding an
attribute raises FrozenInstanceError). YAML input is validated by Pydantic v2 (`extra="forbid"` through
`__pydantic_config__`), one part of the benchmarks at a time (roleplan/benchmarks.py). Per-posting classifier
results are plain slotted dataclasses (models/classify.py), built thousands of times a second: not
frozen (a frozen __init__ costs more per record), read-only by convention.
"""

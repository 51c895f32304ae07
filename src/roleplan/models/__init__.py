"""Typed data: the benchmarks schema and the results the core returns.

Schemas and results are immutable stdlib dataclasses: `@dataclass(frozen=True)`, or, for the ~30 models a
calculator loads at start-up, `@model` (figures.py: the same behaviour with fewer generated methods).
Untrusted input (YAML files) is validated by Pydantic v2 (`extra="forbid"` through `__pydantic_config__`), but
a command that only reads already-validated data never imports Pydantic: that keeps a calculator's cold start
under the cost of importing its dependencies. Per-posting classifier results are plain slotted dataclasses
(models/classify.py), built thousands of times a second.
"""

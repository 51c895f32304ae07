"""Typed data: the benchmarks schema and the results the core returns.

Schemas and results are frozen stdlib dataclasses. Untrusted input (YAML files) is validated by Pydantic v2
(`extra="forbid"` through `__pydantic_config__`), but a command that only reads already-validated data never
imports Pydantic: that keeps a calculator's cold start under the cost of importing its dependencies.
"""

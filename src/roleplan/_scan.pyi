# The classifier's scan and decision in C (roleplan/_scan.c); core/classify.py's classify_python is the
# reference it must agree with.
from typing import Any

ABI: int

def build(
    words: list[str],
    flags: bytes,
    edges: list[tuple[int, int, int]],
    payloads: list[tuple[tuple[int, int], ...]],
    mention_roles: tuple[frozenset[str], ...],
    headings: tuple[Any, ...],
    hmax: int,
    neg_w: int,
    cue_w: int,
    decide: tuple[Any, ...],
    table: bytes,
    wide: tuple[bytes, ...],
) -> object: ...
def classify(
    matcher: object, text: str, title: str | None, prior_roles: tuple[str, ...]
) -> tuple[str, str, float, float, float, float, list[tuple[str, str, str, float, str]]]: ...
def round3(x: float) -> float: ...
def scan(matcher: object, text: str) -> tuple[list[tuple[int, str, str, frozenset[str] | None]], bool]: ...

"""roleplan: go-to-market org design — SE vs SA, staffing, comp, and a CI gate for headcount plans."""

__version__ = "0.1.0"

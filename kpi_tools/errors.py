"""Errors the KPI tools raise for a caller's mistake; the LangChain wrappers return their text
to the model so it can correct itself, the CLI prints it as a sentence."""
from __future__ import annotations


class KpiToolError(ValueError):
    """A tool could not answer with the arguments it was given."""


class InvalidArgument(KpiToolError):
    pass


class NotFound(KpiToolError):
    """Nothing matched; `suggestions` are the closest names, possibly empty."""

    def __init__(self, message: str, suggestions: list[str] | tuple[str, ...] = ()):
        self.suggestions = tuple(suggestions)
        if self.suggestions:
            message += " Did you mean: " + "; ".join(self.suggestions) + "?"
        super().__init__(message)


class Ambiguous(KpiToolError):
    """Several things matched; `candidates` lists them so the caller can pick one."""

    def __init__(self, message: str, candidates: list[str] | tuple[str, ...]):
        self.candidates = tuple(candidates)
        super().__init__(message + " Candidates: " + "; ".join(self.candidates) + ".")

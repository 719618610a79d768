"""The offline answer engine: question → cited answer, with no language model.

One module per step: `spelling` (the words people type), `forms` (what kind of answer the question
wants and which year, area and framework it names), `followups` (a follow-up made into a full
question), `scope` (which documents), `quotes` (which sentences answer), `cards` and `measures`
(typed records: documents' signatories and lists, KPI rows and published figures), `editions`
(draft against later edition) and `offline` (the engine that puts them together).
"""
from bot.engine.offline import NOT_FOUND, AbstainPolicy, OfflineEngine, Passage

__all__ = ["NOT_FOUND", "AbstainPolicy", "OfflineEngine", "Passage"]

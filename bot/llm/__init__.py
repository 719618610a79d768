"""The LLM answer mode (issue 5): a bounded tool-calling agent whose answers are checked against
the tool results of the same turn, with the offline engine as the fallback.

Only this package imports a chat model; `build_llm_engine` in `bot.llm.engine` puts it together.
"""

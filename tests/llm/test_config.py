"""LLM_MODEL parsing, the missing-extra message, and the keyword arguments given to init_chat_model."""
from __future__ import annotations

import pytest

from bot.llm.config import (
    LlmConfigError,
    ModelSpec,
    build_chat_model,
    chat_model_kwargs,
    check_style,
    parse_model_spec,
    require_provider_package,
)
from bot.settings import Settings


@pytest.mark.parametrize("value, spec", [
    ("openai:gpt-4o-mini", ModelSpec("openai", "gpt-4o-mini")),
    ("azure_openai:council-gpt4o", ModelSpec("azure_openai", "council-gpt4o")),
    ("anthropic:claude-3-5-haiku-latest", ModelSpec("anthropic", "claude-3-5-haiku-latest")),
    ("ollama:llama3.1:8b", ModelSpec("ollama", "llama3.1:8b")),
    (" OpenAI:gpt-4o ", ModelSpec("openai", "gpt-4o")),
])
def test_model_spec(value, spec):
    assert parse_model_spec(value) == spec


def test_model_spec_needs_a_provider():
    with pytest.raises(LlmConfigError, match=r"^LLM_MODEL='gpt-4o-mini' is not in the form provider:model, "
                                             r"e\.g\. openai:gpt-4o-mini\. Unset LLM_MODEL for the offline mode\.$"):
        parse_model_spec("gpt-4o-mini")


def test_unknown_provider_names_the_supported_ones():
    with pytest.raises(LlmConfigError, match=r"^LLM_MODEL='groq:llama' names the provider 'groq'; supported "
                                             r"providers are openai, azure_openai, anthropic, ollama "):
        parse_model_spec("groq:llama")


@pytest.mark.parametrize("value, extra", [("openai:gpt-4o-mini", "openai"), ("azure_openai:x", "openai"),
                                          ("anthropic:claude", "anthropic"), ("ollama:llama3.1", "ollama")])
def test_a_missing_provider_package_names_the_extra(value, extra):
    with pytest.raises(LlmConfigError) as raised:
        require_provider_package(parse_model_spec(value), find_spec=lambda name: None)
    assert str(raised.value) == f"LLM_MODEL={value} needs the {extra} extra: .venv/bin/pip install -e '.[{extra}]'"


def test_an_installed_provider_package_passes():
    require_provider_package(ModelSpec("openai", "gpt-4o-mini"))  # langchain-openai is in the test extra


def test_openai_compatible_server_kwargs():
    settings = Settings(llm_model="openai:llama3", openai_base_url="http://127.0.0.1:8000/v1", llm_timeout_s=12)
    assert chat_model_kwargs(ModelSpec("openai", "llama3"), settings) == {
        "timeout": 12, "max_retries": 0, "base_url": "http://127.0.0.1:8000/v1", "use_responses_api": False,
        "api_key": "not-needed"}


def test_provider_kwargs():
    settings = Settings(llm_timeout_s=9, openai_base_url="http://ignored-for-anthropic")
    assert chat_model_kwargs(ModelSpec("openai", "gpt-4o-mini"), Settings(llm_timeout_s=9)) == {
        "timeout": 9, "max_retries": 0}
    assert chat_model_kwargs(ModelSpec("anthropic", "claude"), settings) == {"timeout": 9, "max_retries": 0}
    assert chat_model_kwargs(ModelSpec("ollama", "llama3.1"), settings) == {"client_kwargs": {"timeout": 9}}


def test_build_chat_model_honours_the_base_url_and_keeps_the_key_out_of_repr():
    settings = Settings(llm_model="openai:scripted", openai_base_url="http://127.0.0.1:9/v1",
                        openai_api_key="sk-secret-value", llm_timeout_s=3)
    model = build_chat_model(settings)
    assert type(model).__name__ == "ChatOpenAI"
    assert (model.model_name, model.openai_api_base, model.request_timeout, model.max_retries) == (
        "scripted", "http://127.0.0.1:9/v1", 3, 0)
    assert model.use_responses_api is False
    assert "sk-secret-value" not in repr(model) and "sk-secret-value" not in repr(settings)


def test_build_chat_model_without_llm_model():
    with pytest.raises(LlmConfigError, match="^LLM_MODEL is not set, so the assistant runs in the offline mode.$"):
        build_chat_model(Settings())


def test_answer_style():
    assert check_style("councillor") == "councillor"
    with pytest.raises(LlmConfigError, match=r"^ANSWER_STYLE='press' is not one of: staff, councillor, contact-centre\.$"):
        check_style("press")


def test_settings_from_env():
    settings = Settings.from_env({"LLM_MODEL": "openai:gpt-4o-mini", "OPENAI_BASE_URL": "http://127.0.0.1:8000/v1",
                                  "OPENAI_API_KEY": "sk-x", "LLM_TIMEOUT_S": "7.5", "LLM_MAX_TOOL_CALLS": "3",
                                  "ANSWER_STYLE": "Contact-Centre"})
    assert (settings.llm_model, settings.openai_base_url, settings.openai_api_key, settings.llm_timeout_s,
            settings.llm_max_tool_calls, settings.answer_style) == (
        "openai:gpt-4o-mini", "http://127.0.0.1:8000/v1", "sk-x", 7.5, 3, "contact-centre")
    assert Settings.from_env({}).llm_model is None  # unset: the offline mode
    assert (Settings.from_env({}).llm_timeout_s, Settings.from_env({}).llm_max_tool_calls,
            Settings.from_env({}).answer_style) == (20.0, 6, "staff")

"""What a user typed → what the bot does (pure functions)."""
from __future__ import annotations

import pytest

from bot.slack.admin import AdminUsageError, parse_contacts
from bot.slack.parsing import (
    ParsedRequest,
    addressed_to_someone_else,
    clean_question,
    mentions_user,
    parse_request,
    plain_text,
)
from bot.slack.ratelimit import RateLimiter


@pytest.mark.parametrize(
    ("text", "slash", "expected"),
    [
        ("<@UBOT> What is the carbon footprint?", False, ParsedRequest("question", "What is the carbon footprint?")),
        ("<@UBOT|council> help", False, ParsedRequest("help", "")),
        ("<@UBOT>", False, ParsedRequest("help", "")),
        ("", True, ParsedRequest("help", "")),
        ("kpi carbon footprint", True, ParsedRequest("kpi", "carbon footprint")),
        ("KPI: CS12", True, ParsedRequest("kpi", "CS12")),
        ("kpi", True, ParsedRequest("help", "")),
        ("<@UBOT> privately, what is the carbon footprint?", False,
         ParsedRequest("question", "what is the carbon footprint?", private=True)),
        ("private: kpi CS12", False, ParsedRequest("kpi", "CS12", private=True)),
        ("private what is the budget gap?", True, ParsedRequest("question", "what is the budget gap?", private=True)),
        # in a message a bare "private" is part of the question
        ("Private sector partners in 2016?", False, ParsedRequest("question", "Private sector partners in 2016?")),
        ("admin escalate <@U7|ann> <!subteam^S1|@team>", True,
         ParsedRequest("admin", "escalate <@U7|ann> <!subteam^S1|@team>")),
        ("Is it &lt;5% &amp; falling in <#C1|general>? see <https://x.example/a|the plan>", False,
         ParsedRequest("question", "Is it <5% & falling in general? see the plan")),
    ],
)
def test_parse_request(text, slash, expected):
    assert parse_request(text, "UBOT", slash_command=slash) == expected


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        (":wave: What is the council's carbon footprint?", "What is the council's carbon footprint?"),
        ("<@U0ABC|jane.smith> what is the budget gap?", "what is the budget gap?"),
        ("<@U0ABC> and <!here>: outcomes in 2016?", "and: outcomes in 2016?"),
        ("What does <https://www.cambridgeshire.gov.uk/plan|the 2021-25 framework> say?",
         "What does the 2021-25 framework say?"),
        ("What does this say <https://www.cambridgeshire.gov.uk/plan>?", "What does this say?"),
        ("*What* are the _seven_ ~six~ ambitions in `2023-28`?", "What are the seven six ambitions in 2023-28?"),
        ("&gt; quoted line\nso what is the carbon footprint :thinking_face::skin-tone-2:",
         "quoted line so what is the carbon footprint"),
        ("kpi_tools at 10:30:00 :+1:", "kpi_tools at 10:30:00"),
    ],
)
def test_slack_markup_is_cleaned_before_the_engine_and_the_original_kept(typed, cleaned):
    request = parse_request(typed, "UBOT")
    assert (request.kind, request.text, request.original) == ("question", cleaned, typed)
    assert clean_question(typed) == cleaned


def test_a_message_opening_with_someone_elses_mention_is_addressed_to_them():
    assert addressed_to_someone_else("<@U7> can you add this to the board paper?", "UBOT")
    assert addressed_to_someone_else("<@U7|ann> thanks!", "UBOT")
    assert not addressed_to_someone_else("<@U7> <@UBOT> what is the carbon footprint?", "UBOT")
    assert not addressed_to_someone_else("<@UBOT> ask <@U7>", "UBOT")
    assert not addressed_to_someone_else("what did <@U7> say?", "UBOT")


def test_plain_text_and_mentions():
    assert plain_text("hi <@U1|ann> and <@U2> <!here> <https://a.example>") == "hi @ann and @U2 @here https://a.example"
    assert mentions_user("ping <@UBOT> now", "UBOT")
    assert mentions_user("ping <@UBOT|council> now", "UBOT")
    assert not mentions_user("ping <@UBOTX> now", "UBOT")
    assert not mentions_user("anything", None)


def test_parse_contacts_normalises_people_and_groups():
    assert parse_contacts(["<@U7|ann>", "W012AB3CD", "<!subteam^S1|@team>", "S0614TZR7", "<@U7>"]) == (
        "<@U7>", "<@W012AB3CD>", "<!subteam^S1>", "<!subteam^S0614TZR7>"
    )
    with pytest.raises(AdminUsageError, match=r"I can't tell who `@ann` is"):
        parse_contacts(["@ann"])


def test_rate_limiter_allows_n_per_rolling_minute():
    now = [1000.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert [limiter.acquire("u"), limiter.acquire("u")] == [0, 0]
    assert limiter.acquire("u") == 60
    assert limiter.acquire("other") == 0
    now[0] += 30
    assert limiter.acquire("u") == 30
    now[0] += 30
    assert limiter.acquire("u") == 0
    assert RateLimiter(0).acquire("u") == 0

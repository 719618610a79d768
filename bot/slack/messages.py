"""Every fixed sentence the bot says, in one place so wording is reviewed (and tested) once."""
from __future__ import annotations

LOOKING_UP = "Looking that up…"
STARTING_UP = "I'm starting up, ask again in a minute."
ENGINE_UNAVAILABLE = (
    "I can't answer questions at the moment: my answer engine did not start. "
    "The team running me has been told; please try again later."
)
ATTACHMENT_IGNORED = "I can't read attachments yet: ask in words."
ASSISTANT_STATUS = "is looking that up…"
ASSISTANT_GREETING = "Hello! I answer questions about Cambridgeshire County Council's strategy documents and KPIs."
SHARED_BY = "<@{user}> shared this answer from Council Assistant."
SHARE_DONE = "Shared in the channel."
SHARE_NOT_YOURS = "Only the person who asked can share this answer."
SHARE_FAILED = "I couldn't post in this channel. Invite me (`/invite @Council Assistant`) and try again."
TITLE_LIMIT = 80

# Suggested prompts for a new assistant thread, for each of the people who use the assistant:
# council staff, councillors and the contact centre. Slack shows at most four.
SUGGESTED_PROMPTS_TITLE = "Try asking about the council's plans:"
SUGGESTED_PROMPTS = (
    {"title": "Staff: the 2023-28 ambitions", "message": "What are the seven ambitions in the 2023-28 draft framework?"},
    {"title": "Councillors: carbon footprint", "message": "What is the council's carbon footprint?"},
    {"title": "Contact centre: older people", "message": "What does the council promise older people in the 2021-25 framework?"},
    {"title": "Compare editions", "message": "How does the 2016 draft differ from the later edition?"},
)

EXAMPLE_QUESTIONS = (
    "What is the council's carbon footprint?",
    "What were the outcomes in the 2016 strategic framework?",
    "What are the seven ambitions in the 2023-28 draft framework?",
    "How does the 2016 draft differ from the later edition?",
)


def new_reference() -> str:
    """A short id a user can quote and an engineer can grep the log for (`bot.failures`' format)."""
    from bot.failures import new_reference as reference

    return reference()


def apology(reference: str) -> str:
    return (
        "Sorry, I couldn't answer that: something went wrong on my side. "
        f"If you report it, please quote reference `{reference}`."
    )


def rate_limited(per_minute: int, wait_seconds: int) -> str:
    return (
        f"You've asked {per_minute} questions in the last minute, which is as many as I can take. "
        f"Please try again in {wait_seconds} second{'s' if wait_seconds != 1 else ''}."
    )


NOT_ENABLED = (
    "I'm not switched on for this workspace or channel, so I can't answer here. "
    "Ask your Slack admin if you think I should be."
)
NOT_ADMIN = "Only the assistant's admins can change channel settings."
ANSWER_GONE = "Sorry, I can't find that answer any more, so I couldn't record that."
FEEDBACK_THANKS = {
    "up": "Thanks, I've recorded that this answer helped.",
    "down": "Thanks, I've recorded that this answer didn't help. Rephrasing the question, or "
    "naming the document or year, often gets a better one.",
}
NO_ESCALATION_CONTACTS = "Nobody is set up to follow up on questions in this channel yet."
KPI_NEEDS_NAME = "Tell me which measure, e.g. `/council kpi carbon footprint` or a KPI code."


def escalation(asker: str, contacts: tuple[str, ...], private: bool) -> str:
    """The public message that tags the channel's contacts. For a private answer it says
    only that the asker wants help, never what they asked."""
    people = " ".join(contacts)
    if private:
        return f"{people}: <@{asker}> asked me a question privately and would like more help. Could one of you get in touch?"
    return f"{people}: <@{asker}> would like more help with this answer. Could one of you follow up here?"


def already_escalated(escalated_by: str | None) -> str:
    who = f"<@{escalated_by}>" if escalated_by else "someone"
    return f"This answer was already passed on for follow-up by {who}."


def escalation_sent() -> str:
    return "Done: I've asked the channel's contacts to follow up."


def help_blocks() -> list[dict]:
    """The reply to `help`, an empty mention or `/council` on its own."""
    examples = "\n".join(f"• {q}" for q in EXAMPLE_QUESTIONS)
    return [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": (
                    "*I answer questions about Cambridgeshire County Council's strategy documents*, "
                    "with the exact figures and the passages I took them from.\n\n"
                    "*How to ask*\n"
                    "• Mention me in a channel: `@Council Assistant what is ...` (I reply in a thread; "
                    "mention me again in that thread to ask a follow-up)\n"
                    "• Open me from Slack's AI apps panel, or send me a direct message\n"
                    "• `/council &lt;question&gt;`, `/council kpi &lt;name or code&gt;`, `/council help`\n"
                    "• `/council brief &lt;ambition or topic&gt;`: a one-screen briefing with trend charts\n"
                    "• Start with `privately` (or `/council private ...`) and only you will see the answer"
                ),
            },
        },
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*Try*\n{examples}"}},
    ]


HELP_TEXT = "How to ask the Council Assistant: mention me, DM me, or use /council &lt;question&gt;."


def admin_usage() -> str:
    return (
        "*Channel settings* (`/council admin ...`)\n"
        "• `show`: this channel's settings\n"
        "• `mention-only on|off`: kept for older set-ups; in channels I now answer only when mentioned\n"
        "• `private on|off`: answer everyone here privately (only the asker sees the answer)\n"
        "• `escalate @person @group ...`: who \"Need more help\" tags; `escalate off` removes them"
    )

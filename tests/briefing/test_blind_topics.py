"""The blind set (blind_topics.yaml): topics written before their answers were seen. Every
briefing's headline fits one screen and every item is cited; every commitments look-up fits
one Slack message, current first, each earlier framework marked with what replaced it. Whether
each answer is complete is a judgement against the documents, reported with the issue."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.briefing.headline import HEADLINE_LIMIT
from bot.briefing.render_text import headline_text
from bot.slack.commitments_render import commitments_section_text
from bot.slack.render import SECTION_TEXT_LIMIT
from tests.briefing.test_briefing_build import uncited

BLIND = yaml.safe_load((Path(__file__).parent / "blind_topics.yaml").read_text(encoding="utf-8"))


def test_the_blind_set_has_twenty_of_each():
    assert (len(BLIND["briefings"]), len(BLIND["commitments"])) == (20, 20)
    assert len(set(BLIND["briefings"])) == len(set(BLIND["commitments"])) == 20


@pytest.mark.parametrize("topic", BLIND["briefings"])
def test_a_blind_briefing_fits_one_screen_and_is_cited(briefings, manifest, imported_sources, topic):
    briefing = briefings.brief(topic)
    assert len(headline_text(briefing)) <= HEADLINE_LIMIT
    assert briefing.sections, "an empty headline block"
    assert uncited(briefing, manifest, imported_sources) == []


@pytest.mark.parametrize("topic", BLIND["commitments"])
def test_a_blind_look_up_is_one_message_current_first_and_marked(briefings, topic):
    lookup = briefings.commitments(topic)
    assert len(commitments_section_text(lookup)) <= SECTION_TEXT_LIMIT
    currents = [group.current for group in lookup.groups]
    assert currents == sorted(currents, reverse=True)
    assert all(group.current or ", replaced by the " in group.heading for group in lookup.groups)
    if not lookup.groups:
        assert lookup.opening.startswith(f"None of the council's frameworks makes a commitment on “{topic}”.")
    elif not lookup.groups[0].current:
        assert "makes no commitment on" in lookup.opening

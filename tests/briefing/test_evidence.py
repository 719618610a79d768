"""Which records a topic is about: its words (with the documents' synonyms from corpus/), the
same subject carried into the newest framework under other words, and the fallback."""
from __future__ import annotations

import pytest

from bot.briefing.evidence import find_evidence, nearest_ambition, topic_words
from kpi_tools.text_search import load_synonyms, query_terms, same_subject, stem


def texts(pairs) -> list[str]:
    return [getattr(item, "text", None) or getattr(item, "name", None) or item.summary.name for _, item in pairs]


@pytest.mark.parametrize(("word", "expected"), [
    ("flooding", "flood"), ("businesses", "business"), ("libraries", "library"), ("classes", "class"),
    ("roads", "road"), ("bus", "bus"),
])
def test_stems(word, expected):
    assert stem(word) == expected


def test_plural_forms_match_their_singular_and_back():
    (libraries,) = query_terms("libraries")
    assert libraries.pattern().search("number of visitors to libraries / community hubs")
    assert libraries.pattern().search("improved two libraries")
    (gypsies,) = query_terms("gypsy")
    assert gypsies.pattern().search("service provision for gypsies and travellers")
    (bus,) = query_terms("bus")
    assert not bus.pattern().search("support for small businesses")


def test_a_topic_covers_a_record_with_all_its_words_or_a_synonym():
    words = topic_words("bus services")
    assert words.words == ("bus",)  # "services" says nothing when a topic has a better word
    assert words.score("enhance bus services") == 1.0
    assert words.score("Managing our Park and Ride sites") == 0.6  # corpus/topic_words.yaml: bus -> park and ride
    assert words.score("support for small businesses") == 0.0
    older = topic_words("older people")
    assert older.score("Older children will have opportunities") == 0.0


def test_the_same_subject_is_followed_into_the_newest_framework(briefings):
    evidence = find_evidence(briefings.records, briefings.catalogue, "road safety")
    assert "Monitoring the numbers of killed or seriously injured casualties" in texts(evidence.measures)
    assert texts(evidence.commitments) == [
        "Working through the Vision Zero Partnership to achieve a consistent reduction in deaths or serious injuries "
        "by 2040"]
    assert nearest_ambition(briefings.catalogue, evidence).code == "Ambition 2"


def test_a_topic_no_record_covers_whole_falls_back_to_its_rare_words(briefings):
    evidence = find_evidence(briefings.records, briefings.catalogue, "child poverty")
    assert "Reducing poverty through better employment and housing" in texts(evidence.commitments)
    assert max(score for score, _ in evidence.commitments) == 0.5  # half weight: not a whole match
    assert find_evidence(briefings.records, briefings.catalogue, "zebra crossings").empty


def test_the_nearest_ambition_of_a_topic_only_older_frameworks_speak_of(briefings):
    for topic, code in (("broadband", "Ambition 6"), ("economic growth", "Ambition 6"), ("older people", "Ambition 4")):
        evidence = find_evidence(briefings.records, briefings.catalogue, topic)
        assert nearest_ambition(briefings.catalogue, evidence).code == code, topic


def test_a_commitment_and_a_measure_on_the_same_subject():
    assert same_subject("Working through the Vision Zero Partnership to achieve a consistent reduction in deaths or "
                        "serious injuries by 2040", "Monitoring the numbers of killed or seriously injured casualties")
    assert not same_subject("Supporting Community Flood Groups to build resilience in areas at risk of flooding",
                            "Monitoring our annual county-wide carbon footprint data")


def test_the_synonyms_file_is_refused_with_one_line_when_malformed(tmp_path):
    path = tmp_path / "topic_words.yaml"
    path.write_text("words:\n  bus: []\n")
    with pytest.raises(ValueError, match=r"topic_words\.yaml: 'words' must map each word to a non-empty list"):
        load_synonyms(path)
    assert load_synonyms()["pothole"] == ("road", "highway")

from retrieval.chunk import chunk_document, mark_editions
from retrieval.parse import parse_document
from retrieval.text import clean_inline, split_sentences


def test_infographic_markup_is_removed_but_figures_stay_as_printed():
    assert clean_inline("**131,610 TONNES CO<sub>2</sub>e**") == "131,610 TONNES CO2e"
    assert clean_inline("**6.89MILLION  TONNES CO<sub>2</sub>e**") == "6.89 MILLION TONNES CO2e"
    assert clean_inline('✓ <input type="checkbox"/> <p>Health</p>') == "✓ Health"


def test_sentences_split_without_breaking_figures():
    assert split_sentences("Our budget will have reduced by £124 million. Over the same timeframe it grows.") == [
        "Our budget will have reduced by £124 million.", "Over the same timeframe it grows."]


def test_markdown_heading_levels_keep_ambitions_as_siblings(documents):
    doc = next(d for d in documents if d.id == "strategic-framework-2023-28-draft")
    blocks = parse_document(doc.read_text())
    tracking = [b for b in blocks if b.heading_path[-1:] == ("We will track progress by",)]
    assert tracking[4].heading_path[0] == "Ambition 5"
    assert tracking[4].items == (
        "Monitoring the number of universal credit claimants",
        "Monitoring the percentage of learners who go on to further learning, work, or apprenticeships",
    )


def test_kpi_table_rows_are_labelled_and_page_broken_rows_merged(documents):
    doc = next(d for d in documents if d.id == "strategic-framework-2016-21")
    rows = [b for b in parse_document(doc.read_text()) if b.kind == "table_row"]
    neet = next(r for r in rows if "NEET" in r.text)
    assert neet.text == (
        "Measure: % of 16-19 year olds not in Education, Employment or training (NEET). Directorate: CFA. "
        "Lead Committee: Children & Young People. Primary Outcome: The Cambridgeshire economy prospers to the "
        "benefit of all Cambridgeshire residents. Secondary Outcome: Places that work with children help them to "
        "reach their full potential. Deprivation Indicator: yes."
    )
    health_visiting = next(r for r in rows if r.text.startswith("Measure: Health visiting"))
    assert "% 2 - 2.5 year reviews using ASQ - 3" in health_visiting.text
    assert not any(r.text.startswith(("Measure: --", "Measure: using ASQ")) for r in rows)


def test_draft_checkbox_reads_as_no(documents):
    doc = next(d for d in documents if d.id == "strategic-framework-2016-21-draft")
    rows = [b for b in parse_document(doc.read_text()) if b.kind == "table_row"]
    neet = next(r for r in rows if "NEET" in r.text)
    assert neet.text.endswith("Deprivation Indicator: no.")


def test_chunks_carry_document_metadata_and_section(documents):
    doc = next(d for d in documents if d.id == "strategic-framework-2021-25")
    chunks = chunk_document(doc)
    broadband = next(c for c in chunks if "broadband" in c.text)
    assert (broadband.doc_id, broadband.status, broadband.period_start, broadband.period_end) == (
        "strategic-framework-2021-25", "adopted", 2021, 2025)
    assert broadband.section == "Strategic Framework › Our Strategic Priorities"
    assert all(len(c.text) <= 1200 for c in chunks)


def test_draft_text_repeated_in_later_edition_is_hidden_but_differences_stay(documents):
    chunks = mark_editions([c for d in documents for c in chunk_document(d)], documents)
    draft = [c for c in chunks if c.doc_id == "strategic-framework-2016-21-draft"]
    budget = next(c for c in draft if "£119 million" in c.text)
    assert not budget.repeated_in_later_edition
    assert sum(c.repeated_in_later_edition for c in draft) >= 0.6 * len(draft)
    later = [c for c in chunks if c.doc_id == "strategic-framework-2016-21"]
    assert not any(c.repeated_in_later_edition for c in later)


def test_headings_under_an_appendix_are_its_parts():
    text = ("1: Our Outcomes\n\nPeople live in a safe environment\n\nSome words about the outcome.\n\n"
            "Appendix: Our Outcomes in Detail\n\nThe outcomes are described below.\n\n"
            "People live in a safe environment\n\nWe want places free from harm such as flooding.\n\n"
            "2: Next Steps\n\nWe will report each year.\n")
    paths = {b.text: b.heading_path for b in parse_document(text)}
    assert paths["We want places free from harm such as flooding."] == (
        "Appendix: Our Outcomes in Detail", "People live in a safe environment")
    assert paths["We will report each year."] == ("2: Next Steps",)

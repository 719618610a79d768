"""A large added document: long lines are split, every chunk stays chunk-sized, and the text
stages (split, parse, chunk) grow linearly with the size of the file."""
from __future__ import annotations

import random
import time

import pytest

from bot.ingest import MAX_LINE_CHARS, ingest_document, split_long_lines
from retrieval.chunk import LONG_TEXT_CHARS, MAX_CHUNK_CHARS, chunk_document

WORDS = ("council strategy transport housing broadband carbon schools care residents budget investment "
         "community health services roads Fenland Cambridge Huntingdonshire delivery outcome").split()


def sentences(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 25))).capitalize() + "." for _ in range(count)]


def document(megabytes: float) -> str:
    text, paragraphs = 0, ["Budget note 2025", ""]
    rng = random.Random(2)
    pool = sentences(5000)
    while text < megabytes * 1_000_000:
        paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(1, 8)))
        paragraphs += [paragraph, ""]
        text += len(paragraph) + 2
    return "\n".join(paragraphs)


def test_split_long_lines_keeps_short_lines_and_breaks_long_ones_at_sentences():
    text = "Short line.\n" + " ".join(sentences(400)) + "\nLast."
    split = split_long_lines(text)
    lines = split.split("\n")
    assert lines[0] == "Short line." and lines[-1] == "Last."
    assert max(len(line) for line in lines) <= MAX_LINE_CHARS
    assert all(line.endswith(".") for line in lines)
    assert " ".join(split.split()) == " ".join(text.split())  # nothing lost, nothing added
    assert split_long_lines("x" * 4500).split("\n") == ["x" * 2000, "x" * 2000, "x" * 500]


def test_a_3_mb_single_line_becomes_many_chunk_sized_chunks(settings, tmp_path):
    path = tmp_path / "one-line.txt"
    path.write_text("Title\n\n" + " ".join(sentences(25_000))[:3_000_000], encoding="utf-8")
    info = ingest_document(settings, path, title="One line", period="2025")
    chunks = chunk_document(info)
    assert len(chunks) > 3000
    assert max(len(chunk.text) for chunk in chunks) <= MAX_CHUNK_CHARS
    assert all(chunk.added_by == "unknown" and chunk.status == "added" for chunk in chunks[:5])


def test_a_long_unpunctuated_line_is_cut_into_units():
    from retrieval.corpus import DocumentInfo

    doc = DocumentInfo("x", "X", "added", 2025, 2025, None, None)
    chunks = chunk_document(doc, "Title\n\n" + "word " * 200_000)
    assert max(len(chunk.text) for chunk in chunks) <= MAX_CHUNK_CHARS
    assert max(len(unit.text) for chunk in chunks for unit in chunk.units) <= MAX_CHUNK_CHARS


@pytest.mark.timeout(180)
def test_ingest_and_chunking_grow_linearly(settings, tmp_path):
    """1 MB and 5 MB: five times the text costs about five times the time (not 25), and 5 MB of
    text is split and chunked in well under a minute."""
    timings = {}
    for megabytes in (1, 5):
        path = tmp_path / f"note-{megabytes}.txt"
        path.write_text(document(megabytes), encoding="utf-8")
        started = time.perf_counter()
        info = ingest_document(settings, path, title=f"Note {megabytes}", period="2025", doc_id=f"note-{megabytes}")
        chunks = chunk_document(info)
        timings[megabytes] = time.perf_counter() - started
        assert chunks and max(len(chunk.text) for chunk in chunks) <= LONG_TEXT_CHARS
    assert timings[5] < 30, timings
    assert timings[5] < 10 * timings[1] + 1, timings


def test_the_same_text_repeated_in_one_long_line_gets_distinct_chunks_quickly():
    from retrieval.corpus import DocumentInfo

    doc = DocumentInfo("x", "X", "added", 2025, 2025, None, None)
    line = "The council will invest in broadband, roads and schools across Cambridgeshire. " * 40_000
    started = time.perf_counter()
    chunks = chunk_document(doc, "Title\n\n" + line)
    assert time.perf_counter() - started < 20
    assert len({chunk.id for chunk in chunks}) == len(chunks) > 3000

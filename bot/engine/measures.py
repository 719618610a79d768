"""Answering measure questions from the KPI database instead of from search results.

"What's the latest NEET figure?" or "Who leads the streetlights KPI?" have exact answers in
the database: the value as published with its period, area and source, and the outcome the
measure serves. This module recognises such questions and turns tool results into an
`Answer`; anything it is not sure about goes back to document search (it returns None).
"""
from __future__ import annotations

import re
from typing import Sequence

from sqlalchemy.exc import SQLAlchemyError

from bot.answer import Answer, Citation, Figure
from bot.engine.editions import EDITION_QUESTION, has_no_other_edition
from bot.engine.forms import own_words
from bot.engine.published import MEASURE_WORDS as _MEASURE_WORDS, PublishedFigures, describe_values
from retrieval.corpus import DocumentInfo
from retrieval.terms import STOPWORDS, expansions, index_terms, salient_terms, stem

_TREND = re.compile(r"\btrend\b|\bover time\b|\bover the years\b|\bhow (?:has|have) .{3,60} changed\b", re.IGNORECASE)
_LATEST = re.compile(
    r"\b(latest|most recent|newest|current|last)\b.{0,40}\b(figure|value|data|number|rate|result|performance|level)s?\b"
    r"|\btrend\b|\bover time\b|\bhow (?:has|have) .{3,60} changed\b|\bwhat (?:is|was) the .{0,40}\brate\b",
    re.IGNORECASE,
)
_MEASURE_DETAIL = re.compile(
    r"\b(kpi|indicator|lead committee|which committee|who leads|directorate|deprivation indicator|which outcome does)\b",
    re.IGNORECASE,
)
_TRACKING = re.compile(
    r"\bhow (?:will|would|does|do|did|is|are|was|were)\b.{0,90}\b(track|measur|monitor|know|judg|assess)"
    r"|\b(?:what|which) (?:measures|indicators|kpis)\b|\bprogress (?:on|against|towards)\b|\bsuccess measures\b"
    r"|\bwhat (?:does|do|will|did) .{0,40}\b(?:monitor|track|measure)\b"
    r"|\btracking (?:measures|indicators)\b|\bmeasures? (?:of|for) (?:success|progress)\b|\btrack(?:ed|ing)? progress\b",
    re.IGNORECASE,
)
_DEPRIVATION_LIST = re.compile(
    r"\b(?:which|what|list)\b.{0,40}\b(?:indicators|measures|kpis)\b.{0,60}\bdeprivation\b|\bdeprivation indicators\b",
    re.IGNORECASE,
)
# "which KPIs does the Adults committee lead?", "which kpis have 'developing our economy' as their
# secondary outcome": a list of KPIs filtered by a field value the question names.
_KPI_LIST = re.compile(r"\b(?:which|what|list|lists|listing|name)\b.{0,30}\b(?:kpis|measures|indicators)\b", re.IGNORECASE)
# "how is it worked out", "what's the definition of …", "what does … measure": what a figure counts.
_DEFINITION = re.compile(
    r"\bdefin(?:ed|ition|e)\b|\bhow (?:is|are|was|were) (?:it|that|this|they|the [\w' -]{2,40}?) "
    r"(?:measured|calculated|worked out|counted|defined|collected)\b|\bwhat does (?:it|that|this|the [\w' -]{2,40}?) "
    r"(?:measure|count)\b|\bsnapshot\b"
    # "who publishes the neet figures?", "where does that data come from?": the publisher is part of the definition
    r"|\bwho (?:publishes|produces|collects|compiles|puts out)\b|\bwhere (?:does|do) (?:it|that|this|they|the [\w' -]{2,40}?) "
    r"come from\b|\bsource of (?:the|that|this|these)\b", re.IGNORECASE)
# The fields of a KPI row, named: a question naming one wants the row.
_ROW_FIELD = re.compile(r"\b(?:lead committee|which committee|what committee|directorate|deprivation indicators?|"
                        r"deprivation (?:tick|flag|box)|"
                        r"primary outcomes?|secondary outcomes?|(?:which|what) outcome|who leads|who is responsible|"
                        r"whos responsible)\b", re.IGNORECASE)
# Fields a KPI row of the 2016-21 table does not have: asked for one, the row says what it holds instead.
UNHELD_FIELD = re.compile(r"\b(?:targets?(?!\s+(?:year|date)s?\b)|baselines?|deadlines?|budgets?|thresholds?)\b",
                          re.IGNORECASE)  # ("a target year" asks for a date)
_CODE = re.compile(r"\b(ambition|so|strategic objective)\s?(\d)\b", re.IGNORECASE)

class KpiAnswerer:
    def __init__(self, tools, documents: Sequence[DocumentInfo]):
        self._tools = tools
        self._titles = {d.id: d.title for d in documents}
        self._documents = list(documents)
        self._figures_by_doc: dict[str, tuple] = {}
        self._published = PublishedFigures(tools, self._measure_citations)

    def measure_names(self) -> tuple[str, ...]:
        """Every measure's name, so the speller knows the words KPI questions use ("not known");
        none while the database is away (the documents' words still correct spelling)."""
        from kpi_tools.errors import KpiToolError
        from kpi_tools.lookups import MAX_LIMIT

        try:
            found = [*self._tools.find_measures(limit=MAX_LIMIT, include_superseded=True),
                     *self._tools.find_measures(kind="defined measure", limit=MAX_LIMIT)]
            return tuple(dict.fromkeys(m.name for m in found))
        except (KpiToolError, SQLAlchemyError):
            return ()

    def names_published_measure(self, question: str, form) -> bool:
        from kpi_tools.errors import KpiToolError

        try:
            return self._published.names_measure(question, form.areas)
        except (KpiToolError, SQLAlchemyError):
            return False

    def published_named(self, question: str, form) -> Answer | None:
        """The published values of a measure the question names outright (every topic word in its name or
        definition), latest first; None when no measure is named that fully."""
        from kpi_tools.errors import KpiToolError

        try:
            observed = self._published.observations_for(question, form, strong_only=True)
        except (KpiToolError, SQLAlchemyError):
            return None
        return observed if observed is not None and not observed.abstained else None

    def answer(self, question: str, form=None) -> Answer | None:
        # What is asked (a field, a list, a definition) is the question's own; a topic carried from an
        # earlier turn (after ", about:") names the measure and its slots ("latest").
        asked = own_words(question)
        if EDITION_QUESTION.search(asked) and not has_no_other_edition(form, self._documents):
            return self.edition_differences(question)
        if _DEPRIVATION_LIST.search(asked) and not re.match(r"\s*(is|are|was|does)\b", asked, re.I):
            return self._deprivation_measures(question)
        if _KPI_LIST.search(asked):
            led = self._measures_by_field(question)
            if led is not None:
                return led
        if _ROW_FIELD.search(asked) and not _LATEST.search(question):
            # "neet kpi lead committee": the KPI row's fields, though the measure also has published values
            row = self._row_named_outright(question)
            if row is not None:
                return row
        if _TRACKING.search(asked) and not (form is not None and form.form == "who"):
            if re.search(r"\b(?:kpi|indicator)\b", question, re.IGNORECASE):  # the thread may say it is a KPI
                # "how is the NEET KPI measured": one KPI named outright, so its own row answers.
                row = self._row_named_outright(question)
                if row is not None:
                    return row
            tracked = self._tracking(question)
            if tracked is not None:
                return tracked
        asks_value = form is not None and (form.asks_figure or form.latest) or _LATEST.search(question)
        if asks_value and not (UNHELD_FIELD.search(asked) or _ROW_FIELD.search(asked)):
            unpublished = self._named_without_values(question, form)
            if unpublished is not None:
                return unpublished
        if form is not None and _DEFINITION.search(asked):
            defined = self._published.definition(question, form)
            if defined is not None:
                return defined
        if form is not None:
            observed = self._published.answer(question, form)
            if observed is not None:
                return observed
        wants_value = bool(_LATEST.search(question))
        unheld = UNHELD_FIELD.search(asked)
        says_kpi = bool(_MEASURE_DETAIL.search(question))
        if not wants_value and not says_kpi and not unheld:
            return None
        if unheld and not wants_value:
            # "what target was set for the NEET kpi?": the row is found without the field's word, and
            # says which fields it does hold. Without "kpi" the measure must be named more fully.
            without_field = re.sub(r"\b(?:service\s+)?committees?\b|\bset\b", " ", UNHELD_FIELD.sub(" ", question),
                                   flags=re.I)
            measure = self._best_measure(without_field, with_values=False, threshold=0.5 if says_kpi else 0.6)
            return self._field_not_held(question, measure.id, unheld.group(0).lower(), form) if measure else None
        # A measure's fields are stated only for a measure the question names outright.
        measure = self._best_measure(question, with_values=wants_value, threshold=0.5 if wants_value else 0.75)
        if measure is None:
            return None
        if wants_value:
            return self._trend(question, measure.id) if _TREND.search(question) else self._latest(question, measure.id)
        return self._measure_fields(question, measure.id)

    def _row_named_outright(self, question: str) -> Answer | None:
        """The fields of the KPI whose name the question uses nearly word for word; None for no such KPI."""
        measure = self._best_measure(question, with_values=False, threshold=0.75)
        return self._measure_fields(question, measure.id) if measure is not None else None

    def _named_without_values(self, question: str, form=None) -> Answer | None:
        """"Latest looked after children rate": the KPI the question names has no published values and
        no published measure related to it, so a value of another measure ("children" in an obesity
        measure) is not the answer."""
        named = self._best_measure(question, with_values=False, threshold=0.75)
        if named is None or named.has_values or self._with_related_measures([named])[1:]:
            return None
        if self._best_measure(question, with_values=True, threshold=0.75) is not None:
            return None  # a measure with values is named as fully: that one answers
        if form is not None and self._published.names_measure(question, form.areas):
            return None  # … by its name, code or definition ("the council's own footprint": CARBON-CCC)
        scoped = form.scope.doc_ids if form is not None else None
        detail = self._tools.get_measure(named.id)
        if scoped and detail.doc_id and detail.doc_id not in scoped:
            return None  # a 2010 success measure is not what a question about the 2023 draft names
        if self._published_for_the_same_outcome(detail):
            # "county carbon footprint 2023": the ambition's tracking line has no values, but a published
            # measure of the same ambition does; the published figures decide.
            return None
        return Answer(question, f"No published figure is held for “{detail.name}”.", self._measure_citations(detail),
                      abstained=True)

    def _published_for_the_same_outcome(self, detail) -> bool:
        """Whether a measure with published values serves the outcome or ambition this one is listed under."""
        outcomes = {link.outcome.id for link in detail.outcomes if link.outcome is not None and link.role == "primary"}
        if not outcomes:
            return False
        held = [m for m in self._tools.find_measures(kind="defined measure", limit=100) if m.has_values]
        return any((related := self._tools.get_measure(m.id).related_outcome) is not None and related.id in outcomes
                   for m in held)

    def _measure_fields(self, question: str, measure_id: int) -> Answer | None:
        """"Who leads the NEET KPI?", "is childhood obesity a deprivation indicator?": the KPI row's
        fields, said first, with what the other edition printed where it differs."""
        detail = self._tools.get_measure(measure_id)
        if detail.kind != "KPI" or not detail.quote:
            return None
        title = self._titles.get(detail.doc_id, detail.doc_title or detail.doc_id)
        fields = [f"lead committee {detail.lead_committee}" if detail.lead_committee else None,
                  f"directorate {detail.directorate}" if detail.directorate else None]
        primary = next((link.text for link in detail.outcomes if link.role == "primary"), None)
        if primary:
            fields.append(f"primary outcome “{primary}”")
        if detail.deprivation_indicator is not None:
            fields.append("flagged as a deprivation indicator" if detail.deprivation_indicator
                          else "not flagged as a deprivation indicator")
        headline = f"In the {title}, the KPI “{detail.name}” has " + "; ".join(f for f in fields if f) + "."
        notes = tuple(self._readable(d) for d in detail.edition_differences)
        text = headline + "\n\n" + f"“{detail.quote}” ({title} › {detail.section})" if detail.section else headline
        text += "".join(f"\nNote: {n}" for n in notes)
        return Answer(question, text, self._measure_citations(detail), notes=notes)

    def _field_not_held(self, question: str, measure_id: int, field: str, form=None) -> Answer | None:
        detail = self._tools.get_measure(measure_id)
        if detail.kind == "defined measure" and detail.value_count and not (form is not None and form.scope.doc_ids):
            # "what target is set for superfast broadband coverage?": the published data hold values, not targets
            publisher = f" published by {detail.publisher}" if detail.publisher else ""
            return Answer(question, f"No {field} is held for {detail.name}: the figures held are its values{publisher}, "
                                    f"with no {field} beside them.", self._measure_citations(detail), abstained=True)
        if detail.kind != "KPI" or not detail.quote:
            return None
        if field.rstrip("s") in detail.name.lower():
            return self._measure_fields(question, measure_id)  # "Growth in cycling from a 2004/05 average baseline"
        title = self._titles.get(detail.doc_id, detail.doc_title or detail.doc_id)
        text = (f"The {title} gives no {field} for the KPI “{detail.name}”: its KPI table records each KPI's "
                f"directorate, lead committee, outcomes and deprivation flag only.\n\n“{detail.quote}” ({title} › "
                f"{detail.section})")
        return Answer(question, text, self._measure_citations(detail), abstained=True)

    def _readable(self, text: str) -> str:
        """Edition notes name documents by title, not by id."""
        for doc_id, title in sorted(self._titles.items(), key=lambda item: -len(item[0])):
            text = text.replace(doc_id, f"the {title}")
        return text

    def describe_figures(self, figures: Sequence[Figure]) -> tuple[Figure, ...]:
        """Give figures read from quoted sentences the name, period, area and outcome the KPI
        database records for the same printed figure. The value stays as printed."""
        described = []
        for figure in figures:
            match = self._stored_figure(figure) if figure.doc_id else None
            if match is None:
                described.append(figure)
                continue
            described.append(Figure(
                name=match.name, value=match.value_text, unit=match.unit or figure.unit, period=match.period
                or figure.period, area=match.area, doc_id=figure.doc_id,
                outcome=match.outcome.label if match.outcome else None,
            ))
        return tuple(dict.fromkeys(described))

    def _stored_figure(self, figure: Figure):
        if figure.doc_id not in self._figures_by_doc:
            from kpi_tools.errors import KpiToolError

            try:
                self._figures_by_doc[figure.doc_id] = self._tools.get_figures(framework=figure.doc_id, limit=100)
            except KpiToolError:
                self._figures_by_doc[figure.doc_id] = ()
        digits = _value_key(figure.value)
        context = set(re.findall(r"[a-z0-9]+", figure.name.lower()))
        best, best_overlap = None, 0.0
        for stored in self._figures_by_doc[figure.doc_id]:
            if _value_key(stored.value_text) != digits:
                continue
            quote_words = set(re.findall(r"[a-z0-9]+", stored.quote.lower()))
            overlap = len(context & quote_words) / max(1, len(context))
            if overlap > best_overlap:
                best, best_overlap = stored, overlap
        return best if best_overlap >= 0.5 else None

    def describe_measure(self, query: str) -> Answer | None:
        """`/council kpi <name or code>`: what the measure is, who leads it, its latest value."""
        measure = self._best_measure(query, with_values=False, strict=False)
        if measure is None:
            return None
        if measure.has_values:
            return self._latest(query, measure.id)
        detail = self._tools.get_measure(measure.id)
        return Answer(query, detail.description, self._measure_citations(detail))

    def _best_measure(self, question: str, with_values: bool, strict: bool = True, threshold: float = 0.5):
        from kpi_tools.errors import KpiToolError

        topic = [t for t in salient_terms(question) if t not in _MEASURE_WORDS]
        if not topic:
            return None
        try:
            candidates = self._tools.find_measures(" ".join(_topic_words(question)) or question, limit=10)
        except KpiToolError:
            return None
        if with_values:
            candidates = self._with_related_measures(candidates)
        raw = set(re.findall(r"[a-z0-9]+", question.lower())) - STOPWORDS
        # "re-ablement" is also "reablement", as people type it
        names = {c.id: set(index_terms(f"{c.code or ''} {c.name} {_unhyphenated(c.name)}")) for c in candidates}
        vocabulary = set().union(*names.values()) if names else set()
        # When the question says it is about a KPI ("… in the KPI table or not?"), a word no candidate's
        # name uses counts half against each; otherwise in full ("which committee oversees progress").
        known = [t for t in topic if expansions(t) & vocabulary]
        stray = 0.5 if re.search(r"\b(?:kpis?|indicators?)\b", question, re.IGNORECASE) else 1.0
        total = len(known) + stray * (len(topic) - len(known))
        best, best_key = None, (0.0, 0)
        for candidate in candidates:
            if with_values and not candidate.has_values:
                continue
            present = names[candidate.id]
            score = sum(1 for t in topic if expansions(t) & present) / total
            # Ties ("Reception" or "Year 6" obesity) go to the name sharing more of the question's words.
            key = (score, len(raw & (set(re.findall(r"[a-z0-9]+", candidate.name.lower())) - STOPWORDS)))
            if key > best_key:
                best, best_key = candidate, key
        return best if best and (best_key[0] >= threshold or not strict) else None

    def _with_related_measures(self, candidates):
        """A framework KPI often has no values of its own; the published measures related to it do."""
        found = list(candidates)
        seen = {c.id for c in candidates}
        for candidate in candidates:
            if candidate.has_values or candidate.kind != "KPI":
                continue
            for ref in self._tools.get_measure(candidate.id).related_measures:
                if ref.id not in seen:
                    seen.add(ref.id)
                    found.extend(self._tools.find_measures(ref.code or ref.name, limit=3))
        return found

    def _latest(self, question: str, measure_id: int) -> Answer:
        latest = self._tools.latest_value(measure_id)
        detail = latest.measure
        outcome = detail.related_outcome.label if detail.related_outcome else (
            next((link.text for link in detail.outcomes if link.role == "primary"), None))
        notes = tuple(n for n in (latest.relation_note,) if n)
        if latest.value is None:
            return Answer(question, latest.summary, self._measure_citations(detail), notes=notes)
        value = latest.value
        figure = Figure(name=detail.name, value=value.value_text, unit=value.unit, period=value.period, area=value.area,
                        doc_id=None, outcome=outcome, source=value.source)
        comparators = tuple(
            Figure(name=f"{detail.name} ({c.area})", value=c.value_text, unit=c.unit, period=c.period, area=c.area,
                   source=c.source, outcome=outcome)
            for c in latest.comparators
        )
        citations = self._measure_citations(detail)
        text = describe_values(detail, (value,) + tuple(latest.comparators))
        return Answer(question, text + "".join(f"\n\n{n}" for n in notes), citations, (figure,) + comparators,
                      notes=notes)

    def edition_differences(self, question: str, only_relevant: bool = False) -> Answer | None:
        """What changed between the draft and the later edition, from the recorded differences; with
        `only_relevant`, None unless one of them is about what the question names."""
        items: list[tuple[str, Citation]] = []
        for framework in (f for f in self._tools.list_frameworks() if f.superseded_by):
            later = framework.superseded_by
            title = self._titles.get(later, later)
            for figure in self._tools.get_figures(framework=later, limit=100):
                if figure.edition_note:
                    items.append((f"{figure.name}: {figure.value_text} in the later edition. {figure.edition_note}",
                                  Citation(later, title, figure.section, figure.quote)))
            for summary in self._tools.find_measures(framework=later, limit=100):
                detail = self._tools.get_measure(summary.id)
                for difference in detail.edition_differences:
                    items.append((f"{detail.name}: {difference}", Citation(later, title, detail.section, detail.quote)))
        if not items:
            return None
        topic = [t for t in salient_terms(question) if t not in _EDITION_WORDS]
        relevant = [(text, citation) for text, citation in items
                    if topic and any(expansions(t) & set(index_terms(text)) for t in topic)]
        if only_relevant and not relevant:
            return None
        chosen = relevant or items
        pairs = [f for f in self._tools.list_frameworks() if f.superseded_by]
        lines = [f"Use the later edition: {self._titles.get(f.superseded_by, f.superseded_by)} replaces the draft "
                 f"({self._titles.get(f.doc_id, f.doc_id)}). Most text is the same; where they differ:" for f in pairs]
        lines += [f"  • {text}" for text, _ in chosen]
        return Answer(question, "\n".join(lines), tuple(dict.fromkeys(c for _, c in chosen)))

    def _measures_by_field(self, question: str) -> Answer | None:
        """The KPIs whose committee, directorate or outcome is the one the question names, word for word."""
        framework = self._frameworks(question, "outcome")[0]
        measures = self._tools.find_measures(framework=framework, limit=100)
        asked = question.lower()
        role = "secondary" if "secondary" in asked else "primary" if "primary" in asked else None
        fields = (("lead_committee", "committee", lambda m: (m.lead_committee,)),
                  ("directorate", "directorate", lambda m: (m.directorate,)),
                  ("outcome", f"{role} outcome" if role else "outcome",
                   lambda m: ((m.primary_outcome,) if role != "secondary" else ())
                   + (tuple(m.secondary_outcomes) if role != "primary" else ())))
        title = self._titles.get(framework, framework)
        for field, kind, values_of in fields:
            names = sorted({v for m in measures for v in values_of(m) if v}, key=len, reverse=True)
            name = next((n for n in names if re.search(rf"\b{re.escape(n.lower())}\b", asked)), None)
            if name is None:
                continue
            chosen = [m for m in measures if name in values_of(m)]
            if field == "outcome":
                lines = [f"In the {title}, {len(chosen)} KPIs have “{name}” as their {kind}:"]
            else:
                lines = [f"In the {title}, the {name} {kind} leads {len(chosen)} KPIs:"]
            lines += [f"  • {m.name}" for m in chosen]
            details = [self._tools.get_measure(m.id) for m in chosen]
            return Answer(question, "\n".join(lines),
                          tuple(Citation(d.doc_id, title, d.section, d.quote) for d in details if d.quote))
        return None

    def _deprivation_measures(self, question: str) -> Answer | None:
        framework = self._frameworks(question, "outcome")[0]
        measures = self._tools.find_measures(framework=framework, deprivation=True, limit=100)
        if not measures:
            return None
        title = self._titles.get(framework, framework)
        lines = [f"{title} flags {len(measures)} KPIs as deprivation indicators (\"narrowing the gap\"):"]
        lines += [f"  • {m.name} ({m.lead_committee})" for m in measures]
        details = [self._tools.get_measure(m.id) for m in measures]
        citations = tuple(Citation(d.doc_id, title, d.section, d.quote) for d in details if d.quote)
        return Answer(question, "\n".join(lines), citations)

    def _frameworks(self, question: str, noun_kind: str | None = None) -> list[str]:
        """Frameworks the question points at; by default the newest one that has `noun_kind`."""
        from bot.engine.scope import resolve_scope

        scope = resolve_scope(question, self._documents)
        summaries = [f for f in self._tools.list_frameworks() if not f.superseded_by]
        if scope.doc_ids:
            chosen = [f.doc_id for f in summaries if f.doc_id in scope.doc_ids]
            if chosen:
                return chosen
        matching = [f for f in summaries if noun_kind is None or f.outcome_kind == noun_kind]
        return [max(matching or summaries, key=lambda f: f.period_start).doc_id]

    def _tracking(self, question: str) -> Answer | None:
        frameworks = self._frameworks(question)
        candidates = [o for framework in frameworks for o in self._tools.list_outcomes(framework)]
        named = self._outcome_named_in(question)
        if named is not None:
            candidates = [named]
        code = _CODE.search(question)
        best = None
        if code:
            wanted = ("Ambition " if code.group(1).lower() == "ambition" else "SO") + code.group(2)
            best = next((o for o in candidates if (o.outcome.code or "").lower() == wanted.lower()), None)
        if best is None:
            topic = [t for t in salient_terms(question) if t not in _MEASURE_WORDS and t not in _TRACKING_WORDS]
            if not topic:
                return None
            scored = []
            for o in candidates:
                text = " ".join([o.outcome.title, o.description or "", *o.commitments, *(m.name for m in o.measures)])
                present, in_title = set(index_terms(text)), set(index_terms(o.outcome.title))
                everywhere = sum(1 for t in topic if expansions(t) & present) / len(topic)
                title_share = sum(1 for t in topic if expansions(t) & in_title) / len(topic)
                scored.append((everywhere, 0.6 * title_share + 0.4 * everywhere, o))
            best_pair = max(scored, key=lambda item: item[1], default=None)
            if best_pair is None or best_pair[0] < 0.5:
                return None
            best = best_pair[2]
        if not best.measures:
            return None
        title = self._titles.get(best.outcome.doc_id, best.outcome.doc_id)
        lines = [f"The {title} tracks {best.outcome.label} by:"] + [f"  • {m.name}" for m in best.measures]
        citations = (Citation(best.outcome.doc_id, title, best.section, best.quote or best.outcome.title),
                     Citation(best.outcome.doc_id, title, best.section, "; ".join(m.name for m in best.measures)))
        return Answer(question, "\n".join(lines), citations)

    def _outcome_named_in(self, question: str):
        """An outcome whose full title the question quotes ("… under People at risk of harm are kept
        safe"), in any framework: the title says which framework is meant."""
        asked = " ".join(re.findall(r"[a-z0-9]+", question.lower()))
        for framework in self._tools.list_frameworks():
            if framework.superseded_by:
                continue
            for outcome in self._tools.list_outcomes(framework.doc_id):
                title = " ".join(re.findall(r"[a-z0-9]+", outcome.outcome.title.lower()))
                if len(title) > 15 and title in asked:
                    return outcome
        return None

    def _trend(self, question: str, measure_id: int) -> Answer:
        trend = self._tools.trend(measure_id)
        detail = trend.measure
        outcome = detail.related_outcome.label if detail.related_outcome else None
        figures = tuple(
            Figure(name=detail.name, value=p.value_text,
                   unit=p.unit, period=p.period, area=p.area, source=p.source, outcome=outcome)
            for p in trend.points
        )
        notes = tuple(n for n in (trend.relation_note,) if n)
        if not trend.points:
            return Answer(question, trend.summary, self._measure_citations(detail), notes=notes)
        text = describe_values(detail, trend.points, trend.direction)
        return Answer(question, text + "".join(f"\n\n{n}" for n in notes), self._measure_citations(detail), figures,
                      notes=notes)

    def _measure_citations(self, detail) -> tuple[Citation, ...]:
        citations = []
        if detail.doc_id and detail.quote:
            citations.append(Citation(detail.doc_id, self._titles.get(detail.doc_id, detail.doc_title or detail.doc_id),
                                      detail.section, detail.quote))
        related = detail.related_kpi
        if related and related.doc_id:
            kpi = self._tools.get_measure(related.id)
            if kpi.quote:
                citations.append(Citation(kpi.doc_id, self._titles.get(kpi.doc_id, kpi.doc_title or kpi.doc_id),
                                          kpi.section, kpi.quote))
        return tuple(citations)


_EDITION_WORDS = {stem(w) for w in ("differ", "difference", "different", "change", "changed", "compare", "draft",
                                     "edition", "editions", "final", "later", "version", "between")}
_TRACKING_WORDS = {stem(w) for w in ("track", "progress", "measure", "monitor", "know", "success", "successful",
                                      "judge", "assess", "show", "whether", "succeeded", "helped", "help", "plan",
                                      "objective", "outcome", "ambition", "priority", "measured", "tracked")}


def _value_key(value: str) -> str:
    """"£124 million" and "124" are one figure; a figure in words ("three times") is its words, so
    "three" is not "three and a half"."""
    return re.sub(r"[^0-9.]", "", value).strip(".") or " ".join(value.lower().split())


def _unhyphenated(text: str) -> str:
    return re.sub(r"(?<=[a-z])-(?=[a-z])", "", text, flags=re.IGNORECASE)


def _topic_words(question: str) -> list[str]:
    words = re.findall(r"[A-Za-z0-9%-]+", question)
    return [w for w in words if stem(w.lower()) not in _MEASURE_WORDS and len(w) > 2
            and w.lower() not in {"what", "the", "for", "and", "was", "has", "how", "does", "council", "cambridgeshire"}]

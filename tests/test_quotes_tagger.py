"""The learned attribution tagger: vocabulary and features, spans from BIO labels and
posterior decoding, grouping spans into attributions, assembling quotes with
the rule layer's helpers, merging with the rule quotes, configuration and a missing
model, a tiny model trained from our own sentences, and the shipped English model on
sentences of our own. Tests reading PolNeAR skip when ../shared is absent."""

from __future__ import annotations

import logging

import pytest

from dragoman.entities import analyze_entities, load_registry
from dragoman.entities.tokens import tokenize
from dragoman.errors import ResourceError
from dragoman.evaluation import polnear
from dragoman.model import DateValue, EntityMention, Quote
from dragoman.quotes import extract, extract_quotes, tagger, train_tagger
from dragoman.quotes.tagger import (
    Attribution, Span, TaggerConfig, Vocabulary, children, cue_subjects, decode_marginals, document_sequences,
    group, prediction_features, quote_states, read_config, sequence_features, spans_from_labels, syntax_features,
)
from dragoman.text import syntax
from dragoman.text.syntax import Parse
from dragoman.text.sentences import split_sentences
from dragoman.time import analyze_dates

pycrfsuite = pytest.importorskip("pycrfsuite")

DATE = DateValue("2024-03-05", "metadata", "2024-03-05")


def _span(text: str, role: str, phrase: str, tokens, nth: int = 0) -> Span:
    """The Span of the ``nth`` occurrence of ``phrase`` in ``text`` (token indices from ``tokens``)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(phrase, at + 1)
    end = at + len(phrase)
    idx = [i for i, t in enumerate(tokens) if at <= t.start and t.end <= end]
    return Span(role, at, end, idx[0], idx[-1])


# --------------------------------------------------------------- vocabulary, features

def test_vocabulary_longest_phrase_wins():
    v = Vocabulary([("said", "cue:assert"), ("made it clear", "cog"), ("made", "other"), ("according to", "src"),
                    ("that", "comp")])
    words = "she made it clear that , according to him , he said so".split()
    assert v.tags(words) == [None, "cog", "cog", "cog", "comp", None, "src", "src", None, None, None,
                             "cue:assert", None]
    assert v.tags(["made", "a", "point"]) == ["other", None, None]
    assert v.tags(["according"]) == [None]  # an unfinished phrase is no match


def test_english_vocabulary_reads_speech_toml_and_tagger_words():
    v = tagger.vocabulary("en")
    assert v.tags(["warned"]) == ["cue:warn"]
    assert v.tags(["believes"]) == ["cog"]  # [tagger] cue_words
    assert v.tags(["according", "to"]) == ["src", "src"]


def test_quote_states_marks_inside_and_the_marks():
    text = 'He said: "We stay here." Then he left.'
    toks = tokenize(text)
    states = quote_states(toks, [(10, 23)])
    got = dict(zip([t.text for t in toks], states))
    assert got["said"] == "out" and got["We"] == "in" and got["here"] == "in" and got["left"] == "out"
    assert states[3] == "open" and states[8] == "close"  # the two '"'


def test_sequence_features_of_one_sentence():
    text = "The minister said that the bridge failed. Prices rose."
    toks = tokenize(text)
    feats = sequence_features(toks, tagger.vocabulary("en"), ["out"] * len(toks))
    words = [t.text for t in toks]
    said, that, bridge, failed = feats[2], feats[3], feats[5], feats[6]
    assert "w=said" in said and "lx=cue:assert" in said and "-1w=minister" in said and "+1w=that" in said
    assert "-1w|w=minister|said" in said and "w|+1w=said|that" in said and "+2w=the" in said
    assert "cr=2" in feats[0] and "cl=none" in said  # a complementizer is no cue
    assert "lx=comp" in that and "-1lx=cue:assert" in that and "cl=1" in that
    assert "cl=3" in bridge and "lx=cog" not in bridge
    assert "cl=6" in failed and "cr=none" in failed and "s3=led" in failed
    assert "BOP" in feats[0] and "T" in feats[0] and "sh=Xx" in feats[0]
    prices = feats[words.index("Prices")]
    assert "BOS" in prices and "cl=none" in prices  # a new sentence: the cue is out of reach
    assert "EOP" in feats[-1] and "P=." in feats[-1]
    assert "q=out" in said


def test_document_sequences_are_paragraphs_with_quote_states():
    text = 'First line, “quoted words here,” she said.\n\nSecond paragraph.'
    seqs = document_sequences(text, "en")
    assert len(seqs) == 2
    toks, feats, states = seqs[0]
    assert toks[0].text == "First" and seqs[1].tokens[0].text == "Second"
    assert len(feats) == len(toks) == len(states)
    assert states[[t.text for t in toks].index("quoted")] == "in"
    assert "q=in" in feats[[t.text for t in toks].index("words")]


# ------------------------------------------------------------------ BIO, decoding

def test_spans_from_labels():
    text = "Ann said the plan works and Bob agreed"
    toks = tokenize(text)
    labels = ["B-S", "B-C", "B-Q", "I-Q", "B-Q", "O", "I-S", "B-C"]
    spans = spans_from_labels(toks, labels, offset=10)
    got = [(s.role, text[s.start:s.end], s.first, s.last) for s in spans]
    assert got == [("S", "Ann", 10, 10), ("C", "said", 11, 11), ("Q", "the plan", 12, 13),
                   ("Q", "works", 14, 14), ("S", "Bob", 16, 16), ("C", "agreed", 17, 17)]
    assert spans_from_labels(toks[:2], ["I-Q", "I-C"]) == [Span("Q", 0, 3, 0, 0), Span("C", 4, 8, 1, 1)]


def test_decode_marginals_roles_and_o_weight():
    rows = [
        {"O": 0.9, "B-S": 0.1},
        {"O": 0.2, "B-C": 0.7, "I-C": 0.1},
        {"O": 0.2, "B-Q": 0.5, "I-Q": 0.3},
        {"O": 0.3, "B-Q": 0.2, "I-Q": 0.5},
        {"O": 0.55, "I-Q": 0.45},
    ]
    assert decode_marginals(rows) == ["O", "B-C", "B-Q", "I-Q", "O"]
    # a lower weight on O turns the doubtful last token into content
    assert decode_marginals(rows, 0.5) == ["O", "B-C", "B-Q", "I-Q", "I-Q"]
    # B and I of one role count together: 0.3 + 0.3 beats O 0.4, and a role change opens a span
    assert decode_marginals([{"O": 0.4, "B-S": 0.3, "I-S": 0.3}, {"O": 0.1, "I-Q": 0.9}]) == ["B-S", "B-Q"]


# --------------------------------------------------------------------------- groups

def test_group_source_cue_content_and_content_cue_source():
    text = "The mayor said taxes will rise. “We are ready,” the governor replied."
    toks = tokenize(text)
    spans = [_span(text, "S", "The mayor", toks), _span(text, "C", "said", toks),
             _span(text, "Q", "taxes will rise", toks), _span(text, "Q", "“We are ready,”", toks),
             _span(text, "S", "the governor", toks), _span(text, "C", "replied", toks)]
    atts = group(spans)
    got = [(text[a.cue.start:a.cue.end], text[slice(*a.content)], [text[s.start:s.end] for s in a.sources])
           for a in atts]
    assert got == [("said", "taxes will rise", ["The mayor"]), ("replied", "“We are ready,”", ["the governor"])]


def test_group_split_quote_shared_source_and_leftovers():
    text = "“No,” she said, “never.” She added that the vote was rigged and denied"
    toks = tokenize(text)
    said = _span(text, "C", "said", toks)
    spans = [_span(text, "Q", "“No,”", toks), _span(text, "S", "she", toks), said,
             _span(text, "Q", "“never.”", toks), _span(text, "C", "added", toks),
             _span(text, "Q", "the vote was rigged", toks), _span(text, "C", "denied", toks)]
    atts = group(spans)
    assert len(atts) == 2  # "denied" has no content: dropped
    first, second = atts
    assert first.cue == said and [text[c.start:c.end] for c in first.contents] == ["“No,”", "“never.”"]
    assert text[slice(*first.content)] == "“No,” she said, “never.”"
    # "added" has no source span of its own: it shares the nearest one before it
    assert [text[s.start:s.end] for s in second.sources] == ["she"]
    # but not one after it, which belongs to a later statement
    later = "Ann said that taxes rose. Lower ones, he added, would help."
    lt = tokenize(later)
    ann_said = [_span(later, "C", "said", lt), _span(later, "Q", "taxes rose", lt)]
    he_added = [_span(later, "Q", "Lower ones", lt), _span(later, "S", "he", lt), _span(later, "C", "added", lt),
                _span(later, "Q", "would help", lt)]
    first_att, second_att = group(ann_said + he_added)
    assert first_att.sources == [] and [later[s.start:s.end] for s in second_att.sources] == ["he"]
    # no cue in the paragraph: content alone, when asked for
    alone = [_span(text, "Q", "“never.”", toks)]
    assert group(alone) == [] and group(alone, cueless=True) == [Attribution(None, alone)]


def test_group_orders_sources_nearest_first():
    text = "Ms. Reyes , who chairs the panel , and she argued that costs fell"
    toks = tokenize(text)
    far, near = _span(text, "S", "Ms. Reyes", toks), _span(text, "S", "she", toks)
    atts = group([far, near, _span(text, "C", "argued", toks), _span(text, "Q", "costs fell", toks)])
    assert atts[0].sources == [near, far]


def _parse(text: str, tags: list[str], deps: list[str], heads: list[int]) -> Parse:
    """A hand-made parse over the whitespace-separated words of ``text``."""
    starts, pos = [], 0
    for w in text.split():
        pos = text.index(w, pos)
        starts.append(pos)
        pos += len(w)
    words = text.split()
    return Parse(starts, [s + len(w) for s, w in zip(starts, words)], [w.lower() for w in words], tags, deps, heads)


# "The senator from Ohio said on Monday that taxes rose ."
_SENT = "The senator from Ohio said on Monday that taxes rose ."
_TAGS = ["DT", "NN", "IN", "NNP", "VBD", "IN", "NNP", "IN", "NNS", "VBD", "."]
_DEPS = ["det", "nsubj", "prep", "pobj", "ROOT", "prep", "pobj", "mark", "nsubj", "ccomp", "punct"]
_HEADS = [1, 4, 1, 2, 4, 4, 5, 9, 9, 4, 4]


def test_parse_finds_the_token_at_an_offset():
    p = _parse(_SENT, _TAGS, _DEPS, _HEADS)
    assert len(p) == 11
    assert p.at(0) == 0 and p.at(5) == 1 and p.at(_SENT.index("said") + 3) == 4
    assert p.at(3) is None  # the space between "The" and "senator"


def test_syntax_features_relate_each_word_to_the_cue_above_it():
    toks = tokenize(_SENT)
    lex = tagger.vocabulary("en").tags([t.text.lower() for t in toks])
    f = syntax_features(toks, lex, _parse(_SENT, _TAGS, _DEPS, _HEADS))
    by_word = dict(zip((t.text for t in toks), f))
    assert {"tg=NN", "dp=nsubj", "hw=nsubj|said", "ca=nsubj", "cd=1", "va=nsubj", "vw=nsubj|said"} <= set(
        by_word["senator"])
    assert "ca=nsubj" in by_word["Ohio"] and "cd=3" in by_word["Ohio"]  # Ohio → from → senator → said
    assert "ca=self" in by_word["said"]
    # content words hang from the cue by the complement clause; their nearest verb is "rose"
    assert "ca=ccomp" in by_word["taxes"] and "va=nsubj" in by_word["taxes"] and "vw=nsubj|rose" in by_word["taxes"]
    # no parser token at a word's first character: no syntax features for it
    assert syntax_features(tokenize("  x"), [None], Parse([0], [1], ["y"], ["NN"], ["ROOT"], [0])) == [[]]


def test_cue_subjects_take_the_subject_subtree_and_group_prefers_it():
    text = "The senator from Ohio said on Monday that taxes rose ."
    toks = tokenize(text)
    p = _parse(text, _TAGS, _DEPS, _HEADS)
    said = _span(text, "C", "said", toks)
    subjects = cue_subjects([said], toks, 0, p, children(p))
    assert [(text[s.start:s.end], s.first, s.last) for s in subjects.values()] == [("The senator from Ohio", 0, 3)]
    # the tagger found two source spans; nearest is "Monday", the subject "The senator"
    ohio, monday = _span(text, "S", "The senator", toks), _span(text, "S", "Monday", toks)
    content = _span(text, "Q", "taxes rose", toks)
    assert group([ohio, said, monday, content])[0].sources[0] == monday  # no syntax: nearest first
    assert group([ohio, said, monday, content], subjects=subjects)[0].sources[0] == ohio
    # no source span at all: the subject becomes the source
    assert group([said, content], subjects=subjects)[0].sources == [subjects[said.first]]


def test_cue_subjects_after_according_to():
    text = "According to officials , taxes rose ."
    toks = tokenize(text)
    p = _parse(text, ["VBG", "IN", "NNS", ",", "NNS", "VBD", "."],
               ["prep", "prep", "pobj", "punct", "nsubj", "ROOT", "punct"], [5, 0, 1, 5, 5, 5, 5])
    cue = _span(text, "C", "According to", toks)
    got = cue_subjects([cue], toks, 0, p, children(p))
    assert [text[s.start:s.end] for s in got.values()] == ["officials"]


def test_prediction_features_read_the_first_models_labels():
    toks = tokenize(_SENT)  # The senator from Ohio said on Monday that taxes rose .
    labels = ["B-S", "I-S", "I-S", "I-S", "B-C", "O", "O", "O", "B-Q", "I-Q", "O"]
    rows = [{lab: 0.9, "O": 0.1} if lab != "O" else {"O": 0.7, "B-Q": 0.3} for lab in labels]
    base = [["w=" + t.text.lower()] for t in toks]
    f = prediction_features(toks, base, rows, labels)
    by_word = dict(zip((t.text for t in toks), f))
    assert by_word["senator"][0] == "w=senator"  # the first features come first, unchanged
    assert {"p=S", "p-1=S", "p+1=S", "p3=SSS", "mS=4", "mQ=0", "pr=3", "pl=none", "ps=1"} <= set(by_word["senator"])
    assert {"p=O", "p3=COO", "pl=1", "mQ=1"} <= set(by_word["on"])
    assert {"p=Q", "pl=6", "pr=none", "p+2=$"} <= set(by_word["rose"])
    assert not any(x.startswith(("ph=", "pa=")) for x in by_word["rose"])  # no parse, no tree features
    tree = dict(zip((t.text for t in toks), prediction_features(toks, base, rows, labels,
                                                               _parse(_SENT, _TAGS, _DEPS, _HEADS))))
    assert {"ph=C", "pa=nsubj", "pd=1"} <= set(tree["senator"])
    assert {"pa=ccomp", "pd=2"} <= set(tree["taxes"])  # taxes → rose → said
    assert "pa=nsubj" in tree["Ohio"] and "pd=3" in tree["Ohio"]
    # no predicted cue in the sentence: no distances, ps=0
    none = prediction_features(toks, base, rows, ["O"] * len(toks))
    assert all("ps=0" in x and "pl=none" in x and "pr=none" in x for x in none)


def test_syntax_parse_is_none_without_a_parser():
    assert syntax.parser_package("fa") is None and syntax.parse("سلام", "fa") is None


# ------------------------------------------------------------------ quotes, merging

def _extractor(text: str, mentions: list[EntityMention]):
    doc = extract._Doc(text, "en", split_sentences(text, "en"), mentions, [])
    dates, _ = analyze_dates(text, "en", DATE)
    return extract._Extractor(doc, dates, DATE)


def test_attribution_quotes_speaker_cue_direct_and_date():
    text = ("Senator Ana Ruiz warned on Monday that the bridge could close. "
            "“It is unsafe,” her aide believes. The council hopes.")
    toks = tokenize(text)
    ruiz = EntityMention(8, 16, "Ana Ruiz", "PERSON", "ana-ruiz", "test")
    x = _extractor(text, [ruiz])
    atts = [Attribution(_span(text, "C", "warned", toks), [_span(text, "Q", "that the bridge could close.", toks)],
                        [_span(text, "S", "Senator Ana Ruiz", toks)]),
            Attribution(_span(text, "C", "believes", toks), [_span(text, "Q", "“It is unsafe,”", toks)],
                        [_span(text, "S", "her aide", toks)]),
            Attribution(_span(text, "C", "hopes", toks), [_span(text, "Q", ".", toks, 2)], [])]
    quotes = tagger.attribution_quotes(x, atts)
    assert len(quotes) == 2  # content with no word is no quote
    q1, q2 = quotes
    assert q1.text == "that the bridge could close" and not q1.direct  # a reported clause loses its full stop
    assert q1.speaker == "ana-ruiz" and q1.speaker_text == "Senator Ana Ruiz" and q1.speaker_span == (0, 16)
    assert q1.cue == "warned" and q1.act == "warn" and q1.cue_span == (17, 23)
    assert q1.date is not None and q1.date.value == "2024-03-04"  # "on Monday" before 5 March 2024
    assert q2.direct and q2.text == "“It is unsafe,”" and q2.speaker is None and q2.speaker_text == "her aide"
    assert q2.act == "assert"  # "believes" is no speech verb of the lexicon
    assert q2.date is not None and q2.date.basis == "document"


def test_attribution_quotes_without_source_fall_back_to_the_rules():
    text = "Yesterday Ana Ruiz argued that the bridge could close.\n\nThe ferry is now the only way across."
    toks = tokenize(text)
    ruiz = EntityMention(10, 18, "Ana Ruiz", "PERSON", "ana-ruiz", "test")
    att = Attribution(_span(text, "C", "argued", toks), [_span(text, "Q", "the bridge could close", toks)], [])
    # the rules' speaker choice around the cue: the candidate inside "Yesterday Ana Ruiz"
    q = tagger.attribution_quotes(_extractor(text, [ruiz]), [att])[0]
    assert q.speaker == "ana-ruiz" and q.speaker_span == (10, 18) and q.speaker_text == "Ana Ruiz"
    # a rule quote over the same words lends its speaker
    x = _extractor(text, [ruiz])
    x.reported()
    assert [r.speaker for r in x.quotes] == ["ana-ruiz"]
    q = tagger.attribution_quotes(x, [att])[0]
    assert q.speaker == "ana-ruiz" and q.speaker_span == x.quotes[0].speaker_span
    # no source, no cue: no speaker (the previous one is rarely right for content found without its cue)
    ferry = Attribution(None, [_span(text, "Q", "The ferry is now the only way across.", toks)], [])
    q = tagger.attribution_quotes(x, [ferry])[0]
    assert q.cue is None and q.act is None and q.speaker is None and q.speaker_span is None


def _q(start: int, end: int, who: tuple[int, int] | None = None, text: str = "x") -> Quote:
    return Quote(start, end, text, False, None, "who" if who else None, who)


def test_merge_modes():
    rules = [_q(0, 10), _q(20, 30, (15, 18)), _q(50, 60)]
    learned = [_q(5, 12, (1, 3)), _q(25, 40), _q(70, 80)]
    first = tagger.merge(rules, learned, "learned_first")
    assert [(q.start, q.end) for q in first] == [(5, 12), (25, 40), (50, 60), (70, 80)]
    assert first[1].speaker_span == (15, 18)  # the dropped rule quote's speaker fills the gap
    learned[1].speaker_span = None
    rules_first = tagger.merge(rules, learned, "rules_first")
    assert [(q.start, q.end) for q in rules_first] == [(0, 10), (20, 30), (50, 60), (70, 80)]
    assert rules_first[0].speaker_span == (1, 3)
    learned[1].speaker_span = None
    only = tagger.merge(rules, learned, "learned_only")
    assert [(q.start, q.end) for q in only] == [(5, 12), (25, 40), (70, 80)]
    assert only[1].speaker_span == (15, 18)  # the rules still name the speaker


# ------------------------------------------------------------- configuration, model

def test_english_config_and_other_languages():
    cfg = read_config("en")
    assert cfg.model is not None and cfg.model.name == "attribution-en.crfsuite"
    assert cfg.mode in tagger.MODES and 0 < cfg.o_weight <= 1 and "believes" in cfg.cue_words
    for lang in ("de", "ru", "fa", "ar", None):
        assert read_config(lang).model is None and tagger.tagger_for(lang) is None


def test_bad_config_is_a_resource_error(tmp_path, monkeypatch):
    path = tmp_path / "speech.toml"
    monkeypatch.setattr(tagger, "language_file", lambda lang, name: path)
    path.write_text('[tagger]\nmodel = "m.crfsuite"\nmode = "both"\n', encoding="utf-8")
    with pytest.raises(ResourceError, match="mode"):
        read_config("xx")
    path.write_text('[tagger]\nmodel = "m.crfsuite"\no_weight = 2\n', encoding="utf-8")
    with pytest.raises(ResourceError, match="o_weight"):
        read_config("xx")
    path.write_text('[tagger]\nmodel = "m.crfsuite"\ncue_words = "believes"\n', encoding="utf-8")
    with pytest.raises(ResourceError, match="cue_words"):
        read_config("xx")
    path.write_text('[cues]\nassert = ["said"]\n', encoding="utf-8")
    assert read_config("xx").model is None


@pytest.mark.parametrize("broken", ["missing", "invalid"])
def test_missing_or_invalid_model_warns_and_leaves_the_rules(broken, tmp_path, monkeypatch, caplog):
    model = tmp_path / "attr.crfsuite"
    if broken == "invalid":
        model.write_text("not a model", encoding="utf-8")
    monkeypatch.setattr(tagger, "read_config", lambda lang: TaggerConfig("en", model))
    tagger.tagger_for.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="dragoman.quotes.tagger"):
            assert tagger.tagger_for("en") is None
        assert "rules only" in caplog.text and "attr.crfsuite" in caplog.text
        text = "The minister said that the talks had failed completely."
        quotes = extract_quotes(text, "en", split_sentences(text, "en"), [], [], [], DATE)
        assert [q.text for q in quotes] == ["the talks had failed completely"]
    finally:
        tagger.tagger_for.cache_clear()


OWN_DOCS = [
    ("Ana Ruiz said the road is closed.", [("Ana Ruiz", "said", "the road is closed")]),
    ("Tom Berg believes the vote was fair.", [("Tom Berg", "believes", "the vote was fair")]),
    ("The plant is old. Lea Moss thinks it should close.", [("Lea Moss", "thinks", "it should close")]),
    ("Max Hill said the bridge is safe.", [("Max Hill", "said", "the bridge is safe")]),
]


def _gold(text: str, triples) -> list[polnear.Attribution]:
    out = []
    for src, cue, content in triples:
        spans = [(text.index(p), text.index(p) + len(p)) for p in (src, cue, content)]
        out.append(polnear.Attribution([spans[2]], [spans[0]], [spans[1]]))
    return out


def test_labelled_projects_gold_spans():
    text, triples = OWN_DOCS[2]
    (feats, labels), = train_tagger.labelled(text, _gold(text, triples), "en")
    words = [t.text for t in tokenize(text)]
    assert len(feats) == len(labels) == len(words)
    assert list(zip(words, labels))[5:] == [("Lea", "B-S"), ("Moss", "I-S"), ("thinks", "B-C"), ("it", "B-Q"),
                                            ("should", "I-Q"), ("close", "I-Q"), (".", "O")]


def test_a_tiny_model_learns_our_sentences(tmp_path):
    docs = [(f"doc{i}", text, _gold(text, triples)) for i, (text, triples) in enumerate(OWN_DOCS * 3)]
    model = tmp_path / "tiny.crfsuite"
    train_tagger.train(docs, model, "en", c1=0.0, c2=0.01, iterations=60, verbose=False)
    assert model.is_file()
    s = train_tagger.score(model, docs[:4], "en")
    assert s["p"] == 1.0 and s["r"] == 1.0 and s["source"] == 1.0
    atts = tagger.AttributionTagger(model, "en").attributions(OWN_DOCS[1][0])
    assert [(OWN_DOCS[1][0][slice(*a.content)]) for a in atts] == ["the vote was fair"]


def test_a_tiny_stacked_pair_learns_our_sentences(tmp_path):
    docs = [(f"doc{i}", text, _gold(text, triples)) for i, (text, triples) in enumerate(OWN_DOCS * 3)]
    first, second = tmp_path / "tiny.crfsuite", tmp_path / "tiny-stacked.crfsuite"
    train_tagger.train_stacked(docs, first, second, "en", folds=2, c1=0.0, c2=0.01, iterations=60)
    assert first.is_file() and second.is_file()
    s = train_tagger.score(first, docs[:4], "en", stacked=second)
    assert s["p"] == 1.0 and s["r"] == 1.0 and s["source"] == 1.0
    pair = tagger.AttributionTagger(first, "en", stacked=second)
    atts = pair.attributions(OWN_DOCS[2][0])
    assert [(OWN_DOCS[2][0][slice(*a.content)]) for a in atts] == ["it should close"]
    feats = document_sequences(OWN_DOCS[2][0], "en")[0].features
    with pytest.raises(ValueError, match="tokens"):
        pair.labels(feats)  # the second model reads the first one's labels over the tokens
    with pytest.raises(FileNotFoundError, match="stacked"):
        tagger.AttributionTagger(first, "en", stacked=tmp_path / "missing.crfsuite")


def test_stacked_model_in_the_config(tmp_path, monkeypatch):
    path = tmp_path / "speech.toml"
    monkeypatch.setattr(tagger, "language_file", lambda lang, name: path)
    path.write_text('[tagger]\nmodel = "m.crfsuite"\nstacked = "m2.crfsuite"\n', encoding="utf-8")
    assert read_config("xx").stacked == tagger.MODELS_DIR / "m2.crfsuite"
    path.write_text('[tagger]\nstacked = "m2.crfsuite"\n', encoding="utf-8")
    assert read_config("xx").stacked is None  # a second model without a first is none
    path.write_text('[tagger]\nmodel = "m.crfsuite"\nstacked = 2\n', encoding="utf-8")
    with pytest.raises(ResourceError, match="stacked"):
        read_config("xx")


# ------------------------------------------------------- the shipped English model

def _english(text: str) -> list[Quote]:
    mentions, _, refs = analyze_entities(text, "en", DATE, load_registry(), backend="none")
    dates, _ = analyze_dates(text, "en", DATE)
    return extract_quotes(text, "en", split_sentences(text, "en"), mentions, refs, dates, DATE)


def test_shipped_model_finds_beliefs_and_findings_the_rules_miss():
    if tagger.tagger_for("en") is None:
        pytest.fail("the shipped English attribution model did not load")
    text = ("Investigators have concluded that the fire at the depot was set deliberately.\n\n"
            "A recent survey of local voters shows that most of them oppose the new highway.")
    quotes = _english(text)
    got = {(q.cue, q.text, q.speaker_text) for q in quotes}
    assert ("have concluded", "that the fire at the depot was set deliberately", "Investigators") in got
    assert ("shows", "that most of them oppose the new highway", "A recent survey of local voters") in got
    # the rules alone find neither
    assert _english_rules(text) == []


def _english_rules(text: str) -> list[Quote]:
    saved = extract.tagger_for
    extract.tagger_for = lambda lang: None
    try:
        return _english(text)
    finally:
        extract.tagger_for = saved


def test_shipped_model_keeps_direct_speech_and_its_speaker():
    text = "“We will not sign this agreement,” the foreign minister told reporters on Tuesday."
    quotes = _english(text)
    assert len(quotes) == 1
    q = quotes[0]
    assert q.direct and "We will not sign this agreement" in q.text
    assert q.speaker_text == "the foreign minister" and q.cue == "told"


# ----------------------------------------------------------------------- PolNeAR

def test_polnear_documents_label_every_role(shared):
    root = shared / "data" / "polnear" / "data"
    if not (root / "train" / "attributions").is_dir():
        pytest.skip(f"PolNeAR not found under {root}")
    name, text, gold = next(iter(polnear.documents(root, "train")))
    assert gold and all(a.content and a.cue for a in gold)
    labels = {lab for _, labs in train_tagger.labelled(text, gold, "en") for lab in labs}
    assert {"B-S", "B-C", "B-Q", "I-Q", "O"} <= labels <= set(tagger.LABELS)


def test_pronoun_speaker_continues_the_last_named_one_and_sources_lose_their_commas():
    text = ("Asked about a possible meeting between Putin and Ukrainian President Volodymyr Zelensky, the Kremlin "
            "spokesman, Dmitry Peskov, has said that there are no plans for one at this stage. Such a meeting, he "
            "added, could only follow concrete agreements reached by the two delegations.")
    quotes = _english(text)
    first = next(q for q in quotes if "no plans" in q.text)
    # the words before the source are not part of a "that" clause's content, and the source has no commas
    assert first.text == "that there are no plans for one at this stage"
    assert first.speaker == "dmitry-peskov" and first.speaker_text and first.speaker_text[0].isalpha()
    second = next(q for q in quotes if "concrete agreements" in q.text)
    # the entity layer alone would take "he" for Putin, the first person of the sentence before
    assert second.speaker_text == "he" and second.speaker == "dmitry-peskov"


def test_one_side_keeps_interrupted_content_but_not_what_precedes_a_that_clause():
    text = "Asked about it , the envoy said that talks failed . Talks , she said , failed ."
    toks = tokenize(text)
    said = _span(text, "C", "said", toks)
    before, after = _span(text, "Q", "Asked about it", toks), _span(text, "Q", "that talks failed", toks)
    a = tagger.one_side(Attribution(said, [before, after]), text, {"that"})
    assert a.contents == [after]
    said2 = _span(text, "C", "said", toks, 1)
    pieces = [_span(text, "Q", "Talks", toks), _span(text, "Q", "failed", toks)]
    assert tagger.one_side(Attribution(said2, pieces), text, {"that"}).contents == pieces


def test_a_parser_failing_on_one_text_gives_no_parse_and_a_warning(monkeypatch, caplog):
    def boom(package, text):
        raise ValueError("bad text")

    monkeypatch.setattr(syntax, "spacy_doc", boom)
    with caplog.at_level(logging.WARNING):
        assert syntax.parse("Some text.", "en") is None
    assert "failed on a en text" in caplog.text and "bad text" in caplog.text
    assert syntax.parse("Other text.", "fa") is None  # no parser for the language: no call at all


def test_token_overlap_counts_each_token_once():
    text = "He said the plan is dead, officials added."
    said = text.index("the plan")
    gold = [(said, said + len("the plan is dead")), (said, said + len("the plan"))]  # nested gold counts once
    both, pred, gold_n = polnear.token_overlap(text, [(said + 4, text.index(","))], gold)
    assert (both, pred, gold_n) == (3, 3, 4)  # "plan is dead" of "the plan is dead"
    assert polnear.token_overlap(text, [], gold) == (0, 0, 4)

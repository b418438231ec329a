"""From found spans to document entities: merge recognisers, link, cluster, corefer.

1. **Merge** the statistical recogniser's spans with registry-name spans: a registry
   name inside a model span of the same kind links that span ("Дмитрий Песков" ⊃
   "Песков"); a registry name longer than a model span replaces it; a model span that
   only contains a registry name of another kind keeps its own ("Министерство
   иностранных дел России" is not Russia).
2. **Roles**: a role phrase is linked to the office holder on the document date; a role
   phrase next to a name ("Kremlin spokesman Dmitry Peskov", "Песков, пресс-секретарь
   Кремля") takes that name's entity instead, which also links names the registry lacks.
3. **Cluster** within the document: registry mentions by actor; other persons join the
   one entity whose name contains all their words ("Zelensky" → "Volodymyr Zelensky");
   other mentions by their word keys.
4. **Ids**: the registry key, else ``<type>:<cross-script skeleton>`` of the fullest name
   (of the surname for people),
   so the same unregistered name in Arabic and Russian documents gets one id.
5. **References**: subject pronouns ("he", "وی", "он") point to the latest person
   entity mentioned before them, for the quotes layer.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from ..model import DateValue, DocEntity, EntityMention, Reference
from ..quotes.marks import quoted_spans
from .keys import name_key, translit
from .lexicon import EntityLexicon
from .mentions import Mention
from .registry import Registry
from .tokens import Token

_KIND = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "EVENT": "EVENT", "OTHER": "OTHER"}
APPOSITION_GAP = 3  # characters of punctuation/space allowed between a role phrase and a name


def date_span(date: DateValue | None) -> tuple[dt.date, dt.date] | None:
    """First and last day a document date can be (``None`` when unknown)."""
    value = date.value if date else None
    if not value or value.startswith("XXXX"):
        return None
    try:
        parts = [int(p) for p in value.split("-")]
    except ValueError:
        return None
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        nxt = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def absorb_places(text: str, mentions: list[Mention]) -> list[Mention]:
    """An organisation followed by a place in the genitive is one organisation
    ("Верховный суд Пакистана", "МИД Великобритании"): for languages whose
    ``entities.toml`` sets ``[rules] org_takes_place_after``."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (prev is not None and prev.type == "ORG" and m.type in ("GPE", "LOC") and m.start > prev.end
                and text[prev.end:m.start] == " " and not prev.text.isupper()):
            out[-1] = Mention(prev.start, m.end, text[prev.start:m.end], "ORG", prev.source)
            continue
        out.append(m)
    return out


def merge(model: list[Mention], names: list[Mention]) -> list[Mention]:
    """Model spans and registry-name spans, without overlaps (see the module doc)."""
    out: list[Mention] = []
    used: set[int] = set()
    for n in model:
        inside = [g for g in names if n.start <= g.start and g.end <= n.end]
        over = [g for g in names if g.start < n.end and n.start < g.end]
        longer = [g for g in over if g.start <= n.start and n.end <= g.end and (g.end - g.start) > (n.end - n.start)]
        if longer:
            continue  # the registry name replaces the model span below
        for g in over:
            used.add(id(g))
        exact = [g for g in inside if (g.start, g.end) == (n.start, n.end) and g.actor]
        if len(exact) == 1:  # the registry knows this very name: its actor and type
            g = exact[0]
            out.append(Mention(n.start, n.end, n.text, g.type, n.source, actor=g.actor))
            continue
        same = [g for g in inside if _KIND[g.type] == _KIND[n.type] and g.actor]
        if len({g.actor for g in same}) == 1:
            g = same[0]
            typ = g.type if _KIND[g.type] == _KIND[n.type] else n.type
            out.append(Mention(n.start, n.end, n.text, typ, n.source, actor=g.actor))  # type: ignore[arg-type]
        else:
            out.append(n)
    out.extend(g for g in names if id(g) not in used)
    out.sort(key=lambda m: (m.start, -m.end))
    # a registry name that replaced a model span may now overlap another model span
    clean: list[Mention] = []
    for m in out:
        if clean and m.start < clean[-1].end:
            if (m.end - m.start) > (clean[-1].end - clean[-1].start):
                clean[-1] = m
            continue
        clean.append(m)
    return clean


@dataclass
class _Cluster:
    type: str
    actor: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    words: list[Words] = field(default_factory=list)


Words = tuple[frozenset[str], ...]  # each word of a name as the set of its keys


def _words(m: Mention, tokens: list[Token], keys: list[tuple[str, ...]]) -> Words:
    # tokens are in text order: start at the first one at or after the mention
    i = bisect.bisect_left(tokens, m.start, key=lambda t: t.start)
    out = []
    while i < len(tokens) and tokens[i].end <= m.end:
        if tokens[i].text[:1].isalnum():
            out.append(frozenset(keys[i]))
        i += 1
    return tuple(out)


def _within(a: Words, b: Words) -> bool:
    """Every word of ``a`` is some word of ``b`` ("Zelensky" within "Volodymyr Zelensky")."""
    return all(any(x & y for y in b) for x in a)


def _same(a: Words, b: Words) -> bool:
    return len(a) == len(b) and all(x & y for x, y in zip(a, b))


def _apposition(role: Mention, names: list[Mention], text: str, registry: Registry) -> Mention | None:
    """The person a role phrase stands beside: "Kremlin spokesman Dmitry Peskov" (the name
    right after it) or "Peskov, the Kremlin spokesman" (before it, after a comma). A
    registry person who never held the role's office is not it ("Putin and the US
    president")."""

    def fits(n: Mention) -> bool:
        if _KIND[n.type] != "PERSON":
            return False
        actor = registry.get(n.actor) if n.actor else None
        return actor is None or role.office is None or actor.holders_of(role.office, None)

    for n in names:
        if n.start >= role.end and len(text[role.end:n.start]) <= APPOSITION_GAP \
                and not text[role.end:n.start].strip(" \u00a0") and fits(n):
            return n
    for n in names:
        gap = text[n.end:role.start] if n.end <= role.start else None
        if gap is not None and len(gap) <= APPOSITION_GAP + 4 and "," in gap \
                and not gap.strip(" ,\u00a0-–—(").strip() and fits(n):
            return n
    return None


def link(text: str, lang: str | None, tokens: list[Token], keys: list[tuple[str, ...]], mentions: list[Mention],
         roles: list[Mention], registry: Registry, lex: EntityLexicon) -> tuple[list[EntityMention], list[DocEntity],
                                                                               list[Reference]]:
    clusters: list[_Cluster] = []
    by_actor: dict[str, _Cluster] = {}
    of: dict[int, _Cluster] = {}

    def add(m: Mention, c: _Cluster) -> None:
        c.mentions.append(m)
        c.words.append(_words(m, tokens, keys))
        of[id(m)] = c

    def new(m: Mention) -> _Cluster:
        c = _Cluster(m.type, m.actor)
        clusters.append(c)
        if m.actor:
            by_actor[m.actor] = c
        add(m, c)
        return c

    for m in mentions:  # registry-linked first
        if m.actor:
            c = by_actor.get(m.actor)
            add(m, c) if c else new(m)
    unlinked = sorted((m for m in mentions if not m.actor), key=lambda m: -(m.end - m.start))
    for m in unlinked:
        w = _words(m, tokens, keys)
        if not w:
            continue
        if m.type == "PERSON":
            hosts = {id(c): c for c in clusters if c.type == "PERSON" and any(_within(w, cw) for cw in c.words)}
        else:
            hosts = {id(c): c for c in clusters if _KIND[c.type] == _KIND[m.type] and any(_same(w, cw) for cw in c.words)}
        if len(hosts) == 1:
            add(m, next(iter(hosts.values())))
        else:
            new(m)
    # role phrases: the name beside them, else the office holder on the document date
    role_of: dict[int, _Cluster | None] = {}
    for r in roles:
        n = _apposition(r, mentions, text, registry)
        if n is not None and id(n) in of:
            role_of[id(r)] = of[id(n)]
            of[id(n)].mentions.append(r)
        else:
            actor = r.actor or _holder_in_document(r.office, by_actor, registry)
            if actor:
                c = by_actor.get(actor) or new(Mention(r.start, r.end, r.text, "PERSON", "role", actor=actor))
                if r not in c.mentions:
                    c.mentions.append(r)
                role_of[id(r)] = c
            else:
                role_of[id(r)] = None
    entities = [_entity(c, lang, registry, lex) for c in clusters]
    ids = {id(c): e.id for c, e in zip(clusters, entities)}
    out = [EntityMention(m.start, m.end, m.text, m.type, ids.get(id(of.get(id(m)))), m.source) for m in mentions]
    out += [EntityMention(r.start, r.end, r.text, "PERSON", ids[id(role_of[id(r)])] if role_of[id(r)] else None,
                          "role", r.office) for r in roles]
    out.sort(key=lambda m: (m.start, -m.end))
    merged = _merge_ids(entities)
    refs = _references(tokens, lex, out, [(q.start, q.end) for q in quoted_spans(text)], text)
    return out, merged, refs


def _holder_in_document(office: str | None, by_actor: dict[str, _Cluster], registry: Registry) -> str | None:
    """With no date to go by, a role phrase means the one person the document names who
    ever held that office ("Putins Pressesprecher" in a text that names Peskov)."""
    if not office:
        return None
    held = [key for key in by_actor if (a := registry.get(key)) is not None and a.holders_of(office, None)]
    return held[0] if len(held) == 1 else None


def _merge_ids(entities: list[DocEntity]) -> list[DocEntity]:
    """Clusters that ended up with one id (same skeleton) become one entity."""
    seen: dict[str, DocEntity] = {}
    for e in entities:
        if e.id in seen:
            s = seen[e.id]
            s.mentions += e.mentions
            s.aliases += [a for a in e.aliases if a not in s.aliases]
        else:
            seen[e.id] = e
    return list(seen.values())


def _entity(c: _Cluster, lang: str | None, registry: Registry, lex: EntityLexicon) -> DocEntity:
    aliases = list(dict.fromkeys((m.text, lang) for m in c.mentions if m.source != "role"))
    count = len(c.mentions)
    actor = registry.get(c.actor) if c.actor else None
    if actor is not None:
        return DocEntity(actor.key, actor.name, actor.type, actor.wikidata, aliases, count)
    names = [m for m in c.mentions if m.source != "role"]
    longest = max(len(m.text.split()) for m in names)
    full = Counter(m.text for m in names if len(m.text.split()) == longest).most_common(1)[0][0]
    words = [lex.key(w) for w in full.split()]
    if c.type == "PERSON":
        # people are named by surname across documents ("Johnson" here, "Boris Johnson"
        # there): the id keys the surname, which merges them at the cost of merging
        # namesakes the registry does not tell apart
        words = words[-1:]
    key = name_key(words) or name_key(full.split()) or translit(full).lower().replace(" ", "-")
    latin = [m.text for m in names if m.text.isascii()]
    display = Counter(latin).most_common(1)[0][0] if latin else translit(full).title()
    return DocEntity(f"{c.type.lower()}:{key}", display or full, c.type, None, aliases, count)


def _references(tokens: list[Token], lex: EntityLexicon, mentions: list[EntityMention],
                quoted: list[tuple[int, int]], text: str) -> list[Reference]:
    """Each person pronoun → the person most likely its subject: in the latest sentence
    before it that names a person (persons inside quotations left out: a speaker is named
    outside what they say), the first one named, since subjects come early. A role phrase
    whose holder is unknown counts too, so the pronoun then stays unresolved rather than
    taking a name said in passing."""
    if not lex.pronouns:
        return []
    roles = [m for m in mentions if m.source == "role"]
    persons = [m for m in mentions if m.type == "PERSON"
               and not any(s <= m.start and m.end <= e for s, e in quoted)
               and (m.source == "role" or not any(r.start <= m.start and m.end <= r.end for r in roles))]
    out = []
    for t in tokens:
        if not lex.is_pronoun(t.text):
            continue
        before = [m for m in persons if m.end <= t.start]
        entity = None
        if before:
            last = before[-1]
            lo = max(text.rfind(ch, 0, last.start) for ch in ".!?\n؟") + 1
            lo = min(lo, last.start)
            here = [m for m in before if m.start >= lo and not (m.start <= t.start < m.end)]
            own = [m for m in here if m.end <= t.start and text.rfind(".", m.end, t.start) < 0
                   and "\n" not in text[m.end:t.start]]
            entity = (own or here)[0].entity if (own or here) else last.entity
        out.append(Reference(t.start, t.end, t.text, entity))
    return out

"""Blockers and help requests that say the same thing in other words: TF-IDF with cosine
similarity (scikit-learn), a pure rule over plain strings.

Keyword themes only see the words a programme configured; two partnerships writing
"nobody applied for the officer post" and "we advertised the officer role twice, no
applicants" share none of them. Texts are compared on their content words (stop words dropped),
weighted by how rare each is across this week's texts,
with common endings trimmed (a crude stem), so "recruit" meets "recruiting" and a word
everyone uses counts for little.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

THRESHOLD = 0.45  # cosine similarity from which two texts count as saying the same thing
CHUNK = 1024  # rows compared at once
COMMON_SHARE, COMMON_FLOOR = 0.01, 25  # stems in more documents than this are left out
WORD = re.compile(r"[a-z]{3,}")
WORD_CHARS = 30  # a shared word as a label: longer ones (pasted strings, not words) clipped
ENDINGS = re.compile(r"(?:ments?|ings?|ions?|ers?|ed|es|ly|s)$")
# Words every partnership's notes are full of: they say nothing about the problem.
PROGRAMME_WORDS = frozenset({
    "partnership", "partners", "partner", "project", "still", "need", "needs", "really",
    "week", "weeks", "month", "months", "yet", "got", "get", "getting", "able", "unable",
    "help", "want", "would", "could", "also", "lot", "bit", "one", "two", "new",
})
STOP = ENGLISH_STOP_WORDS | PROGRAMME_WORDS


def content_words(text: str) -> list[str]:
    """The words that carry meaning: lower case, three letters or more, no stop words."""
    return [w for w in WORD.findall(text.lower()) if w not in STOP]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem: a common ending off, then six letters at most ("applicants" and
    "application" both become "applic"). Enough to meet a word in another form; words
    are compared whole, which keeps the comparison sparse and fast."""
    trimmed = ENDINGS.sub("", word)
    return (trimmed if len(trimmed) >= 3 else word)[:6]


@dataclass(frozen=True)
class SimilarGroup:
    """Texts (indices into those given) that say the same thing, and the words they share."""

    members: tuple[int, ...]
    words: tuple[str, ...]


def similar_groups(texts: Sequence[str], tags: Sequence[frozenset[str]] | None = None,
                   threshold: float = THRESHOLD) -> list[SimilarGroup]:
    """``texts`` joined where they say the same thing, largest group first.

    Two texts are close when their cosine similarity reaches ``threshold`` and they share
    no tag (``tags[i]``: the keyword themes of ``texts[i]``, which already bring those
    together). Identical texts are compared once, as one node: a programme repeats itself.
    A group is a text and the texts close to it (the best connected first), so every
    member says the same thing as its centre and a chain of near misses never snowballs.
    """
    tags = tags or [frozenset()] * len(texts)
    said = [content_words(text) for text in texts]
    nodes: dict[tuple[str, frozenset[str]], list[int]] = {}
    for index, content in enumerate(said):
        words = " ".join(stem(w) for w in content)
        if words:
            nodes.setdefault((words, tags[index]), []).append(index)
    keys = list(nodes)
    near: dict[int, set[int]] = {i: set() for i, k in enumerate(keys)}
    for a, b in _close_pairs([k[0] for k in keys], threshold):
        if not keys[a][1] & keys[b][1]:
            near[a].add(b)
            near[b].add(a)
    taken: set[int] = set()
    groups = []
    for centre in sorted(near, key=lambda n: (-len(near[n]) - len(nodes[keys[n]]), n)):
        if centre in taken:
            continue
        members = [centre, *sorted(near[centre] - taken)]
        if len(members) == 1 and (len(nodes[keys[centre]]) < 2 or keys[centre][1]):
            continue  # alone, or identical texts a keyword theme already joins
        taken.update(members)
        indices = sorted(i for node in members for i in nodes[keys[node]])
        groups.append(SimilarGroup(tuple(indices), tuple(_shared([said[i] for i in indices]))))
    return sorted(groups, key=lambda g: (-len(g.members), g.members))


def _close_pairs(documents: Sequence[str], threshold: float) -> list[tuple[int, int]]:
    """(a, b) with a < b for every pair of documents at or above ``threshold``.

    Stems that more than 1% of many documents use (a floor of 25 documents) say little
    about any one of them and would make every document a neighbour of every other, so
    they are left out; the rest keep the product sparse, computed a block of rows at a
    time.
    """
    if len(documents) < 2:
        return []
    vectorizer = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True,
                                 dtype=np.float32,
                                 max_df=min(1.0, max(COMMON_SHARE, COMMON_FLOOR / len(documents))))
    try:
        vectors = vectorizer.fit_transform(documents).tocsr()
    except ValueError:  # every stem was too common: nothing distinguishes the texts
        return []
    pairs: list[tuple[int, int]] = []
    transposed = vectors.T.tocsc()
    for start in range(0, len(documents), CHUNK):
        block = (vectors[start:start + CHUNK] @ transposed).tocoo()
        keep = (block.data >= threshold) & (block.col > block.row + start)
        pairs += list(zip((block.row[keep] + start).tolist(), block.col[keep].tolist(),
                          strict=True))
    return pairs


def shared_words(texts: Sequence[str], limit: int = 3) -> list[str]:
    """The content words most of these texts use, as a short label for what they share
    (words in only one text are left out; ties in the order the words first appear)."""
    return _shared([content_words(text) for text in texts], limit)


def _shared(said: Sequence[list[str]], limit: int = 3) -> list[str]:
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for words in said:
        for word in dict.fromkeys(words):
            counts[word] += 1
            first.setdefault(word, len(first))
    common = sorted((w for w, n in counts.items() if n >= 2),
                    key=lambda w: (-counts[w], first[w]))
    return [w[:WORD_CHARS] for w in common[:limit]]

"""Blockers and help requests that say the same thing in other words: TF-IDF with cosine
similarity (scikit-learn), a pure rule over plain strings.

Keyword themes only see the words a programme configured; two partnerships writing
"nobody applied for the officer post" and "we advertised the officer role twice, no
applicants" share none of them. Texts are compared on character 4- and 5-grams of their
content words (stop words dropped), weighted by how rare each is across this week's texts,
so "recruit" meets "recruiting" and a word everyone uses counts for little.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

THRESHOLD = 0.45  # cosine similarity from which two texts count as saying the same thing
CHUNK = 512  # rows compared at once: bounds memory to CHUNK × distinct texts
WORD = re.compile(r"[a-z]{3,}")
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


@dataclass(frozen=True)
class SimilarGroup:
    """Texts (indices into those given) that say the same thing, and the words they share."""

    members: tuple[int, ...]
    words: tuple[str, ...]


def similar_groups(texts: Sequence[str], tags: Sequence[frozenset[str]] | None = None,
                   threshold: float = THRESHOLD) -> list[SimilarGroup]:
    """``texts`` joined where they say the same thing, largest group first.

    Two texts are joined when their cosine similarity reaches ``threshold`` and they share
    no tag (``tags[i]``: the keyword themes of ``texts[i]``, which already bring those
    together). Identical texts are compared once, as one node: a programme repeats itself.
    Groups are connected components, so a chain of close pairs is one group.
    """
    tags = tags or [frozenset()] * len(texts)
    nodes: dict[tuple[str, frozenset[str]], list[int]] = {}
    for index, text in enumerate(texts):
        words = " ".join(content_words(text))
        if words:
            nodes.setdefault((words, tags[index]), []).append(index)
    keys = list(nodes)
    parent = list(range(len(keys)))
    joined = [len(nodes[k]) >= 2 and not k[1] for k in keys]  # identical, untagged texts

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in _close_pairs([k[0] for k in keys], threshold):
        if keys[a][1] & keys[b][1]:
            continue
        joined[a] = joined[b] = True
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    components: dict[int, list[int]] = {}
    for node, is_joined in enumerate(joined):
        if is_joined:
            components.setdefault(root(node), []).extend(nodes[keys[node]])
    groups = [SimilarGroup(tuple(sorted(members)),
                           tuple(shared_words([texts[i] for i in members])))
              for members in components.values()]
    return sorted(groups, key=lambda g: (-len(g.members), g.members))


def _close_pairs(documents: Sequence[str], threshold: float) -> list[tuple[int, int]]:
    """(a, b) with a < b for every pair of documents at or above ``threshold``; the
    similarity matrix is computed a block of rows at a time, never whole."""
    if len(documents) < 2:
        return []
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5), sublinear_tf=True,
                              dtype=np.float32).fit_transform(documents)
    pairs: list[tuple[int, int]] = []
    for start in range(0, len(documents), CHUNK):
        block = (vectors[start:start + CHUNK] @ vectors.T).toarray()
        rows, cols = np.nonzero(block >= threshold)
        pairs += [(start + r, c) for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
                  if c > start + r]
    return pairs


def shared_words(texts: Sequence[str], limit: int = 3) -> list[str]:
    """The content words most of these texts use, as a short label for what they share
    (words in only one text are left out; ties in the order the words first appear)."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for text in texts:
        for word in dict.fromkeys(content_words(text)):
            counts[word] += 1
            first.setdefault(word, len(first))
    common = sorted((w for w, n in counts.items() if n >= 2),
                    key=lambda w: (-counts[w], first[w]))
    return common[:limit]

"""Text similarity finds blockers that say the same thing without a shared keyword, and
never joins blockers that have nothing to do with each other."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from storage.common_ground import GroupRef, common_ground
from storage.insight import common_themes, tag_themes, theme_patterns
from storage.notes import Note
from storage.programme import DEFAULT_THEMES
from storage.similarity import content_words, similar_groups
from tests.storage.similarity_examples import SAME_THING, UNRELATED

NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)


def _pairs_found(texts: list[str]) -> set[frozenset[int]]:
    found = set()
    for group in similar_groups(texts):
        found |= {frozenset(p) for p in itertools.combinations(group.members, 2)}
    return found


def test_the_hand_written_pairs_share_no_keyword_so_keywords_miss_them() -> None:
    patterns = theme_patterns(DEFAULT_THEMES)
    for first, second in SAME_THING:
        assert not tag_themes(first, patterns) & tag_themes(second, patterns)
        assert common_themes([("A", first), ("B", second)], DEFAULT_THEMES) == []


def test_similarity_finds_every_hand_written_pair_and_nothing_else() -> None:
    texts = [t for pair in SAME_THING for t in pair] + UNRELATED
    expected = {frozenset((2 * i, 2 * i + 1)) for i in range(len(SAME_THING))}
    assert _pairs_found(texts) == expected


def test_unrelated_blockers_make_no_pair() -> None:
    assert similar_groups(UNRELATED) == []


def test_texts_already_sharing_a_keyword_theme_are_left_to_the_theme() -> None:
    texts = ["Waiting on the data sharing agreement", "Still waiting on data sharing agreement"]
    patterns = theme_patterns(DEFAULT_THEMES)
    tags = [frozenset(tag_themes(t, patterns)) for t in texts]
    assert similar_groups(texts, tags) == []
    assert similar_groups(texts)  # without the themes, they say the same thing


def test_a_group_is_labelled_with_the_words_its_texts_share() -> None:
    first, second = SAME_THING[3]
    group = similar_groups([first, second])[0]
    assert group.words == ("bus", "routes", "cut")  # shared, in the order they first appear
    assert set(group.words) <= set(content_words(first)) & set(content_words(second))


def test_common_ground_joins_partnerships_not_one_partnership_with_itself() -> None:
    first, second = SAME_THING[0]
    alone = [Note(1, "Hull", "Ana", first, NOW, 1), Note(1, "Hull", "Bo", second, NOW, 2)]
    assert common_ground(alone, [], DEFAULT_THEMES) == []
    together = [Note(1, "Hull", "Ana", first, NOW, 1),
                Note(2, "Leeds", "Cy", second, NOW - timedelta(days=1), 2)]
    [group] = common_ground(together, [], DEFAULT_THEMES)
    assert group.similar and group.partnerships == ("Hull", "Leeds")


def test_their_words_follow_each_partnerships_sharing() -> None:
    first, second, third = (SAME_THING[3][0], SAME_THING[3][1],
                            "Young people cannot reach the youth hub: bus routes cut")
    notes = [Note(1, "Hull", "Ana Able", first, NOW, 11, "off"),
             Note(2, "Leeds", "Cy Cole", second, NOW, 12, "summary"),
             Note(3, "York", "Di Dee", third, NOW, 13, "full")]
    [group] = common_ground(notes, [], DEFAULT_THEMES)
    voices = {v.partnership: v for v in group.voices}
    assert voices["Hull"].quotes == ()
    assert [(q.text, q.author) for q in voices["Leeds"].quotes] == [(second, None)]
    assert [(q.text, q.author) for q in voices["York"].quotes] == [(third, "Di Dee")]
    ref = group.ref()
    assert set(ref.partnership_ids) == {1, 2, 3} and (11, "b") not in ref.quotes
    assert GroupRef.from_value(ref.to_value()) == ref


def test_a_forged_button_value_is_not_a_group() -> None:
    for value in (None, "", "[]", '{"t": "x", "p": [1]}', '{"t": "x", "p": [1, "2"]}',
                  '{"t": "x", "p": [1, 1]}', '{"t": "", "p": [1, 2]}',
                  '{"t": "x", "p": [1, 2, 3, 4, 5, 6, 7, 8]}',
                  '{"t": "x", "p": [1, 2], "q": [[1, "z"]]}', "{not json"):
        assert GroupRef.from_value(value) is None

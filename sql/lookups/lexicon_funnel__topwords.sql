-- lexicon_funnel__topwords: how many topwords candidates passed each test, to say why a lexicon is empty.
-- grain: one row.
-- reads: word_scores, lexicon.
-- parameters: $min_count.
SELECT
    (SELECT count(*) FROM word_scores WHERE length >= 2 AND count >= $min_count) AS frequent_candidate_count,
    (SELECT count(*) FROM lexicon) AS word_count

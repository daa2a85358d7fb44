-- lexicon_funnel: how many rows passed each threshold, to say why a lexicon is empty.
-- grain: one row.
-- reads: ngram_counts, cohesion, candidates, lexicon.
-- parameters: none.
SELECT
    (SELECT count(*) FROM ngram_counts WHERE length >= 2) AS kept_ngram_count,
    (SELECT count(*) FROM cohesion WHERE is_cohesive) AS cohesive_ngram_count,
    (SELECT count(*) FROM candidates) AS candidate_count,
    (SELECT count(*) FROM lexicon) AS word_count

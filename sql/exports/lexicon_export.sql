-- lexicon_export: the lexicon as written to TSV: word and count first, then its scores.
-- grain: one row per word, by count descending then word.
-- reads: lexicon.
-- parameters: $limit (NULL for every word).
SELECT
    word,
    count,
    length,
    cohesion
FROM lexicon
ORDER BY count DESC, word
LIMIT $limit

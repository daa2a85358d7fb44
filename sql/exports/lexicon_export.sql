-- lexicon_export: the lexicon as written to TSV: word and count first, then its scores.
-- grain: one row per word, by count descending then word.
-- reads: lexicon.
-- parameters: $min_length (1 for every word), $new_only (only words not in the known-words list),
--   $limit (NULL for every word).
SELECT
    word,
    count,
    length,
    cohesion,
    is_known
FROM lexicon
WHERE length >= $min_length AND NOT ($new_only AND is_known)
ORDER BY count DESC, word
LIMIT $limit

-- version_lexicon: the lexicon of one published version, read from its Parquet file.
-- grain: one row per word, by count descending then word.
-- reads: the version's lexicon.parquet at $path.
-- parameters: $path, $new_only (only words not in the known-words list), $limit (NULL for every word).
SELECT
    word,
    count,
    length,
    cohesion,
    is_known
FROM read_parquet($path)
WHERE NOT ($new_only AND is_known)
ORDER BY count DESC, word
LIMIT $limit

-- version_lexicon: the lexicon of one published version, read from its Parquet file.
-- grain: one row per word, by count descending then word.
-- reads: the version's lexicon.parquet at $path.
-- parameters: $path, $limit (NULL for every word).
SELECT
    word,
    count,
    length,
    cohesion
FROM read_parquet($path)
ORDER BY count DESC, word
LIMIT $limit

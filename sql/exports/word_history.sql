-- word_history: the counts of some words in every version, for the report's per-word history.
-- grain: one row per word and version it is in, by word then version.
-- reads: the lexicon.parquet of every version.
-- parameters: $paths (every version's lexicon.parquet, oldest first), $versions (their ids, in the same
--   order), $words (the words to follow).
SELECT
    word,
    $versions[list_position($paths, filename)] AS version,
    count
FROM read_parquet($paths, filename = TRUE)
WHERE list_contains($words, word)
ORDER BY word, version

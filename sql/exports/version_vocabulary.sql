-- version_vocabulary: a published version's vocabulary, as `newword segment` loads it.
-- grain: one row per word.
-- reads: the file $path (HOME/versions/version=.../vocabulary.parquet).
-- parameters: $path.
SELECT
    word,
    count
FROM read_parquet($path)
ORDER BY count DESC, word

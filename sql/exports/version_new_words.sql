-- version_new_words: the words first published in a version and not known, most used first.
-- grain: one row per word of the new version that is not in the old one and not in the known-words list.
-- reads: the two versions' lexicon.parquet files.
-- parameters: $old_path, $new_path, $limit (NULL for every word).
SELECT
    new.word,
    new.count,
    new.length
FROM read_parquet($new_path) AS new
WHERE NOT new.is_known AND new.word NOT IN (SELECT old.word FROM read_parquet($old_path) AS old)
ORDER BY new.count DESC, new.word
LIMIT $limit

-- version_new_words: the words first published in a version and not known, most used first.
-- grain: one row per word of the version that is in no earlier version and not in the known-words list.
-- reads: the version's lexicon.parquet and every earlier version's.
-- parameters: $new_path, $earlier_paths (a list of at least one file), $limit (NULL for every word).
SELECT
    new.word,
    new.count,
    new.length
FROM read_parquet($new_path) AS new
WHERE NOT new.is_known AND new.word NOT IN (SELECT earlier.word FROM read_parquet($earlier_paths) AS earlier)
ORDER BY new.count DESC, new.word
LIMIT $limit

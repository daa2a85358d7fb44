-- counted_characters: the characters the reduced counts hold (the sum of their 1-gram counts), to
-- check that every shard and partition reached the reduce (shared storage that hides files would
-- otherwise lose counts silently).
-- grain: one row.
-- reads: new_ngram_counts.
-- parameters: none.
SELECT coalesce(sum(count), 0)::BIGINT AS characters
FROM new_ngram_counts
WHERE length = 1

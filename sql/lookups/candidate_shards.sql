-- candidate_shards: the shards the topwords candidate counting works in: runs of the distinct
--   sentences by sentence_id of about $shard_characters characters each.
-- grain: one row per shard (from 0), with its first and last sentence_id.
-- reads: word_sentences.
-- parameters: $shard_characters.
SELECT
    shard,
    min(sentence_id) AS first_id,
    max(sentence_id) AS last_id
FROM (
    SELECT
        sentence_id,
        (sum(length) OVER (ORDER BY sentence_id) - length) // $shard_characters AS shard
    FROM word_sentences
)
GROUP BY shard
ORDER BY shard

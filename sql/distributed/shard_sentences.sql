-- shard_sentences: the sentences to count or cut, written as Parquet shards for the workers of a
-- cluster (a COPY; nothing is returned).
-- grain: one row per sentence occurrence (doc_id, sentence), in the folder shard=<k> of $target.
-- reads: sentences.
-- parameters: $after_doc_id (only documents after this one: 0 for all), $shards (how many),
--   $target (a folder every worker sees).
-- A sentence goes to the shard of its hash, so all occurrences of a sentence land in one shard.
COPY (
    SELECT
        doc_id,
        sentence,
        hash(sentence) % $shards AS shard
    FROM sentences
    WHERE doc_id > $after_doc_id
) TO $target (FORMAT parquet, PARTITION_BY (shard), OVERWRITE)

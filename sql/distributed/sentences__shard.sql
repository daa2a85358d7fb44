-- sentences__shard: one shard of sentences, loaded in a worker as its own `sentences` table.
-- grain: one row per sentence occurrence (doc_id, sentence).
-- reads: the Parquet files of one shard written by shard_sentences.
-- parameters: $shard_files (the shard's files, as listed where they were written).
SELECT
    doc_id,
    sentence
FROM read_parquet($shard_files)

-- shard_input: one shard of sentences, loaded in a worker as its own `sentences` table.
-- grain: one row per sentence occurrence (doc_id, sentence).
-- reads: the Parquet files of one shard written by shard_sentences.
-- parameters: $shard_files (a glob of the shard's files).
SELECT
    doc_id,
    sentence
FROM read_parquet($shard_files)

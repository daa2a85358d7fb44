-- cut__cluster: step 4 on a cluster (reference mode), the cut kept per piece: the workers cut their
-- shards and count the pieces, the partitions sum them, and the sentences stay in the workers.
-- grain: one row per distinct piece of length >= 2 (sentence_id and piece_start are NULL;
--   sentence_occurrences is the piece's count over the corpus), so candidates.sql reads it unchanged.
-- reads: the files written by partition_totals from shard_piece_parts.
-- parameters: $total_files (every partition's totals file).
SELECT
    NULL::BIGINT AS sentence_id,
    count AS sentence_occurrences,
    NULL::BIGINT AS piece_start,
    ngram AS piece,
    length
FROM read_parquet($total_files)
ORDER BY piece

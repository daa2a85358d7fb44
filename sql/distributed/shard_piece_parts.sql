-- shard_piece_parts: one shard's cut (cut.sql, run in a worker with the cohesive n-grams broadcast),
-- its pieces counted and written partitioned by a hash of the piece (a COPY; nothing is returned).
-- grain: one row per piece of length >= 2 of the shard, whatever its count, in part=<p> of $target.
-- reads: cut.
-- parameters: $partitions, $target (this shard's folder; rewritten whole when a task runs again).
-- The column is named ngram so that partition_totals sums pieces and n-grams alike.
COPY (
    SELECT
        piece AS ngram,
        length,
        sum(sentence_occurrences)::BIGINT AS count,
        hash(piece) % $partitions AS part
    FROM cut
    WHERE length >= 2
    GROUP BY piece, length
) TO $target (FORMAT parquet, PARTITION_BY (part), OVERWRITE)

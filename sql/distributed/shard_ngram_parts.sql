-- shard_ngram_parts: one shard's n-gram counts (new_ngram_counts.sql, run in a worker), written
-- partitioned by a hash of the n-gram (a COPY; nothing is returned).
-- grain: one row per n-gram of the shard, whatever its count, in the folder part=<p> of $target.
-- reads: new_ngram_counts.
-- parameters: $partitions, $target (this shard's folder; rewritten whole when a task runs again).
-- Every count of an n-gram, from any shard, lands in the same partition, so one task per partition
-- sums them exactly (partition_totals).
COPY (
    SELECT
        ngram,
        length,
        count,
        hash(ngram) % $partitions AS part
    FROM new_ngram_counts
) TO $target (FORMAT parquet, PARTITION_BY (part), OVERWRITE)

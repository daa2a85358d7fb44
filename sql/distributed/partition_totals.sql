-- partition_totals: the reduce step, one partition's counts from every shard summed (a COPY).
-- grain: one row per n-gram (or piece) of the partition, in the file $target.
-- reads: the part=<p> files of every shard (shard_ngram_parts or shard_piece_parts).
-- parameters: $part_files (this partition's files, from every shard), $target.
COPY (
    SELECT
        ngram,
        length,
        sum(count)::BIGINT AS count
    FROM read_parquet($part_files)
    GROUP BY ngram, length
) TO $target (FORMAT parquet, OVERWRITE)

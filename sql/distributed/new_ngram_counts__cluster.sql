-- new_ngram_counts__cluster: the partitions' n-gram totals back in the warehouse, as the new n-gram counts of a
-- refresh (new_ngram_counts).
-- grain: one row per n-gram of the new sentences, whatever its count (each is in exactly one partition).
-- reads: the files written by partition_totals.
-- parameters: $total_files (every partition's totals file).
SELECT
    ngram,
    length,
    count
FROM read_parquet($total_files)

-- cohesion__shard: the broadcast cohesive n-grams, loaded in a worker as its `cohesion` table.
-- grain: one row per cohesive n-gram.
-- reads: the file written by cohesive_broadcast.
-- parameters: $cohesive_file.
SELECT *
FROM read_parquet($cohesive_file)

-- lexicon_file: the lexicon as a version publishes it (lexicon.parquet): every column of the lexicon
-- table, the model's scores included in topwords mode.
-- grain: one row per word, by count descending then word.
-- reads: lexicon.
-- parameters: none.
SELECT *
FROM lexicon
ORDER BY count DESC, word

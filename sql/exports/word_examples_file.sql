-- word_examples_file: the examples a version publishes (word_examples.parquet, topwords mode).
-- grain: one row per word and example, by word then example.
-- reads: word_examples.
-- parameters: none.
SELECT
    word,
    example,
    context,
    word_offset,
    sentence_occurrences,
    source,
    locator
FROM word_examples
ORDER BY word, example

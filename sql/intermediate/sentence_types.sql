-- sentence_types: the distinct sentences with how often each occurs (the input of the segmentation).
-- grain: one row per distinct sentence.
-- reads: sentences.
-- parameters: none.
SELECT
    sentence,
    count(*) AS occurrences
FROM sentences
GROUP BY sentence
ORDER BY sentence

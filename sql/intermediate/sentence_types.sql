-- sentence_types: the distinct sentences, each with an id and how often it occurs.
-- grain: one row per distinct sentence (sentence_id, numbered from 1 in no particular order).
-- reads: sentences.
-- parameters: none.
-- Written by the sentences step: n-gram counting (sentence_codes) and the cut read it.
-- The cut (both modes) keeps its pieces per sentence_id: a piece row that repeated its whole sentence
-- made a long sentence quadratic (a 300,000-character sentence filled the disk).
SELECT
    row_number() OVER () AS sentence_id,
    sentence,
    count(*) AS occurrences,
    length(sentence) AS length
FROM sentences
GROUP BY sentence

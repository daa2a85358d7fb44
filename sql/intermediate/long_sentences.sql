-- long_sentences: the distinct sentences the entropy mode's cut segments one at a time.
-- grain: one row per distinct sentence of more than $max_length characters.
-- reads: sentence_types.
-- parameters: $max_length.
-- The batch programme (newword.segment.best_autonomy_paths) takes a step per character of its
-- longest sentence; these go to newword.segment.most_probable, linear in the sentence's length.
SELECT
    sentence_id,
    sentence,
    occurrences
FROM sentence_types
WHERE length > $max_length

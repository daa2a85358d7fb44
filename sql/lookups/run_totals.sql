-- run_totals: the corpus and lexicon totals of the build, as reported to the user.
-- grain: one row.
-- reads: run.
-- parameters: none.
SELECT
    document_count,
    sentence_count,
    character_count,
    word_count
FROM run

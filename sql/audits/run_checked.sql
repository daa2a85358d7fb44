-- run_checked: the totals recorded for the run beside the totals recounted from the tables.
-- grain: one row.
-- reads: run, documents, sentences, ngram_counts, lexicon.
-- parameters: $non_class_pattern (a regex matching one character outside the class), $window_start
--   (NULL, or the start of the window of documents the build used).
-- class_character_count counts the class's characters straight from the documents, independently
-- of how sentences were split; all three character totals must agree.
SELECT
    run.character_count AS recorded_character_count,
    (SELECT coalesce(sum(length), 0) FROM sentences)::BIGINT AS sentence_character_count,
    (
        SELECT coalesce(sum(length(regexp_replace(text, $non_class_pattern, '', 'g'))), 0)
        FROM documents
        WHERE
            $window_start::TIMESTAMPTZ IS NULL
            OR coalesce(document_date, ingested_at) >= $window_start::TIMESTAMPTZ
    )::BIGINT AS class_character_count,
    run.document_count AS recorded_document_count,
    (SELECT count(*) FROM documents) AS document_count,
    run.word_count AS recorded_word_count,
    (SELECT count(*) FROM lexicon) AS word_count
FROM run

-- sentences: step 1, the maximal runs of the character class in each document.
-- grain: one row per sentence occurrence (doc_id, sentence_no); sentence_no counts from 1 in a document.
-- reads: documents.
-- parameters: $pattern, the run regex for the character class (cjk or cjk+alnum); $after_doc_id
--   (only documents with a larger doc_id: 0 for all, the last one counted for an incremental refresh);
--   $window_start (NULL, or only documents dated, by their own date else their ingestion, from then on).
-- Everything outside the class breaks a run: punctuation is a boundary, never deleted.
SELECT
    documents.doc_id,
    runs.sentence_no::INTEGER AS sentence_no,
    runs.sentence,
    length(runs.sentence) AS length
FROM documents,
    unnest(regexp_extract_all(documents.text, $pattern)) WITH ORDINALITY AS runs (sentence, sentence_no)
WHERE
    documents.doc_id > $after_doc_id
    AND (
        $window_start::TIMESTAMPTZ IS NULL
        OR coalesce(documents.document_date, documents.ingested_at) >= $window_start::TIMESTAMPTZ
    )
ORDER BY documents.doc_id, sentence_no

-- sentences: step 1, the maximal runs of the character class in each document.
-- grain: one row per sentence occurrence (doc_id, sentence_no); sentence_no counts from 1 in a document.
-- reads: documents.
-- parameters: $pattern, the run regex for the character class (cjk or cjk+alnum); $after_doc_id
--   (only documents with a larger doc_id: 0 for all, the last one counted for an incremental refresh);
--   $window_start (NULL, or only documents dated, by their own date else their ingestion, from then on).
-- Everything outside the class breaks a run: punctuation is a boundary, never deleted.
-- (unnest in the select list: a lateral unnest ... WITH ORDINALITY is quadratic on long lists.)
-- No ORDER BY: sentence_no numbers each document's runs in their order (the unnest keeps it).
WITH matches AS (
    SELECT
        doc_id,
        regexp_extract_all(text, $pattern) AS runs  -- once: two calls in the unnest below ran it twice
    FROM documents
    WHERE
        doc_id > $after_doc_id
        AND (
            $window_start::TIMESTAMPTZ IS NULL
            OR coalesce(document_date, ingested_at) >= $window_start::TIMESTAMPTZ
        )
),

runs AS (
    SELECT
        doc_id,
        unnest(runs) AS sentence,
        generate_subscripts(runs, 1) AS sentence_no
    FROM matches
)

SELECT
    doc_id,
    sentence_no::INTEGER AS sentence_no,
    sentence,
    length(sentence) AS length
FROM runs

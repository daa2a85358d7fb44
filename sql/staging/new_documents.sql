-- new_documents: the staged documents whose content is not yet in the corpus, numbered after it.
-- grain: one row per new document (the first of each content hash), in ingestion order.
-- reads: the staging JSON Lines file written by newword.ingest, documents (the accumulated corpus).
-- parameters: $staging_path, $started_at (ISO time of the refresh: when they were ingested).
WITH staged AS (
    SELECT
        doc_id AS staged_no,
        source,
        locator,
        text,
        sha256(text) AS content_hash,
        date::TIMESTAMPTZ AS document_date
    FROM read_json(
        $staging_path,
        format = 'newline_delimited',
        columns = {doc_id: 'BIGINT', source: 'VARCHAR', locator: 'VARCHAR', text: 'VARCHAR', date: 'VARCHAR'}
    )
),

unseen AS (
    SELECT *
    FROM staged
    ANTI JOIN documents ON documents.content_hash = staged.content_hash
    QUALIFY row_number() OVER (PARTITION BY staged.content_hash ORDER BY staged.staged_no) = 1
),

corpus_end AS (
    SELECT coalesce(max(doc_id), 0) AS last_doc_id
    FROM documents
)

SELECT
    corpus_end.last_doc_id + row_number() OVER (ORDER BY unseen.staged_no) AS doc_id,
    unseen.source,
    unseen.locator,
    unseen.text,
    length(unseen.text) AS character_count,
    unseen.content_hash,
    $started_at::TIMESTAMPTZ AS ingested_at,
    unseen.document_date
FROM unseen
CROSS JOIN corpus_end
ORDER BY doc_id

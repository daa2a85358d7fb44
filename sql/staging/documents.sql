-- documents: the corpus as ingested, one row per document.
-- grain: one row per document (doc_id), in ingestion order.
-- reads: the staging JSON Lines file written by newword.ingest (already NFKC-normalised).
-- parameters: $staging_path (path of the JSON Lines file), $dedupe (drop repeated content),
--   $started_at (ISO time of the build: when the documents were ingested).
WITH source AS (
    SELECT
        doc_id,
        source,
        locator,
        text,
        date::TIMESTAMPTZ AS document_date
    FROM read_json(
        $staging_path,
        format = 'newline_delimited',
        columns = {doc_id: 'BIGINT', source: 'VARCHAR', locator: 'VARCHAR', text: 'VARCHAR', date: 'VARCHAR'}
    )
),

hashed AS (
    SELECT
        *,
        sha256(text) AS content_hash
    FROM source
),

firsts AS (  -- the first document of each content (none without $dedupe: grouping them cost 0.07 s per 25 MB)
    SELECT min(doc_id) AS doc_id
    FROM hashed
    WHERE $dedupe
    GROUP BY content_hash
)

-- No ORDER BY: the staging file is in doc_id order, and a scan, a filter and a semi join keep it
-- (DuckDB preserves insertion order); sorting 25 MB of text cost half a second.
SELECT
    doc_id,
    source,
    locator,
    text,
    length(text) AS character_count,
    content_hash,
    $started_at::TIMESTAMPTZ AS ingested_at,
    document_date
FROM hashed
WHERE NOT $dedupe OR doc_id IN (SELECT firsts.doc_id FROM firsts)

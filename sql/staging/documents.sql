-- documents: the corpus as ingested, one row per document.
-- grain: one row per document (doc_id, numbered in ingestion order).
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

firsts AS (  -- the first document of each content (none without $dedupe: grouping costs time)
    SELECT min(doc_id) AS doc_id
    FROM hashed
    WHERE $dedupe
    GROUP BY content_hash
)

-- No ORDER BY: sorting the text is costly. Without $dedupe the rows keep the staging
-- file's doc_id order; with it, the semi join on two threads can interleave them (the doc_ids stay
-- right). Nothing reads the table's physical order: steps join and group, exports sort.
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

-- counting_state: how far ngram_totals has counted, and with which settings.
-- grain: one row.
-- reads: documents.
-- parameters: $max_n, $pattern, $window_start (a windowed build counts its window only).
-- A refresh counts only documents after counted_through_doc_id, and recounts everything when
-- max_n or the character class changed.
SELECT
    $max_n::INTEGER AS max_n,
    $pattern AS pattern,
    coalesce(max(doc_id), 0)::BIGINT AS counted_through_doc_id,
    $window_start::TIMESTAMPTZ IS NOT NULL AS windowed
FROM documents

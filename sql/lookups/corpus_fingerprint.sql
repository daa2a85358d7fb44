-- corpus_fingerprint: what a lexicon version was built from, for its manifest.
-- grain: one row (the whole corpus).
-- reads: documents, sentences.
-- parameters: none.
-- content_hash is the SHA-256 of the sorted document hashes: the same set of documents gives the
-- same fingerprint whatever their order.
SELECT
    (SELECT count(*) FROM documents) AS document_count,
    (SELECT coalesce(sum(character_count), 0) FROM documents)::BIGINT AS document_character_count,
    (SELECT coalesce(sum(length), 0) FROM sentences)::BIGINT AS sentence_character_count,
    (SELECT sha256(coalesce(string_agg(content_hash, ',' ORDER BY content_hash), '')) FROM documents) AS content_hash

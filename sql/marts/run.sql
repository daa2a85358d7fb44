-- run: what produced this warehouse: parameters, code version, times and corpus totals.
-- grain: one row (the build that wrote the warehouse).
-- reads: documents, sentences, ngram_counts, lexicon.
-- parameters: $version (newword), $parameters (the settings as JSON), $started_at (ISO time).
SELECT
    $version AS newword_version,
    $parameters::JSON AS parameters,
    $started_at::TIMESTAMPTZ AS started_at,
    now() AS finished_at,
    (SELECT count(*) FROM documents) AS document_count,
    (SELECT count(*) FROM sentences) AS sentence_count,
    (SELECT coalesce(sum(length), 0) FROM sentences)::BIGINT AS character_count,
    (SELECT coalesce(sum(count), 0) FROM ngram_counts WHERE length = 1)::BIGINT AS kept_unigram_total,
    (SELECT count(*) FROM lexicon) AS word_count

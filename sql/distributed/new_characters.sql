-- new_characters: how many characters the sentences to shard hold (to choose the number of shards).
-- grain: one row.
-- reads: sentences.
-- parameters: $after_doc_id (only documents after this one: 0 for all).
SELECT sum(length)::BIGINT AS characters
FROM sentences
WHERE doc_id > $after_doc_id

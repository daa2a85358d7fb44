-- counted_through: the last document counted into ngram_totals, if it was counted with these settings.
-- grain: zero rows (recount everything) or one row.
-- reads: counting_state.
-- parameters: $max_n, $pattern.
SELECT counted_through_doc_id
FROM counting_state
WHERE max_n = $max_n AND pattern = $pattern AND NOT windowed

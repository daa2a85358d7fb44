-- segmented_pieces: a batch of the entropy mode's cut, as positions (segmented_cut adds the texts).
-- grain: one row per piece per distinct sentence (sentence_id, piece_start), single characters included.
-- reads: segmented_batch, the numpy arrays of newword.segment.best_autonomy_paths for one batch of
--   sentences (registered by newword.pipeline for this statement only).
-- parameters: none.
SELECT
    sentence_id::BIGINT AS sentence_id,
    piece_start::BIGINT AS piece_start,
    length::BIGINT AS length
FROM segmented_batch

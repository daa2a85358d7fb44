-- segmented_cut: step 4 in entropy mode, the pieces of the segmentation of highest autonomy.
-- grain: one row per piece per distinct sentence (sentence_id, piece_start), single characters included.
-- reads: segmented_pieces and sentence_types (the sentences segmented in batches); the file
--   $pieces_path (the long sentences, segmented one at a time), both written by newword.pipeline.
-- parameters: $pieces_path (tab-separated: sentence_id of sentence_types, occurrences, piece_start, piece).
-- No ORDER BY: an intermediate table, read by joins and GROUP BYs (sorting it cost up to a fifth of the step).
-- The dynamic programme runs in Python (numpy); this statement only gives its pieces their texts,
-- in the same shape as the reference cut. substr is fine here: the batches' sentences are short
-- (newword.pipeline.SEGMENT_MAX_LENGTH characters at most).
SELECT
    pieces.sentence_id,
    sentence_types.occurrences AS sentence_occurrences,
    pieces.piece_start,
    substr(sentence_types.sentence, pieces.piece_start, pieces.length) AS piece,
    pieces.length
FROM segmented_pieces AS pieces
INNER JOIN sentence_types ON sentence_types.sentence_id = pieces.sentence_id

UNION ALL

SELECT
    sentence_id,
    sentence_occurrences,
    piece_start,
    piece,
    length(piece) AS length
FROM read_csv(
    $pieces_path,
    delim = '\t',
    header = FALSE,
    quote = '',
    escape = '',
    auto_detect = FALSE,  -- the file is empty when no sentence is long (a sniffer finds no columns there)
    columns = {'sentence_id': 'BIGINT', 'sentence_occurrences': 'BIGINT', 'piece_start': 'BIGINT', 'piece': 'VARCHAR'}
)

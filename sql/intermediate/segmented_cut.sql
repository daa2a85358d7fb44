-- segmented_cut: step 4 in entropy mode, the pieces of the segmentation of highest autonomy.
-- grain: one row per piece per distinct sentence (sentence_id, piece_start), single characters included.
-- reads: the file $pieces_path, written by newword.pipeline from sentences and autonomy.
-- parameters: $pieces_path (tab-separated: sentence_id of sentence_types, occurrences, piece_start, piece).
-- No ORDER BY: an intermediate table, read by joins and GROUP BYs (sorting it cost up to a fifth of the step).
-- The dynamic programme (newword.segment.best_autonomy) runs in Python; this statement only loads
-- its output, in the same shape as the reference cut.
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
    columns = {'sentence_id': 'BIGINT', 'sentence_occurrences': 'BIGINT', 'piece_start': 'BIGINT', 'piece': 'VARCHAR'}
)

-- cut__topwords: step 4 in topwords mode, the pieces of the most probable segmentation under the fitted model.
-- grain: one row per piece per distinct sentence piece (sentence_id of word_sentences, piece_start),
--   single characters included.
-- reads: word_sentences, word_pieces (numpy arrays from newword.topwords.viterbi, registered by the pipeline).
-- parameters: none.
-- The shape the reference cut has (candidates.sql reads it unchanged).
SELECT
    word_pieces.sentence_id,
    word_sentences.occurrences AS sentence_occurrences,
    word_pieces.piece_start,
    substr(word_sentences.sentence, word_pieces.piece_start::BIGINT, word_pieces.length::BIGINT) AS piece,
    word_pieces.length
FROM word_pieces
INNER JOIN word_sentences ON word_sentences.sentence_id = word_pieces.sentence_id

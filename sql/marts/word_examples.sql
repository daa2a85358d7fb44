-- word_examples: up to three places each lexicon word is used, in the text around it (topwords mode).
-- grain: one row per word and example (1..3): the distinct sentences whose segmentation uses the word,
--   most frequent first.
-- reads: lexicon, cut, word_sentences, sentences, documents.
-- parameters: none.
-- context: up to 20 characters of the document on each side of the word (punctuation included);
-- word_offset: where the word starts in context (from 1). A sentence piece cut out of a run longer
-- than 1,024 characters has no document of its own: its context is the piece.
WITH uses AS (  -- max_by keeps three uses a word while it reads them: no sort of every use
    SELECT
        word,
        unnest(chosen) AS place,
        generate_subscripts(chosen, 1) AS example
    FROM (
        SELECT
            lexicon.word,
            max_by(
                struct_pack(sentence_id := cut.sentence_id, piece_start := cut.piece_start),
                -- the most frequent sentence first, then the smallest sentence_id, then the first place
                (cut.sentence_occurrences::HUGEINT << 64) - (cut.sentence_id::HUGEINT << 16) - cut.piece_start,
                3
            ) AS chosen
        FROM lexicon
        INNER JOIN cut ON cut.piece = lexicon.word
        GROUP BY lexicon.word
    )
),

chosen AS (
    SELECT
        uses.word,
        uses.example,
        uses.place.piece_start,
        word_sentences.sentence,
        word_sentences.occurrences
    FROM uses
    INNER JOIN word_sentences ON word_sentences.sentence_id = uses.place.sentence_id
),

firsts AS (  -- the first document holding each chosen sentence
    SELECT
        sentence,
        min(doc_id) AS doc_id
    FROM sentences
    WHERE sentence IN (SELECT chosen.sentence FROM chosen)
    GROUP BY sentence
),

placed AS (
    SELECT
        chosen.*,
        documents.doc_id,
        documents.source,
        documents.locator,
        documents.text,
        instr(documents.text, chosen.sentence) + chosen.piece_start - 1 AS word_at
    FROM chosen
    LEFT JOIN firsts ON firsts.sentence = chosen.sentence
    LEFT JOIN documents ON documents.doc_id = firsts.doc_id
)

SELECT
    word,
    example::INTEGER AS example,
    occurrences AS sentence_occurrences,
    doc_id,
    source,
    locator,
    CASE
        WHEN text IS NULL THEN sentence
        ELSE substr(text, greatest(word_at - 20, 1), word_at - greatest(word_at - 20, 1) + length(word) + 20)
    END AS context,
    (CASE WHEN text IS NULL THEN piece_start ELSE word_at - greatest(word_at - 20, 1) + 1 END)::INTEGER AS word_offset
FROM placed
ORDER BY word, example

-- new_ngram_counts: step 2 for an incremental refresh: every n-gram of the sentences not yet counted.
-- grain: one row per n-gram of the new sentences, whatever its count (merging must stay exact).
-- reads: sentences.
-- parameters: $max_n, $after_doc_id (sentences of documents after this one are new).
-- The same expansion as ngram_counts.sql, without the min_count filter.
WITH new_sentence_types AS (  -- the distinct new sentences (not the sentence_types table)
    SELECT
        row_number() OVER () AS sentence_id,
        sentence,
        count(*) AS occurrences
    FROM sentences
    WHERE doc_id > $after_doc_id
    GROUP BY sentence
),

characters AS (
    SELECT
        sentence_id,
        occurrences,
        unnest(string_split(sentence, '')) AS character,
        generate_subscripts(string_split(sentence, ''), 1) AS position
    FROM new_sentence_types
),

positions AS (
    SELECT
        sentence_id,
        occurrences,
        position,
        string_agg(character, '' ORDER BY position) OVER (
            PARTITION BY sentence_id
            ORDER BY position
            ROWS BETWEEN CURRENT ROW AND $max_n - 1 FOLLOWING
        ) AS window_text
    FROM characters
),

occurrences AS (
    SELECT
        substr(positions.window_text, 1, lengths.length) AS ngram,
        lengths.length,
        positions.occurrences
    FROM positions
    CROSS JOIN range(1, $max_n + 1) AS lengths (length)
    WHERE lengths.length <= length(positions.window_text)
)

SELECT
    ngram,
    length,
    sum(occurrences)::BIGINT AS count
FROM occurrences
GROUP BY ngram, length

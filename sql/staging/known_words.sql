-- known_words: words already in a dictionary; lexicon words among them are not new.
-- grain: one row per distinct word.
-- reads: the staged word list written by newword.ingest (one NFKC-normalised word per line).
-- parameters: $known_words_path.
SELECT DISTINCT word
FROM read_csv(
    $known_words_path,
    columns = {word: 'VARCHAR'},
    header = FALSE,
    delim = '\t',
    quote = '',
    escape = ''
)
WHERE word IS NOT NULL AND word <> ''

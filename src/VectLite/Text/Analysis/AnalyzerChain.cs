namespace VectLite.Text.Analysis;

/// <summary>
/// A validated <see cref="TextAnalyzer"/>, ready to run: tokenizer, possessive filter, lowercase, folding, stop words,
/// stemmer (before folding for every language but English), n-grams (see <see cref="TextAnalyzer"/> for what each does). Immutable and thread-safe.
/// </summary>
internal sealed class AnalyzerChain
{
    /// <summary>The largest n-gram length.</summary>
    public const int MaxGram = 20;

    private readonly HashSet<string>? _stopWords;
    private readonly Func<string, string>? _stemmer;
    private readonly bool _stemBeforeFolding;

    private AnalyzerChain(TextAnalyzer options, HashSet<string>? stopWords, Func<string, string>? stemmer)
    {
        Options = options;
        _stopWords = stopWords;
        _stemmer = stemmer;
        _stemBeforeFolding = options.Language != "english";
    }

    /// <summary>The options this chain runs.</summary>
    public TextAnalyzer Options { get; }

    /// <summary>Checks <paramref name="options"/> and builds the chain.</summary>
    /// <exception cref="SchemaException">Unknown language, stemming for a language without a stemmer, or n-gram lengths out of range.</exception>
    public static AnalyzerChain Create(TextAnalyzer options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string language = options.Language ?? throw new SchemaException("TextAnalyzer.Language is null; use \"none\" for no language.");
        HashSet<string>? stopWords = StopWords.For(language);
        if (stopWords is null && language != "none")
        {
            throw new SchemaException($"Unknown text analyzer language '{language}'; known: none, {string.Join(", ", StopWords.Languages)}.");
        }
        Func<string, string>? stemmer = StemmerFor(language);
        if (options.Stem && stemmer is null)
        {
            throw new SchemaException($"No stemmer for language '{language}' (stemming is available for {string.Join(", ", StemmingLanguages)}); set Stem = false.");
        }
        if (options.NGramMin != 0 || options.NGramMax != 0)
        {
            if (options.NGramMin < 1 || options.NGramMax < options.NGramMin || options.NGramMax > MaxGram)
            {
                throw new SchemaException($"N-gram lengths {options.NGramMin}..{options.NGramMax} are invalid: need 1 <= NGramMin <= NGramMax <= {MaxGram} (both 0 for no n-grams).");
            }
        }
        return new AnalyzerChain(options, options.RemoveStopWords ? stopWords : null, options.Stem ? stemmer : null);
    }

    /// <summary>The languages that have a stemmer, for messages and docs.</summary>
    public static IEnumerable<string> StemmingLanguages => StopWords.Languages.Where(l => StemmerFor(l) is not null);

    /// <summary>Whether <paramref name="language"/> has a stemmer.</summary>
    public static bool HasStemmer(string language) => StemmerFor(language) is not null;

    /// <summary>The Snowball stemmer of <paramref name="language"/>, or null when there is none.</summary>
    private static Func<string, string>? StemmerFor(string language) => language switch
    {
        "english" => EnglishStemmer.Stem,
        "german" => GermanStemmer.Stem,
        "french" => FrenchStemmer.Stem,
        "spanish" => SpanishStemmer.Stem,
        "italian" => ItalianStemmer.Stem,
        "portuguese" => PortugueseStemmer.Stem,
        "dutch" => DutchStemmer.Stem,
        _ => null,
    };

    /// <summary>
    /// Appends the terms of <paramref name="text"/> to <paramref name="into"/>, numbering positions from
    /// <paramref name="position"/>, which is left one past the last word's position (stop words count).
    /// </summary>
    public void Analyze(string text, ref int position, List<AnalyzedToken> into)
    {
        var sink = new ChainSink(this, into, position);
        StandardTokenizer.Tokenize(text, ref sink);
        position = sink.Position;
    }

    /// <summary>The terms of <paramref name="text"/> with positions from 0.</summary>
    public List<AnalyzedToken> Analyze(string text)
    {
        var tokens = new List<AnalyzedToken>();
        int position = 0;
        Analyze(text, ref position, tokens);
        return tokens;
    }

    private void Emit(string word, int position, List<AnalyzedToken> into)
    {
        TextAnalyzer o = Options;
        // Lucene's EnglishPossessiveFilter: "o'neil's" -> "o'neil" (both apostrophes).
        if (word.Length > 2 && word[^2] is '\'' or '\u2019' && word[^1] is 's' or 'S')
        {
            word = word[..^2];
        }
        if (o.Lowercase)
        {
            word = word.ToLowerInvariant();
        }
        // English folds before stemming (Porter2 works on a-z; persisted English indexes depend on this order). The
        // other Snowball stemmers read accented letters (ä, é, ñ ...), so they stem the unfolded word and the stem is
        // folded after; stop words are matched on the folded form either way, as the lists are stored folded.
        string folded = o.FoldToAscii ? AsciiFolding.Fold(word) : word;
        if (_stopWords is not null && _stopWords.Contains(folded))
        {
            return;
        }
        if (_stemmer is null)
        {
            word = folded;
        }
        else if (_stemBeforeFolding)
        {
            word = _stemmer(word);
            word = o.FoldToAscii ? AsciiFolding.Fold(word) : word;
        }
        else
        {
            word = _stemmer(folded);
        }
        if (o.NGramMin == 0)
        {
            into.Add(new AnalyzedToken(word, position));
            return;
        }
        // Lucene's NGramTokenFilter order: by start, then by length; a term shorter than the minimum gives none.
        for (int start = 0; start + o.NGramMin <= word.Length; start++)
        {
            for (int length = o.NGramMin; length <= o.NGramMax && start + length <= word.Length; length++)
            {
                into.Add(new AnalyzedToken(word.Substring(start, length), position));
            }
        }
    }

    private struct ChainSink(AnalyzerChain chain, List<AnalyzedToken> into, int position) : ITokenSink
    {
        public int Position { get; private set; } = position;

        public void Token(string token)
        {
            chain.Emit(token, Position, into);
            Position++;
        }
    }
}

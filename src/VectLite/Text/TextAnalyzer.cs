namespace VectLite;

/// <summary>
/// How a text index turns text into terms: a Unicode word tokenizer, then (each optional) lowercasing, ASCII folding,
/// stop word removal and stemming for <see cref="Language"/>, and n-grams. The same chain analyzes the documents and
/// the queries of an index. Immutable; compare with value equality.
/// </summary>
/// <remarks>
/// <para>Stages, in order: words by Unicode rules (see docs/search.md: "o'neil", "3.14" and "u.s.a" stay whole, hyphens
/// split, each Han ideograph is a word); an English possessive "'s" is dropped; <see cref="Lowercase"/>;
/// <see cref="FoldToAscii"/> ("café" to "cafe"); <see cref="RemoveStopWords"/> (the language's list; the word still
/// takes its position, so a phrase query skips it as Lucene does); <see cref="Stem"/> (the language's Snowball stemmer:
/// Porter2 for English); n-grams of <see cref="NGramMin"/> to <see cref="NGramMax"/> characters of each term, which
/// replace the term.</para>
/// <para>Languages with stop word lists: english, french, german, spanish, italian, portuguese, dutch; "none" has no
/// stop words. Stemming is available for all seven. English folds before stemming (Porter2 reads a-z only);
/// the other stemmers read the accented letters, so they stem the lowercased, unfolded word and the stem is folded
/// afterwards (stop words are still matched on the folded word).</para>
/// </remarks>
public sealed record TextAnalyzer
{
    /// <summary>English: lowercase, ASCII folding, English stop words, Porter2 stemming. The default.</summary>
    public static TextAnalyzer English { get; } = new();

    /// <summary>Words lowercased and folded, nothing removed or stemmed: for names, codes and mixed languages.</summary>
    public static TextAnalyzer Simple { get; } = new() { Language = "none", RemoveStopWords = false, Stem = false };

    /// <summary>
    /// The analyzer named <paramref name="name"/>: "english" (<see cref="English"/>), "simple" (<see cref="Simple"/>), or
    /// a language with a stop word list ("french", "german", ...: lowercase, folding, that language's stop words, and
    /// its Snowball stemmer).
    /// </summary>
    /// <exception cref="SchemaException">No analyzer has that name.</exception>
    public static TextAnalyzer FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            "english" => English,
            "simple" => Simple,
            _ when Text.Analysis.StopWords.For(name) is not null => new TextAnalyzer { Language = name, Stem = Text.Analysis.AnalyzerChain.HasStemmer(name) },
            _ => throw new SchemaException($"Unknown text analyzer '{name}'; known: english, simple, {string.Join(", ", Text.Analysis.StopWords.Languages.Where(l => l != "english"))}."),
        };
    }

    /// <summary>The language whose stop words and stemmer apply ("english" by default; "none" for none).</summary>
    public string Language { get; init; } = "english";

    /// <summary>Lowercase every term (invariant culture). Default true.</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>Fold Latin letters with diacritics to ASCII ("é" to "e", "ß" to "ss"). Default true.</summary>
    public bool FoldToAscii { get; init; } = true;

    /// <summary>Drop the language's stop words. Default true.</summary>
    public bool RemoveStopWords { get; init; } = true;

    /// <summary>Reduce words to their stem (every language has a Snowball stemmer; "none" has none, so it needs Stem = false). Default true.</summary>
    public bool Stem { get; init; } = true;

    /// <summary>The shortest n-gram to index, 1 to 20; 0 (the default) for whole terms and no n-grams.</summary>
    public int NGramMin { get; init; }

    /// <summary>The longest n-gram to index, at least <see cref="NGramMin"/> and at most 20; 0 when n-grams are off.</summary>
    public int NGramMax { get; init; }
}

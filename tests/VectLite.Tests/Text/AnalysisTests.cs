using VectLite.Text.Analysis;

namespace VectLite.Tests.Text;

/// <summary>The analysis chain: tokenizer, folding, stop words, the Porter2 stemmer, n-grams, and their typed errors.</summary>
public sealed class AnalysisTests
{
    // Published Porter2 examples (snowballstem.org, English stemmer, sample vocabulary and output).
    [Theory]
    [InlineData("consign", "consign")]
    [InlineData("consigned", "consign")]
    [InlineData("consigning", "consign")]
    [InlineData("consignment", "consign")]
    [InlineData("consistency", "consist")]
    [InlineData("consistently", "consist")]
    [InlineData("consolation", "consol")]
    [InlineData("consolatory", "consolatori")]
    [InlineData("consolidated", "consolid")]
    [InlineData("consolingly", "consol")]
    [InlineData("conspicuously", "conspicu")]
    [InlineData("conspiracy", "conspiraci")]
    [InlineData("conspirators", "conspir")]
    [InlineData("constables", "constabl")]
    [InlineData("constancy", "constanc")]
    [InlineData("knackeries", "knackeri")]
    [InlineData("knavish", "knavish")]
    [InlineData("kneeling", "kneel")]
    [InlineData("knightly", "knight")]
    [InlineData("knitting", "knit")]
    [InlineData("knives", "knive")]
    [InlineData("knocker", "knocker")]
    [InlineData("generously", "generous")]
    [InlineData("skies", "sky")]
    [InlineData("dying", "die")]
    [InlineData("news", "news")]
    [InlineData("cries", "cri")]
    [InlineData("ties", "tie")]
    [InlineData("gaps", "gap")]
    [InlineData("gas", "gas")]
    [InlineData("hopping", "hop")]
    [InlineData("hoped", "hope")]
    [InlineData("succeeding", "succeed")]
    public void Porter2_gives_the_published_stems(string word, string stem) => Assert.Equal(stem, EnglishStemmer.Stem(word));

    [Fact]
    public void Porter2_agrees_with_snowballs_generated_english_stemmer_on_a_vocabulary()
    {
        // Lucene.Net ships the stemmer Snowball generates from english.sbl: an independent implementation.
        string[] vocabulary =
        [
            "abandoned", "abilities", "absolutely", "acceptance", "accessibility", "according", "achievement", "activation",
            "adjustable", "admiration", "agreed", "allowance", "analytically", "announcement", "applicable", "arguing",
            "arsenal", "atlas", "beautifully", "believing", "bias", "boundaries", "breathing", "bundled", "capabilities",
            "carefully", "causing", "centralization", "chemically", "communication", "community", "complexity", "compressed",
            "conditional", "configuring", "connectivity", "controllers", "cosmos", "database", "decisiveness", "definitely",
            "dependencies", "developer", "differently", "disabled", "distributions", "documentation", "easily", "effective",
            "electrical", "emergency", "encryption", "engineering", "enormously", "equally", "essential", "evaluation",
            "exceed", "experimental", "extensions", "failing", "feasibility", "filesystems", "flexibility", "formalism",
            "fulfilling", "fulness", "generalization", "generate", "gently", "graphical", "happily", "hopefulness",
            "hopelessly", "howe", "identification", "idly", "improvements", "inning", "installation", "intelligently",
            "interactive", "invisible", "keyboards", "languages", "libraries", "lying", "maintainer", "manageable",
            "mathematical", "multiplexing", "nationalism", "networking", "normalization", "objectively", "only", "operational",
            "optimizer", "outing", "packages", "parsing", "performance", "playing", "portability", "possibly", "predictably",
            "processing", "programming", "provides", "rationalize", "readiness", "realistically", "recursively", "relational",
            "reliability", "replaced", "requirements", "responsiveness", "reusable", "running", "scalability", "sensitivity",
            "sharing", "simplification", "singly", "skis", "sky", "specifically", "statistically", "storing", "succeeded",
            "supporting", "synchronization", "terminology", "traditional", "transformation", "tying", "ugly", "understandable",
            "universality", "utilities", "valuation", "variables", "visualization", "widely", "yelling", "yyy", "zealously",
        ];
        var snowball = new Lucene.Net.Tartarus.Snowball.Ext.EnglishStemmer();
        foreach (string word in vocabulary)
        {
            snowball.SetCurrent(word);
            snowball.Stem();
            Assert.True(snowball.Current == EnglishStemmer.Stem(word), $"{word}: snowball {snowball.Current}, ours {EnglishStemmer.Stem(word)}");
        }
    }

    [Fact]
    public void The_english_chain_tokenizes_folds_drops_stop_words_and_stems_keeping_positions()
    {
        AnalyzerChain chain = AnalyzerChain.Create(TextAnalyzer.English);
        List<AnalyzedToken> tokens = chain.Analyze("The Café's owners, O'Neil and Zoë, paid $3.14 for wi-fi in the U.S.A!");
        Assert.Equal(
            ["cafe", "owner", "o'neil", "zoe", "paid", "3.14", "wi", "fi", "u.s.a"],
            tokens.Select(t => t.Term));
        // "The" (0), "and" (4), "for" (7), "in" (10), "the" (11) are stop words: their positions stay taken.
        Assert.Equal([1, 2, 3, 5, 6, 7, 9, 10, 13], tokens.Select(t => t.Position));
        // English folds before it stems (unchanged since the first release, so persisted English indexes analyze queries
        // as before): "résumés" is stemmed as "resumes". Stemming first would give "résumé" (é is not a Porter2 vowel).
        Assert.Equal(["resum"], chain.Analyze("Résumés").Select(t => t.Term));
        Assert.Equal("résumé", Lucene(new Lucene.Net.Tartarus.Snowball.Ext.EnglishStemmer(), "résumés"));
    }

    [Fact]
    public void Han_ideographs_are_one_word_each_and_digits_group_with_commas()
    {
        AnalyzerChain chain = AnalyzerChain.Create(TextAnalyzer.Simple);
        Assert.Equal(["东", "京", "1,000", "foo_bar", "2", "3"], chain.Analyze("东京 1,000 foo_bar 2,,3").Select(t => t.Term));
        Assert.Equal("strasse aero", string.Join(' ', chain.Analyze("Straße Ærø").Select(t => t.Term)));
    }

    [Fact]
    public void N_grams_replace_each_term_at_its_position()
    {
        AnalyzerChain chain = AnalyzerChain.Create(TextAnalyzer.Simple with { NGramMin = 2, NGramMax = 3 });
        List<AnalyzedToken> tokens = chain.Analyze("abcd x");
        Assert.Equal(["ab", "abc", "bc", "bcd", "cd"], tokens.Select(t => t.Term));
        Assert.All(tokens, t => Assert.Equal(0, t.Position));
    }

    [Fact]
    public void French_stop_words_are_removed_after_folding()
    {
        AnalyzerChain chain = AnalyzerChain.Create(TextAnalyzer.FromName("french"));
        Assert.Equal(["chat", "noir", "vu"], chain.Analyze("Le chat noir a été vu").Select(t => t.Term)); // "été" folds to the stop word "ete"
        Assert.Equal(["le", "chat", "noir", "a", "ete", "vu"], AnalyzerChain.Create(TextAnalyzer.Simple).Analyze("Le chat noir a été vu").Select(t => t.Term));
    }

    [Fact]
    public void The_german_analyzer_stems_so_plurals_and_umlauts_meet_their_singular()
    {
        TextAnalyzer german = TextAnalyzer.FromName("german");
        Assert.Equal(new TextAnalyzer { Language = "german", Lowercase = true, FoldToAscii = true, RemoveStopWords = true, Stem = true }, german);
        AnalyzerChain chain = AnalyzerChain.Create(german);
        List<AnalyzedToken> tokens = chain.Analyze("Die Häuser der Kaufmänner, das Haus des Kaufmanns");
        Assert.Equal(["haus", "kaufmann", "haus", "kaufmann"], tokens.Select(t => t.Term));
        Assert.Equal([1, 3, 5, 7], tokens.Select(t => t.Position)); // die, der, das, des are stop words
    }

    [Fact]
    public void French_stems_the_accented_word_and_folds_the_stem()
    {
        AnalyzerChain chain = AnalyzerChain.Create(TextAnalyzer.FromName("french"));
        // "aimées" stems to "aim" only with its é (the verb ending -ées); folded first it would lose just "-es" ("aime").
        // "été" is still removed as the folded stop word "ete", and "créé" keeps no accent once stemmed and folded.
        Assert.Equal(["aim", "aim", "cre"], chain.Analyze("aimées aimer été créé").Select(t => t.Term));
        Assert.Equal("aime", Lucene(new Lucene.Net.Tartarus.Snowball.Ext.FrenchStemmer(), "aimees")); // the order matters
    }

    // Lucene 4.8's analyzers load these Snowball lists (italian_stop.txt, portuguese_stop.txt, dutch_stop.txt); the
    // chain matches stop words after folding, so every entry of Lucene's set, folded, must be removed, and nothing else
    // of a sample of content words.
    public static TheoryData<string, int> LuceneStopSets => new() { { "italian", 279 }, { "portuguese", 203 }, { "dutch", 101 } };

    [Theory]
    [MemberData(nameof(LuceneStopSets))]
    public void Italian_portuguese_and_dutch_stop_words_are_lucenes_sets(string language, int size)
    {
        global::Lucene.Net.Analysis.Util.CharArraySet lucene = language switch
        {
            "italian" => global::Lucene.Net.Analysis.It.ItalianAnalyzer.DefaultStopSet,
            "portuguese" => global::Lucene.Net.Analysis.Pt.PortugueseAnalyzer.DefaultStopSet,
            _ => global::Lucene.Net.Analysis.Nl.DutchAnalyzer.DefaultStopSet,
        };
        Assert.Equal(size, lucene.Count); // the published list sizes: the oracle is the list we mean
        AnalyzerChain chain = AnalyzerChain.Create(TextAnalyzer.FromName(language) with { Stem = false });
        foreach (object entry in lucene)
        {
            string word = entry is char[] chars ? new string(chars) : entry.ToString()!;
            Assert.True(chain.Analyze(word).Count == 0, $"{language}: Lucene's stop word '{word}' was kept");
        }
        Assert.Equal(["casa", "livro", "boek", "zonneschijn"], chain.Analyze("casa livro boek zonneschijn").Select(t => t.Term));
    }

    [Fact]
    public void Italian_portuguese_and_dutch_analyzers_stem_the_accented_word_and_fold_the_stem()
    {
        foreach (string language in new[] { "italian", "portuguese", "dutch" })
        {
            Assert.Equal(new TextAnalyzer { Language = language, Stem = true }, TextAnalyzer.FromName(language));
        }
        // Italian "città" keeps its à through the stemmer (the vowel suffix step removes a final à) and "pronunziò" loses -ò.
        Assert.Equal(["citt", "pronunz"], AnalyzerChain.Create(TextAnalyzer.FromName("italian")).Analyze("Città pronunziò").Select(t => t.Term));
        // Portuguese "quilométricas": -icas goes in R2, the é is folded after; "nações" loses -es in RV and keeps its õ
        // (o~ inside the stemmer) until folding.
        Assert.Equal(["quilometr", "naco"], AnalyzerChain.Create(TextAnalyzer.FromName("portuguese")).Analyze("quilométricas nações").Select(t => t.Term));
        // Dutch "lichamelijke" loses -e and -lijk (published: "licham"); "Opgaven" loses -en; "maan" undoubles its aa.
        Assert.Equal(["licham", "opgav", "man"], AnalyzerChain.Create(TextAnalyzer.FromName("dutch")).Analyze("lichamelijke Opgaven maan").Select(t => t.Term));
    }

    private static string Lucene(Lucene.Net.Tartarus.Snowball.SnowballProgram stemmer, string word)
    {
        stemmer.SetCurrent(word);
        stemmer.Stem();
        return stemmer.Current;
    }

    [Fact]
    public void Unknown_analyzers_languages_and_bad_settings_are_schema_errors()
    {
        Assert.Throws<SchemaException>(() => TextAnalyzer.FromName("klingon"));
        Assert.Throws<SchemaException>(() => AnalyzerChain.Create(new TextAnalyzer { Language = "klingon" }));
        Assert.Throws<SchemaException>(() => AnalyzerChain.Create(new TextAnalyzer { Language = "none", Stem = true }));
        Assert.Throws<SchemaException>(() => AnalyzerChain.Create(TextAnalyzer.Simple with { NGramMin = 3, NGramMax = 2 }));
        Assert.Throws<SchemaException>(() => AnalyzerChain.Create(TextAnalyzer.Simple with { NGramMin = 1, NGramMax = 21 }));
    }
}

using Lucene.Net.Tartarus.Snowball;
using VectLite.Text.Analysis;

namespace VectLite.Tests.Text;

/// <summary>
/// The non-English Snowball stemmers, each held equal to the stemmer Snowball generates from the same algorithm (the one
/// Lucene.Net ships, an independent implementation) on a generated vocabulary of about 20,000 words: random letter
/// strings from the language's alphabet, accented letters included, and real-looking stems followed by one to three of
/// the suffixes the algorithm's steps remove, so every rule fires; plus published examples.
/// </summary>
public sealed class SnowballStemmerTests
{
    private const int RandomWords = 10_000;
    private const int SuffixedWords = 10_000;

    /// <summary>Compares <paramref name="ours"/> with <paramref name="snowball"/> on the vocabulary; returns how many differ, with examples.</summary>
    private static void AssertAgrees(SnowballProgram snowball, Func<string, string> ours, string consonants, string vowels, string[] stems, string[] suffixes, int seed)
    {
        var random = new Random(seed); // seeded: the same vocabulary every run, so a failure reproduces
        var words = new List<string>(RandomWords + SuffixedWords);
        var letter = new System.Text.StringBuilder();
        for (int i = 0; i < RandomWords; i++)
        {
            letter.Clear();
            int length = random.Next(1, 15);
            for (int j = 0; j < length; j++)
            {
                // Vowels about as often as consonants, so words have regions (R1, R2) to strip suffixes from.
                string from = random.Next(2) == 0 ? vowels : consonants;
                letter.Append(from[random.Next(from.Length)]);
            }
            words.Add(letter.ToString());
        }
        for (int i = 0; i < SuffixedWords; i++)
        {
            letter.Clear();
            letter.Append(stems[random.Next(stems.Length)]);
            if (random.Next(4) == 0)
            {
                letter.Append(vowels[random.Next(vowels.Length)]).Append(consonants[random.Next(consonants.Length)]);
            }
            int count = random.Next(1, 4);
            for (int j = 0; j < count; j++)
            {
                letter.Append(suffixes[random.Next(suffixes.Length)]);
            }
            words.Add(letter.ToString());
        }

        var failures = new List<string>();
        int changed = 0;
        foreach (string word in words)
        {
            snowball.SetCurrent(word);
            snowball.Stem();
            string expected = snowball.Current;
            string actual = ours(word);
            if (expected != word)
            {
                changed++;
            }
            if (expected != actual && failures.Count < 20)
            {
                failures.Add($"{word}: snowball {expected}, ours {actual}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The vocabulary must exercise the stemmer: most generated words lose a suffix.
        Assert.True(changed > words.Count / 3, $"only {changed} of {words.Count} words were changed by the stemmer");
    }

    private static string Snowball(SnowballProgram snowball, string word)
    {
        snowball.SetCurrent(word);
        snowball.Stem();
        return snowball.Current;
    }

    // ---- German ----

    private static readonly string[] GermanStems =
    [
        "haus", "häus", "kind", "frau", "mann", "schön", "groß", "straß", "zeit", "arbeit", "freund", "lauf", "läuf",
        "geb", "sprech", "mög", "fröh", "glück", "wirt", "bau", "neu", "treu", "bayer", "feuer", "heil", "wahr", "lang",
        "fahr", "ruhm", "aufeinanderfolg", "kenn", "bild", "erfahr", "wiss", "mensch", "herr", "land", "spiel", "trag",
        "ab", "ur", "zu", "bet", "kür", "ös", "ufer", "ei", "ende", "genug", "selig", "ehrlich", "möglich", "abend",
    ];

    private static readonly string[] GermanSuffixes =
    [
        "e", "em", "en", "ern", "er", "es", "s", "est", "st", "end", "ung", "ig", "ik", "isch", "lich", "heit", "keit",
        "ig", "lich", "erlich", "enheit", "igkeit", "lichkeit", "igend", "igung", "nis", "t", "et", "ens",
    ];

    [Fact]
    public void German_agrees_with_snowballs_generated_stemmer_on_a_generated_vocabulary() =>
        AssertAgrees(new Lucene.Net.Tartarus.Snowball.Ext.GermanStemmer(), GermanStemmer.Stem,
            "bcdfghjklmnpqrstvwxzß", "aeiouyäöü", GermanStems, GermanSuffixes, seed: 4901);

    // Published examples (snowballstem.org, German stemmer, sample vocabulary and output).
    [Theory]
    [InlineData("aufeinanderfolgenden", "aufeinanderfolg")]
    [InlineData("aufeinanderfolgte", "aufeinanderfolgt")]
    [InlineData("aufeinanderschlügen", "aufeinanderschlug")]
    [InlineData("aufenthalt", "aufenthalt")]
    [InlineData("aufenthaltsort", "aufenthaltsort")]
    [InlineData("kategorie", "kategori")]
    [InlineData("käuflich", "kauflich")]
    [InlineData("kaufmann", "kaufmann")]
    [InlineData("kaufmännische", "kaufmann")]
    [InlineData("kaum", "kaum")]
    [InlineData("häuser", "haus")]
    [InlineData("straße", "strass")]
    public void German_gives_the_published_stems(string word, string stem)
    {
        Assert.Equal(stem, Snowball(new Lucene.Net.Tartarus.Snowball.Ext.GermanStemmer(), word)); // the example holds for Snowball itself
        Assert.Equal(stem, GermanStemmer.Stem(word));
    }

    // ---- French ----

    private static readonly string[] FrenchStems =
    [
        "continu", "majest", "nation", "général", "beau", "chev", "heur", "fin", "aim", "fin", "part", "parl", "coll",
        "tap", "envo", "pay", "quel", "cré", "emploi", "ennu", "jou", "roy", "trah", "ém", "ach", "gu", "aigu", "ambigu",
        "cru", "fl", "grand", "éléphant", "œuvr", "français", "sa", "ai", "oi", "abîm", "pouv", "véri", "créat", "sens",
        "product", "imag", "mouv", "acti", "prud", "évid", "fréquent", "passion", "opér", "pi", "chrétien", "bon", "col", "par", "tap", "p", "c",
    ];

    private static readonly string[] FrenchSuffixes =
    [
        "ance", "iqUe", "ique", "isme", "able", "iste", "eux", "ances", "iques", "ismes", "ables", "istes", "atrice",
        "ateur", "ation", "atrices", "ateurs", "ations", "logie", "logies", "usion", "ution", "usions", "utions", "ence",
        "ences", "ement", "ements", "ité", "ités", "if", "ive", "ifs", "ives", "eaux", "aux", "euse", "euses", "issement",
        "issements", "amment", "emment", "ment", "ments", "ic", "abil", "iv", "at", "eus", "abl", "ièr", "îmes", "ît",
        "îtes", "i", "ie", "ies", "ir", "ira", "irai", "iraient", "irais", "irait", "iras", "irent", "irez", "iriez",
        "irions", "irons", "iront", "is", "issaient", "issais", "issait", "issant", "issante", "issantes", "issants",
        "isse", "issent", "isses", "issez", "issiez", "issions", "issons", "it", "ions", "é", "ée", "ées", "és", "èrent",
        "er", "era", "erai", "eraient", "erais", "erait", "eras", "erez", "eriez", "erions", "erons", "eront", "ez",
        "iez", "âmes", "ât", "âtes", "a", "ai", "aient", "ais", "ait", "ant", "ante", "antes", "ants", "as", "asse",
        "assent", "asses", "assiez", "assions", "s", "ion", "sion", "tion", "ier", "ière", "e", "ë", "guë", "enne",
        "onne", "ette", "elle", "eille", "ç", "y", "ye", "qu", "èt", "éd", "es",
    ];

    [Fact]
    public void French_agrees_with_snowballs_generated_stemmer_on_a_generated_vocabulary() =>
        AssertAgrees(new Lucene.Net.Tartarus.Snowball.Ext.FrenchStemmer(), FrenchStemmer.Stem,
            "bcdfghjklmnpqrstvwxzçœ", "aeiouyâàëéêèïîôûù", FrenchStems, FrenchSuffixes, seed: 4902);

    // Published examples (snowballstem.org, French stemmer, sample vocabulary and output).
    [Theory]
    [InlineData("continu", "continu")]
    [InlineData("continua", "continu")]
    [InlineData("continuait", "continu")]
    [InlineData("continuant", "continu")]
    [InlineData("continuation", "continu")]
    [InlineData("continue", "continu")]
    [InlineData("continué", "continu")]
    [InlineData("continuel", "continuel")]
    [InlineData("continuelle", "continuel")]
    [InlineData("continuellement", "continuel")]
    [InlineData("continuer", "continu")]
    [InlineData("continuité", "continu")]
    [InlineData("majestueusement", "majestu")]
    [InlineData("majesté", "majest")]
    [InlineData("majestueuse", "majestu")]
    [InlineData("majestueux", "majestu")]
    public void French_gives_the_published_stems(string word, string stem)
    {
        Assert.Equal(stem, Snowball(new Lucene.Net.Tartarus.Snowball.Ext.FrenchStemmer(), word));
        Assert.Equal(stem, FrenchStemmer.Stem(word));
    }
    // ---- Spanish ----

    private static readonly string[] SpanishStems =
    [
        "tor", "chiquit", "cant", "com", "viv", "habl", "nacion", "general", "feliz", "product", "sigu", "averigu", "arg",
        "constru", "hu", "ley", "oy", "trabaj", "ciud", "an", "ab", "ai", "oi", "eu", "canción", "niñ", "pingü", "corr",
        "escrib", "decid", "abr", "pon", "ten", "hac", "dij", "pens", "llam", "mañan", "rápid", "públic", "ingl", "cre",
        "le", "ca", "distribu", "contribu", "destru", "g", "gu", "amig", "alegr", "ciudad", "posib", "lógic", "educ",
    ];

    private static readonly string[] SpanishSuffixes =
    [
        "me", "se", "sela", "selo", "selas", "selos", "la", "le", "lo", "las", "les", "los", "nos", "iéndo", "ándo", "ár",
        "ér", "ír", "ando", "iendo", "ar", "er", "ir", "yendo", "anza", "anzas", "ico", "ica", "icos", "icas", "ismo",
        "ismos", "able", "ables", "ible", "ibles", "ista", "istas", "oso", "osa", "osos", "osas", "amiento", "amientos",
        "imiento", "imientos", "adora", "ador", "ación", "adoras", "adores", "aciones", "ante", "antes", "ancia", "ancias",
        "logía", "logías", "ución", "uciones", "encia", "encias", "amente", "mente", "idad", "idades", "iva", "ivo",
        "ivas", "ivos", "ic", "at", "iv", "os", "ad", "abil", "ya", "ye", "yan", "yen", "yeron", "yo", "yó", "yas", "yes",
        "yais", "yamos", "en", "es", "éis", "emos", "arían", "arías", "arán", "arás", "aríais", "aría", "aréis",
        "aríamos", "aremos", "ará", "aré", "erían", "erías", "erán", "erás", "eríais", "ería", "eréis", "eríamos",
        "eremos", "erá", "eré", "irían", "irías", "irán", "irás", "iríais", "iría", "iréis", "iríamos", "iremos", "irá",
        "iré", "aba", "ada", "ida", "ía", "ara", "iera", "ad", "ed", "id", "ase", "iese", "aste", "iste", "an", "aban",
        "ían", "aran", "ieran", "asen", "iesen", "aron", "ieron", "ado", "ido", "ió", "as", "abas", "adas", "idas", "ías",
        "aras", "ieras", "ases", "ieses", "ís", "áis", "abais", "íais", "arais", "ierais", "aseis", "ieseis", "asteis",
        "isteis", "ados", "idos", "amos", "ábamos", "íamos", "imos", "áramos", "iéramos", "iésemos", "ásemos", "a", "o",
        "á", "í", "ó", "e", "é", "ue", "ué", "gue", "ú", "ü",
    ];

    [Fact]
    public void Spanish_agrees_with_snowballs_generated_stemmer_on_a_generated_vocabulary() =>
        AssertAgrees(new Lucene.Net.Tartarus.Snowball.Ext.SpanishStemmer(), SpanishStemmer.Stem,
            "bcdfghjklmnñpqrstvwxyz", "aeiouáéíóúü", SpanishStems, SpanishSuffixes, seed: 4903);

    // Published examples (snowballstem.org, Spanish stemmer, sample vocabulary and output).
    [Theory]
    [InlineData("chica", "chic")]
    [InlineData("chicharrón", "chicharron")]
    [InlineData("chico", "chic")]
    [InlineData("chiquillos", "chiquill")]
    [InlineData("chiquitito", "chiquitit")]
    [InlineData("torear", "tor")]
    [InlineData("toreara", "tor")]
    [InlineData("torearlo", "tor")]
    [InlineData("toreándolo", "tor")]
    [InlineData("torero", "torer")]
    [InlineData("torrencial", "torrencial")]
    public void Spanish_gives_the_published_stems(string word, string stem)
    {
        Assert.Equal(stem, Snowball(new Lucene.Net.Tartarus.Snowball.Ext.SpanishStemmer(), word));
        Assert.Equal(stem, SpanishStemmer.Stem(word));
    }
}

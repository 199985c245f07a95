namespace VectLite.Text.Analysis;

/// <summary>
/// The Snowball Spanish stemmer ("torearlo" to "tor", "chiquitito" to "chiquitit"), ported from Snowball's spanish.sbl
/// in the version Lucene 4.8 ships. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// How it works (https://snowballstem.org/algorithms/spanish/stemmer.html):
/// <list type="number">
/// <item>RV: when the second letter is a consonant, the region after the next vowel; when the first two letters are
/// vowels, after the next consonant; when the word starts consonant-vowel, after the third letter. R1 and R2 are the
/// usual regions. Vowels are a e i o u á é í ó ú ü.</item>
/// <item>Step 0 removes an attached pronoun (me se sela selo selas selos la le lo las les los nos) after -iéndo -ándo
/// -ár -ér -ír (which lose their accent), -ando -iendo -ar -er -ir, or -yendo after u, in RV.</item>
/// <item>Step 1 removes standard suffixes in R2 (-anza, -ación, -logía, -encia, -amente in R1, -mente, -idad, -iva ...);
/// when it does nothing, step 2a removes -ya ... -yó after u, else step 2b verb endings, inside RV.</item>
/// <item>Step 3 removes a residual -os -a -o -á -í -ó, or -e -é (and the u of a preceding gu), in RV; then the acute
/// accents are removed.</item>
/// </list>
/// The input is expected lowercase and unfolded (á, é, ñ ... as they are written).
/// </remarks>
internal static class SpanishStemmer
{
    // Each table is ordered longest first: StemBuffer.Longest then finds Snowball's among match.
    private static readonly string[] Pronouns = ["selas", "selos", "sela", "selo", "las", "les", "los", "nos", "la", "le", "me", "se", "lo"];
    private static readonly string[] BeforePronoun = ["iéndo", "yendo", "iendo", "ándo", "ando", "ár", "ér", "ír", "ar", "er", "ir"];

    private static readonly string[] Standard =
    [
        "amientos", "imientos", "aciones", "uciones", "amiento", "imiento", "ancias", "encias", "adoras", "logías",
        "idades", "adores", "amente", "ancia", "encia", "adora", "istas", "anzas", "ables", "ibles", "antes", "ismos",
        "logía", "mente", "ación", "ución", "icas", "osas", "ivas", "idad", "ista", "anza", "able", "ible", "ante",
        "ismo", "ador", "icos", "osos", "ivos", "ica", "osa", "iva", "ico", "oso", "ivo",
    ];

    private static readonly string[] AfterAmente = ["ic", "ad", "os", "iv"];
    private static readonly string[] AfterMente = ["able", "ible", "ante"];
    private static readonly string[] AfterIdad = ["abil", "ic", "iv"];
    private static readonly string[] YVerb = ["yeron", "yendo", "yamos", "yais", "yan", "yen", "yas", "yes", "ya", "ye", "yo", "yó"];

    private static readonly string[] Verb =
    [
        "aríamos", "eríamos", "iríamos", "iéramos", "iésemos", "aríais", "eríais", "iríais", "ierais", "ieseis",
        "asteis", "isteis", "ábamos", "áramos", "íamos", "aremos", "eremos", "iremos", "ásemos", "arían", "erían",
        "irían", "ieran", "iesen", "ieron", "iendo", "ieras", "ieses", "abais", "arais", "aseis", "arías", "erías",
        "irías", "íais", "aréis", "eréis", "iréis", "aría", "ería", "iría", "iera", "iese", "aste", "iste", "aban",
        "aran", "asen", "aron", "ando", "abas", "adas", "idas", "aras", "ases", "ados", "idos", "amos", "imos", "emos",
        "éis", "ían", "arán", "erán", "irán", "ías", "áis", "arás", "erás", "irás", "aba", "ada", "ida", "ara", "ase",
        "ado", "ido", "ará", "erá", "irá", "aré", "eré", "iré", "ía", "ad", "ed", "id", "an", "en", "ar", "er",
        "ir", "as", "es", "ís", "ió",
    ];

    private static readonly string[] Residual = ["os", "a", "o", "á", "í", "ó", "e", "é"];

    /// <summary>Returns the stem of <paramref name="word"/> (lowercase input).</summary>
    public static string Stem(string word)
    {
        int size = StemBuffer.StorageFor(word);
        var w = new StemBuffer(word, size <= 256 ? stackalloc char[size] : new char[size]);
        SnowballRegions.Romance<Vowels>(ref w, out int rv, out int r1, out int r2);
        AttachedPronoun(ref w, rv);
        if (!StandardSuffix(ref w, r1, r2) && !YVerbSuffix(ref w, rv))
        {
            VerbSuffix(ref w, rv);
        }
        ResidualSuffix(ref w, rv);
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = w[i] switch { 'á' => 'a', 'é' => 'e', 'í' => 'i', 'ó' => 'o', 'ú' => 'u', char c => c };
        }
        return w.ToString(word);
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'á' or 'é' or 'í' or 'ó' or 'ú' or 'ü';

    /// <summary>This language's vowels, for <see cref="SnowballRegions"/>.</summary>
    private readonly struct Vowels : ISnowballVowels
    {
        public static bool IsVowel(char c) => SpanishStemmer.IsVowel(c);
    }

    private static void AttachedPronoun(ref StemBuffer w, int rv)
    {
        int pronoun = w.Longest(Pronouns);
        if (pronoun < 0)
        {
            return;
        }
        int pronounStart = w.Length - Pronouns[pronoun].Length;
        string form = "";
        foreach (string candidate in BeforePronoun)
        {
            if (w.Has(pronounStart - candidate.Length, candidate))
            {
                form = candidate;
                break;
            }
        }
        int formStart = pronounStart - form.Length;
        if (form.Length == 0 || formStart < rv)
        {
            return;
        }
        switch (form)
        {
            case "iéndo": w.ReplaceEnd(w.Length - formStart, "iendo"); break;
            case "ándo": w.ReplaceEnd(w.Length - formStart, "ando"); break;
            case "ár": w.ReplaceEnd(w.Length - formStart, "ar"); break;
            case "ér": w.ReplaceEnd(w.Length - formStart, "er"); break;
            case "ír": w.ReplaceEnd(w.Length - formStart, "ir"); break;
            case "yendo":
                if (w.At(formStart - 1) == 'u')
                {
                    w.Chop(Pronouns[pronoun].Length);
                }
                break;
            default: w.Chop(Pronouns[pronoun].Length); break;
        }
    }

    private static bool StandardSuffix(ref StemBuffer w, int r1, int r2)
    {
        int found = w.Longest(Standard);
        if (found < 0)
        {
            return false;
        }
        string suffix = Standard[found];
        int start = w.Length - suffix.Length;
        bool inR2 = start >= r2;
        switch (suffix)
        {
            case "logía" or "logías":
                if (inR2) { w.ReplaceEnd(suffix.Length, "log"); }
                return inR2;
            case "ución" or "uciones":
                if (inR2) { w.ReplaceEnd(suffix.Length, "u"); }
                return inR2;
            case "encia" or "encias":
                if (inR2) { w.ReplaceEnd(suffix.Length, "ente"); }
                return inR2;
            case "amente":
                if (start < r1)
                {
                    return false;
                }
                w.Chop(6);
                int tail = w.Longest(AfterAmente);
                if (tail >= 0 && w.Length - 2 >= r2)
                {
                    w.Chop(2);
                    if (AfterAmente[tail] == "iv")
                    {
                        w.ChopIfFrom("at", r2);
                    }
                }
                return true;
        }
        if (!inR2)
        {
            return false;
        }
        w.Chop(suffix.Length);
        switch (suffix)
        {
            case "ancia" or "adora" or "ante" or "ación" or "ador" or "ancias" or "adoras" or "aciones" or "adores" or "antes":
                w.ChopIfFrom("ic", r2);
                break;
            case "mente":
                w.ChopLongestFrom(AfterMente, r2);
                break;
            case "idad" or "idades":
                w.ChopLongestFrom(AfterIdad, r2);
                break;
            case "iva" or "ivo" or "ivas" or "ivos":
                w.ChopIfFrom("at", r2);
                break;
        }
        return true;
    }

    /// <summary>Step 2a: -ya, -yo, ... inside RV, after a u.</summary>
    private static bool YVerbSuffix(ref StemBuffer w, int rv)
    {
        int found = w.Length < rv ? -1 : w.Longest(YVerb, rv);
        if (found < 0)
        {
            return false;
        }
        int start = w.Length - YVerb[found].Length;
        if (w.At(start - 1) != 'u') // the limit covers the ending only: the u may lie before RV
        {
            return false;
        }
        w.Chop(YVerb[found].Length);
        return true;
    }

    /// <summary>Step 2b: verb endings inside RV; -en -es -éis -emos also take the u of a preceding gu.</summary>
    private static void VerbSuffix(ref StemBuffer w, int rv)
    {
        int found = w.Length < rv ? -1 : w.Longest(Verb, rv);
        if (found < 0)
        {
            return;
        }
        string suffix = Verb[found];
        int start = w.Length - suffix.Length;
        if (suffix is "en" or "es" or "éis" or "emos" && w.At(start - 1) == 'u' && w.At(start - 2) == 'g')
        {
            start--;
        }
        w.Chop(w.Length - start);
    }

    private static void ResidualSuffix(ref StemBuffer w, int rv)
    {
        int found = w.Longest(Residual);
        if (found < 0 || w.Length - Residual[found].Length < rv)
        {
            return;
        }
        string suffix = Residual[found];
        w.Chop(suffix.Length);
        if (suffix is "e" or "é" && w.EndsWith("u") && w.Length - 1 >= rv && w.At(w.Length - 2) == 'g')
        {
            w.Chop(1);
        }
    }
}

namespace VectLite.Text.Analysis;

/// <summary>
/// The Snowball Portuguese stemmer ("quilométricas" to "quilométr", "bocadas" to "boc"), ported from
/// Snowball's portuguese.sbl in the version Lucene 4.8 ships. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// How it works (https://snowballstem.org/algorithms/portuguese/stemmer.html):
/// <list type="number">
/// <item>Prelude: ã and õ become "a~" and "o~" (the tilde counts as a consonant); the postlude turns them back.
/// Vowels are a e i o u á é í ó ú â ê ô. RV, R1 and R2 as in Spanish.</item>
/// <item>A standard suffix is removed in R2 (-eza, -ismo, -ável, -ação, -logia to log, -ência to ente, -amente in R1,
/// -mente, -idade, -ivo ...; -ira after an e in RV becomes -ir); when none is, a verb suffix inside RV. Either way, an
/// i after a c is then removed in RV.</item>
/// <item>When neither removed anything, a residual -os -a -i -o -á -í -ó goes in RV.</item>
/// <item>A final -e -é -ê goes in RV, with the u of -gu or the i of -ci in RV; a final ç becomes c.</item>
/// </list>
/// The version Lucene 4.8 ships keeps two quirks of its era, ported as they are: the "-ución / -uciones" entries are
/// Spanish spellings (Portuguese -ução is removed whole as -ação is not), and "-mente" after "-avel" tests the
/// unaccented spelling.
/// The input is expected lowercase and unfolded (ã, ç, é ... as they are written).
/// </remarks>
internal static class PortugueseStemmer
{
    // Each table is ordered longest first: StemBuffer.Longest then finds Snowball's among match.
    private static readonly string[] Standard =
    [
        "amentos", "imentos", "uciones", "amente", "adoras", "adores", "aço~es", "logías", "ências", "amento", "imento",
        "idades", "ância", "ência", "adora", "logía", "idade", "ución", "aça~o", "istas", "antes", "ismos", "mente",
        "ável", "ível", "ismo", "ista", "ador", "icas", "iras", "osas", "ivas", "ezas", "icos", "osos", "ivos", "ante",
        "ica", "ira", "osa", "iva", "eza", "ico", "oso", "ivo",
    ];

    private static readonly string[] AfterAmente = ["ic", "ad", "os", "iv"];
    private static readonly string[] AfterMente = ["ante", "avel", "ível"];
    private static readonly string[] AfterIdade = ["abil", "ic", "iv"];

    private static readonly string[] Verb =
    [
        "aríamos", "eríamos", "iríamos", "ássemos", "êssemos", "íssemos", "aríeis", "eríeis", "iríeis", "ásseis",
        "ésseis", "ísseis", "áramos", "éramos", "íramos", "ávamos", "aremos", "eremos", "iremos", "ariam", "eriam",
        "iriam", "assem", "essem", "issem", "ara~o", "era~o", "ira~o", "arias", "erias", "irias", "ardes", "erdes",
        "irdes", "asses", "esses", "isses", "astes", "estes", "istes", "áreis", "areis", "éreis", "ereis", "íreis",
        "ireis", "áveis", "íamos", "armos", "ermos", "irmos", "aria", "eria", "iria", "asse", "esse", "isse", "aste",
        "este", "iste", "arei", "erei", "irei", "aram", "eram", "iram", "avam", "arem", "erem", "irem", "ando", "endo",
        "indo", "adas", "idas", "arás", "aras", "erás", "eras", "irás", "iras", "avas", "ares", "eres", "ires", "íeis",
        "ados", "idos", "ámos", "amos", "emos", "imos", "ada", "ida", "ará", "ara", "erá", "era", "irá", "ira", "ava",
        "iam", "ado", "ido", "ias", "ais", "eis", "ia", "ei", "am", "em", "ar", "er", "ir", "as", "es", "is", "eu", "iu",
        "ou",
    ];

    private static readonly string[] Residual = ["os", "a", "i", "o", "á", "í", "ó"];

    /// <summary>Returns the stem of <paramref name="word"/> (lowercase input).</summary>
    public static string Stem(string word)
    {
        int size = StemBuffer.StorageFor(word);
        var w = new StemBuffer(word, size <= 256 ? stackalloc char[size] : new char[size]);
        for (int i = 0; i < w.Length; i++)
        {
            if (w[i] is 'ã' or 'õ')
            {
                w.Replace(i, 1, w[i] == 'ã' ? "a~" : "o~");
                i++;
            }
        }
        SnowballRegions.Romance<Vowels>(ref w, out int rv, out int r1, out int r2);
        if (StandardSuffix(ref w, rv, r1, r2) || VerbSuffix(ref w, rv))
        {
            if (w.EndsWith("i") && w.At(w.Length - 2) == 'c' && w.Length - 1 >= rv)
            {
                w.Chop(1);
            }
        }
        else
        {
            int found = w.Longest(Residual);
            if (found >= 0 && w.Length - Residual[found].Length >= rv)
            {
                w.Chop(Residual[found].Length);
            }
        }
        ResidualForm(ref w, rv);
        for (int i = 0; i + 1 < w.Length; i++)
        {
            if (w[i + 1] == '~' && w[i] is 'a' or 'o')
            {
                w.Replace(i, 2, w[i] == 'a' ? "ã" : "õ");
            }
        }
        return w.ToString(word);
    }

    private static bool IsVowel(char c) =>
        c is 'a' or 'e' or 'i' or 'o' or 'u' or 'á' or 'é' or 'í' or 'ó' or 'ú' or 'â' or 'ê' or 'ô';

    /// <summary>This language's vowels, for <see cref="SnowballRegions"/>.</summary>
    private readonly struct Vowels : ISnowballVowels
    {
        public static bool IsVowel(char c) => PortugueseStemmer.IsVowel(c);
    }

    private static bool StandardSuffix(ref StemBuffer w, int rv, int r1, int r2)
    {
        int found = w.Longest(Standard);
        if (found < 0)
        {
            return false;
        }
        string suffix = Standard[found];
        int start = w.Length - suffix.Length;
        switch (suffix)
        {
            case "logía" or "logías":
                return w.ReplaceEndIf(suffix, "log", start >= r2);
            case "ución" or "uciones":
                return w.ReplaceEndIf(suffix, "u", start >= r2);
            case "ência" or "ências":
                return w.ReplaceEndIf(suffix, "ente", start >= r2);
            case "ira" or "iras":
                // -eira(s) is rarely a verb: it becomes -eir.
                return w.ReplaceEndIf(suffix, "ir", start >= rv && w.At(start - 1) == 'e');
            case "amente":
                if (start < r1)
                {
                    return false;
                }
                w.Chop(suffix.Length);
                int tail = w.Longest(AfterAmente);
                if (tail >= 0 && w.Length - AfterAmente[tail].Length >= r2)
                {
                    w.Chop(AfterAmente[tail].Length);
                    if (AfterAmente[tail] == "iv")
                    {
                        w.ChopIfFrom("at", r2);
                    }
                }
                return true;
        }
        if (start < r2)
        {
            return false;
        }
        w.Chop(suffix.Length);
        switch (suffix)
        {
            case "mente":
                w.ChopLongestFrom(AfterMente, r2);
                break;
            case "idade" or "idades":
                w.ChopLongestFrom(AfterIdade, r2);
                break;
            case "iva" or "ivo" or "ivas" or "ivos":
                w.ChopIfFrom("at", r2);
                break;
        }
        return true;
    }

    /// <summary>Verb endings inside RV (a longer ending reaching before RV does not match; a shorter one may).</summary>
    private static bool VerbSuffix(ref StemBuffer w, int rv)
    {
        int found = w.Length < rv ? -1 : w.Longest(Verb, rv);
        if (found < 0)
        {
            return false;
        }
        w.Chop(Verb[found].Length);
        return true;
    }

    private static void ResidualForm(ref StemBuffer w, int rv)
    {
        char last = w.At(w.Length - 1);
        if (last == 'ç')
        {
            w[w.Length - 1] = 'c';
            return;
        }
        if (last is not ('e' or 'é' or 'ê') || w.Length - 1 < rv)
        {
            return;
        }
        w.Chop(1);
        // -gue / -cie: the u or i goes too, when it lies in RV.
        char before = w.At(w.Length - 1);
        if ((before == 'u' && w.At(w.Length - 2) == 'g') || (before == 'i' && w.At(w.Length - 2) == 'c'))
        {
            if (w.Length - 1 >= rv)
            {
                w.Chop(1);
            }
        }
    }
}

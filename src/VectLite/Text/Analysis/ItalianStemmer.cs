namespace VectLite.Text.Analysis;

/// <summary>
/// The Snowball Italian stemmer ("abbandonata" to "abbandon", "pronunziare" to "pronunz"), ported from Snowball's
/// italian.sbl in the version Lucene 4.8 ships. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// How it works (https://snowballstem.org/algorithms/italian/stemmer.html):
/// <list type="number">
/// <item>Prelude: acute accents become grave (á to à ...); the u of qu, and a u or i between two vowels, are marked
/// as consonants (upper case U and I) so they do not count as vowels. Vowels are a e i o u à è ì ò ù.</item>
/// <item>RV, R1 and R2 as in Spanish: RV after the next vowel (second letter a consonant), after the next consonant
/// (first two letters vowels), or after the third letter (consonant, vowel).</item>
/// <item>An attached pronoun (-gliela, -mi, -ne ...) is removed after -ando / -endo, or replaced by e after -ar -er
/// -ir, when that ending lies in RV.</item>
/// <item>A standard suffix is removed in R2 (-anza, -ista, -mente, -azione (and ic), -logia to log, -uzione to u,
/// -enza to ente, -amento in RV, -amente in R1, -ità, -ivo ...); when none is, a verb suffix inside RV.</item>
/// <item>A final a e i o à è ì ò in RV goes, then an i before it in RV; -ch / -gh lose the h when the c or g is in
/// RV. Finally U and I go back to lower case.</item>
/// </list>
/// The input is expected lowercase and unfolded (à, è, ì ... as they are written).
/// </remarks>
internal static class ItalianStemmer
{
    // Each table is ordered longest first: StemBuffer.Longest then finds Snowball's among match.
    private static readonly string[] Pronouns =
    [
        "gliela", "gliele", "glieli", "glielo", "gliene", "cela", "cele", "celi", "celo", "cene", "mela", "mele", "meli",
        "melo", "mene", "sene", "tela", "tele", "teli", "telo", "tene", "vela", "vele", "veli", "velo", "vene", "gli",
        "ci", "la", "le", "li", "lo", "mi", "ne", "si", "ti", "vi",
    ];

    private static readonly string[] BeforePronoun = ["ando", "endo", "ar", "er", "ir"];

    private static readonly string[] Standard =
    [
        "atrice", "atrici", "usione", "azione", "uzione", "amente", "usioni", "azioni", "uzioni", "amenti", "imenti",
        "amento", "imento", "logia", "logie", "abile", "ibile", "atore", "mente", "abili", "ibili", "atori", "anza",
        "enza", "iche", "anze", "enze", "ichi", "ismi", "ista", "iste", "isti", "ismo", "ante", "anti", "istà", "istè",
        "istì", "ica", "osa", "iva", "ice", "ose", "ive", "ici", "osi", "ivi", "ico", "oso", "ivo", "ità",
    ];

    private static readonly string[] AfterAmente = ["abil", "ic", "os", "iv"];
    private static readonly string[] AfterIta = ["abil", "ic", "iv"];

    private static readonly string[] Verb =
    [
        "erebbero", "irebbero", "erebbe", "irebbe", "ereste", "ireste", "eresti", "iresti", "assimo", "eremmo", "iremmo",
        "iscano", "eranno", "iranno", "iscono", "assero", "essero", "issero", "avate", "evate", "ivate", "erete", "irete",
        "avamo", "evamo", "ivamo", "eremo", "iremo", "avano", "evano", "ivano", "arono", "erono", "irono", "isca", "enda",
        "erai", "irai", "isce", "ende", "asse", "isci", "endi", "erei", "irei", "assi", "isco", "ando", "endo", "Yamo",
        "iamo", "ammo", "emmo", "immo", "ata", "ita", "uta", "ava", "eva", "iva", "are", "ere", "ire", "ate", "ete",
        "ite", "ute", "ati", "iti", "uti", "avi", "evi", "ivi", "ano", "ono", "ato", "ito", "uto", "avo", "evo", "ivo",
        "erà", "irà", "erò", "irò", "ar", "ir",
    ];

    /// <summary>Returns the stem of <paramref name="word"/> (lowercase input).</summary>
    public static string Stem(string word)
    {
        int size = StemBuffer.StorageFor(word);
        var w = new StemBuffer(word, size <= 256 ? stackalloc char[size] : new char[size]);
        Prelude(ref w);
        SnowballRegions.Romance<Vowels>(ref w, out int rv, out int r1, out int r2);
        AttachedPronoun(ref w, rv);
        if (!StandardSuffix(ref w, rv, r1, r2))
        {
            VerbSuffix(ref w, rv);
        }
        VowelSuffix(ref w, rv);
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = w[i] switch { 'I' => 'i', 'U' => 'u', char c => c };
        }
        return w.ToString(word);
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'à' or 'è' or 'ì' or 'ò' or 'ù';

    /// <summary>This language's vowels, for <see cref="SnowballRegions"/>.</summary>
    private readonly struct Vowels : ISnowballVowels
    {
        public static bool IsVowel(char c) => ItalianStemmer.IsVowel(c);
    }

    private static void Prelude(ref StemBuffer w)
    {
        for (int i = 0; i < w.Length; i++)
        {
            switch (w[i])
            {
                case 'á': w[i] = 'à'; break;
                case 'é': w[i] = 'è'; break;
                case 'í': w[i] = 'ì'; break;
                case 'ó': w[i] = 'ò'; break;
                case 'ú': w[i] = 'ù'; break;
                case 'q' when w.At(i + 1) == 'u': w[++i] = 'U'; break;
            }
        }
        // Left to right on the word as it changes: once a u or i is marked, it no longer counts as the vowel before
        // the next one, as in Snowball's "repeat goto".
        for (int i = 1; i + 1 < w.Length; i++)
        {
            if (w[i] is 'u' or 'i' && IsVowel(w[i - 1]) && IsVowel(w[i + 1]))
            {
                w[i] = char.ToUpperInvariant(w[i]);
            }
        }
    }

    private static void AttachedPronoun(ref StemBuffer w, int rv)
    {
        int pronoun = w.Longest(Pronouns);
        if (pronoun < 0)
        {
            return;
        }
        int pronounLength = Pronouns[pronoun].Length;
        int pronounStart = w.Length - pronounLength;
        foreach (string form in BeforePronoun)
        {
            if (w.Has(pronounStart - form.Length, form))
            {
                if (pronounStart - form.Length >= rv) // the ending, not just the pronoun, lies in RV
                {
                    if (form.Length == 4)
                    {
                        w.Chop(pronounLength); // -ando / -endo: the pronoun goes
                    }
                    else
                    {
                        w.ReplaceEnd(pronounLength, "e"); // -ar -er -ir: the infinitive gets its e back
                    }
                }
                return;
            }
        }
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
            case "logia" or "logie":
                return w.ReplaceEndIf(suffix, "log", start >= r2);
            case "uzione" or "uzioni" or "usione" or "usioni":
                return w.ReplaceEndIf(suffix, "u", start >= r2);
            case "enza" or "enze":
                return w.ReplaceEndIf(suffix, "ente", start >= r2);
            case "amento" or "amenti" or "imento" or "imenti":
                return w.ReplaceEndIf(suffix, "", start >= rv);
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
            case "azione" or "azioni" or "atore" or "atori":
                w.ChopIfFrom("ic", r2);
                break;
            case "ità":
                int after = w.Longest(AfterIta);
                if (after >= 0 && w.Length - AfterIta[after].Length >= r2)
                {
                    w.Chop(AfterIta[after].Length);
                }
                break;
            case "ivo" or "ivi" or "iva" or "ive":
                // -ativ then -icativ: the ic goes only when the at did.
                if (w.ChopIfFrom("at", r2))
                {
                    w.ChopIfFrom("ic", r2);
                }
                break;
        }
        return true;
    }

    /// <summary>Verb endings inside RV (a longer ending reaching before RV does not match; a shorter one may).</summary>
    private static void VerbSuffix(ref StemBuffer w, int rv)
    {
        int found = w.Length < rv ? -1 : w.Longest(Verb, rv);
        if (found >= 0)
        {
            w.Chop(Verb[found].Length);
        }
    }

    private static void VowelSuffix(ref StemBuffer w, int rv)
    {
        if (w.Length - 1 >= rv && w.At(w.Length - 1) is 'a' or 'e' or 'i' or 'o' or 'à' or 'è' or 'ì' or 'ò')
        {
            w.Chop(1);
            if (w.Length - 1 >= rv && w.At(w.Length - 1) == 'i')
            {
                w.Chop(1);
            }
        }
        // -ch / -gh: the region test is on the c or g, not on the h.
        if (w.At(w.Length - 1) == 'h' && w.At(w.Length - 2) is 'c' or 'g' && w.Length - 2 >= rv)
        {
            w.Chop(1);
        }
    }
}

namespace VectLite.Text.Analysis;

/// <summary>
/// The Snowball French stemmer ("continuellement" to "continuel", "majestueusement" to "majestu"), ported from
/// Snowball's french.sbl in the version Lucene 4.8 ships (with the 2006 "par", "col", "tap" exception for RV and the
/// -amment, -emment, -ment rules that hand the word on to the verb steps). Stateless and thread-safe.
/// </summary>
/// <remarks>
/// How it works (https://snowballstem.org/algorithms/french/stemmer.html):
/// <list type="number">
/// <item>Prelude: u or i between vowels, y next to a vowel, and the u of qu are marked as consonants (U, I, Y).</item>
/// <item>RV is the region after the third letter when the word starts with two vowels or with par, col or tap, else
/// after the first vowel that is not the first letter; R1 and R2 are the usual regions (after a non-vowel that follows
/// a vowel, twice). Vowels are a e i o u y â à ë é ê è ï î ô û ù.</item>
/// <item>Step 1 removes standard suffixes (-ance, -ation, -ement, -ité, -if, -eaux, -ment ...); when it does nothing,
/// step 2a removes -i verb endings after a non-vowel, else step 2b other verb endings, all inside RV. After any of
/// them a final Y becomes i and a final ç becomes c.</item>
/// <item>Otherwise step 4 removes a residual -s (not after a i o u è s) and then, inside RV, -ion after s or t,
/// -ier/-ière to -i, a final -e, or -ë after gu.</item>
/// <item>Then -enn -onn -ett -ell -eill lose their last letter, é or è before the final non-vowels becomes e, and the
/// marks are undone.</item>
/// </list>
/// The input is expected lowercase and unfolded (é, è, ç ... as they are written).
/// </remarks>
internal static class FrenchStemmer
{
    // Each table is ordered longest first: StemBuffer.Longest then finds Snowball's among match.
    private static readonly string[] Standard =
    [
        "issements", "issement", "atrices", "ements", "usions", "utions", "logies", "ateurs", "ations", "amment",
        "emment", "atrice", "iqUes", "ances", "ences", "ables", "ismes", "euses", "istes", "ement", "logie", "usion",
        "ation", "ution", "ateur", "ments", "ités", "iqUe", "ance", "ence", "able", "isme", "euse", "iste", "ives",
        "ment", "eaux", "ifs", "ive", "aux", "eux", "ité", "if",
    ];

    private static readonly string[] AfterEment = ["iqU", "abl", "Ièr", "ièr", "eus", "iv"];
    private static readonly string[] AfterIte = ["abil", "ic", "iv"];

    private static readonly string[] IVerb =
    [
        "issantes", "issaIent", "issante", "issants", "iraIent", "issions", "issais", "issait", "issant", "issent",
        "issiez", "issons", "irions", "irais", "irait", "irent", "iriez", "irons", "iront", "isses", "issez", "îmes",
        "îtes", "irai", "iras", "irez", "isse", "ira", "ies", "ie", "ir", "is", "it", "ît", "i",
    ];

    private static readonly string[] Verb =
    [
        "eraIent", "assions", "erions", "assent", "assiez", "èrent", "erais", "erait", "eriez", "erons", "eront",
        "aIent", "antes", "asses", "ions", "erai", "eras", "erez", "âmes", "âtes", "ante", "ants", "asse", "ées", "era",
        "iez", "ais", "ait", "ant", "ée", "és", "er", "ez", "ât", "ai", "as", "é", "a",
    ];

    private static readonly string[] Residual = ["ière", "Ière", "ier", "Ier", "ion", "e", "ë"];
    private static readonly string[] Doubles = ["eill", "enn", "onn", "ett", "ell"];

    /// <summary>Returns the stem of <paramref name="word"/> (lowercase input).</summary>
    public static string Stem(string word)
    {
        int size = StemBuffer.StorageFor(word);
        var w = new StemBuffer(word, size <= 256 ? stackalloc char[size] : new char[size]);
        Prelude(ref w);
        var r = MarkRegions(ref w);
        if (StandardSuffix(ref w, r) || IVerbSuffix(ref w, r) || VerbSuffix(ref w, r))
        {
            if (w.EndsWith("Y"))
            {
                w.ReplaceEnd(1, "i");
            }
            else if (w.EndsWith("ç"))
            {
                w.ReplaceEnd(1, "c");
            }
        }
        else
        {
            ResidualSuffix(ref w, r);
        }
        if (w.Longest(Doubles) >= 0)
        {
            w.Chop(1);
        }
        UnAccent(ref w);
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = w[i] switch { 'I' => 'i', 'U' => 'u', 'Y' => 'y', char c => c };
        }
        return w.ToString(word);
    }

    /// <summary>The regions: RV from <see cref="RV"/>, R1 from <see cref="R1"/>, R2 from <see cref="R2"/>.</summary>
    private readonly record struct Regions(int RV, int R1, int R2);

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y' or 'â' or 'à' or 'ë' or 'é' or 'ê' or 'è' or 'ï' or 'î' or 'ô' or 'û' or 'ù';

    /// <summary>This language's vowels, for <see cref="SnowballRegions"/>.</summary>
    private readonly struct Vowels : ISnowballVowels
    {
        public static bool IsVowel(char c) => FrenchStemmer.IsVowel(c);
    }

    private static void Prelude(ref StemBuffer w)
    {
        // Snowball's "repeat goto": after a mark the same position is tried again, so loop until nothing applies there.
        int i = 0;
        while (i < w.Length)
        {
            if (!MarkAt(ref w, i))
            {
                i++;
            }
        }
    }

    private static bool MarkAt(ref StemBuffer w, int i)
    {
        if (IsVowel(w[i]))
        {
            char next = w.At(i + 1);
            if ((next == 'u' || next == 'i') && IsVowel(w.At(i + 2)))
            {
                w[i + 1] = char.ToUpperInvariant(next);
                return true;
            }
            if (next == 'y')
            {
                w[i + 1] = 'Y';
                return true;
            }
        }
        if (w[i] == 'y' && IsVowel(w.At(i + 1)))
        {
            w[i] = 'Y';
            return true;
        }
        if (w[i] == 'q' && w.At(i + 1) == 'u')
        {
            w[i + 1] = 'U';
            return true;
        }
        return false;
    }

    private static Regions MarkRegions(ref StemBuffer w)
    {
        int rv = w.Length;
        if (w.Length >= 3 && IsVowel(w[0]) && IsVowel(w[1]))
        {
            rv = 3;
        }
        else if (w.Has(0, "par") || w.Has(0, "col") || w.Has(0, "tap"))
        {
            rv = 3;
        }
        else
        {
            for (int i = 1; i < w.Length; i++)
            {
                if (IsVowel(w[i]))
                {
                    rv = i + 1;
                    break;
                }
            }
        }
        int r1 = SnowballRegions.After<Vowels>(ref w, 0);
        int r2 = r1 < w.Length ? SnowballRegions.After<Vowels>(ref w, r1) : w.Length;
        return new Regions(rv, r1, r2);
    }

    /// <summary>Step 1. False when nothing was removed, or when the rule hands the word on to the verb steps.</summary>
    private static bool StandardSuffix(ref StemBuffer w, Regions r)
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
            case "ance" or "iqUe" or "isme" or "able" or "iste" or "eux" or "ances" or "iqUes" or "ismes" or "ables" or "istes":
                return DeleteIn(ref w, suffix, start >= r.R2);
            case "atrice" or "ateur" or "ation" or "atrices" or "ateurs" or "ations":
                if (start < r.R2)
                {
                    return false;
                }
                w.Chop(suffix.Length);
                DeleteOrReplaceIc(ref w, r);
                return true;
            case "logie" or "logies":
                return ReplaceIn(ref w, suffix, "log", start >= r.R2);
            case "usion" or "ution" or "usions" or "utions":
                return ReplaceIn(ref w, suffix, "u", start >= r.R2);
            case "ence" or "ences":
                return ReplaceIn(ref w, suffix, "ent", start >= r.R2);
            case "ement" or "ements":
                if (start < r.RV)
                {
                    return false;
                }
                w.Chop(suffix.Length);
                AfterEmentSuffix(ref w, r);
                return true;
            case "ité" or "ités":
                if (start < r.R2)
                {
                    return false;
                }
                w.Chop(suffix.Length);
                int tail = w.Longest(AfterIte);
                int tailStart = tail < 0 ? 0 : w.Length - AfterIte[tail].Length;
                switch (tail)
                {
                    case 0: // abil
                        if (tailStart >= r.R2) { w.Chop(4); } else { w.ReplaceEnd(4, "abl"); }
                        break;
                    case 1: // ic
                        if (tailStart >= r.R2) { w.Chop(2); } else { w.ReplaceEnd(2, "iqU"); }
                        break;
                    case 2: // iv
                        if (tailStart >= r.R2) { w.Chop(2); }
                        break;
                }
                return true;
            case "if" or "ive" or "ifs" or "ives":
                if (start < r.R2)
                {
                    return false;
                }
                w.Chop(suffix.Length);
                if (w.EndsWith("at") && w.Length - 2 >= r.R2)
                {
                    w.Chop(2);
                    DeleteOrReplaceIc(ref w, r);
                }
                return true;
            case "eaux":
                w.ReplaceEnd(4, "eau");
                return true;
            case "aux":
                return ReplaceIn(ref w, suffix, "al", start >= r.R1);
            case "euse" or "euses":
                if (start >= r.R2)
                {
                    w.Chop(suffix.Length);
                    return true;
                }
                return ReplaceIn(ref w, suffix, "eux", start >= r.R1);
            case "issement" or "issements":
                return DeleteIn(ref w, suffix, start >= r.R1 && start >= 1 && !IsVowel(w[start - 1]));
            case "amment":
                if (start >= r.RV)
                {
                    w.ReplaceEnd(suffix.Length, "ant"); // and fail: the verb steps see "-ant"
                }
                return false;
            case "emment":
                if (start >= r.RV)
                {
                    w.ReplaceEnd(suffix.Length, "ent");
                }
                return false;
            default: // "ment", "ments": after a vowel in RV; removed, and the verb steps still run
                if (start >= 1 && IsVowel(w[start - 1]) && start - 1 >= r.RV)
                {
                    w.Chop(suffix.Length);
                }
                return false;
        }
    }

    private static bool DeleteIn(ref StemBuffer w, string suffix, bool inRegion)
    {
        if (inRegion)
        {
            w.Chop(suffix.Length);
        }
        return inRegion;
    }

    private static bool ReplaceIn(ref StemBuffer w, string suffix, string replacement, bool inRegion)
    {
        if (inRegion)
        {
            w.ReplaceEnd(suffix.Length, replacement);
        }
        return inRegion;
    }

    /// <summary>A final -ic is deleted in R2, else becomes -iqU.</summary>
    private static void DeleteOrReplaceIc(ref StemBuffer w, Regions r)
    {
        if (!w.EndsWith("ic"))
        {
            return;
        }
        if (w.Length - 2 >= r.R2)
        {
            w.Chop(2);
        }
        else
        {
            w.ReplaceEnd(2, "iqU");
        }
    }

    private static void AfterEmentSuffix(ref StemBuffer w, Regions r)
    {
        int found = w.Longest(AfterEment);
        if (found < 0)
        {
            return;
        }
        int start = w.Length - AfterEment[found].Length;
        switch (AfterEment[found])
        {
            case "iv":
                if (start >= r.R2)
                {
                    w.Chop(2);
                    if (w.EndsWith("at") && w.Length - 2 >= r.R2)
                    {
                        w.Chop(2);
                    }
                }
                break;
            case "eus":
                if (start >= r.R2)
                {
                    w.Chop(3);
                }
                else if (start >= r.R1)
                {
                    w.ReplaceEnd(3, "eux");
                }
                break;
            case "abl" or "iqU":
                if (start >= r.R2)
                {
                    w.Chop(3);
                }
                break;
            default: // ièr, Ièr
                if (start >= r.RV)
                {
                    w.ReplaceEnd(3, "i");
                }
                break;
        }
    }

    /// <summary>Step 2a: an -i verb ending inside RV, after a non-vowel that is also inside RV.</summary>
    private static bool IVerbSuffix(ref StemBuffer w, Regions r)
    {
        int found = w.Length < r.RV ? -1 : w.Longest(IVerb, r.RV);
        if (found < 0)
        {
            return false;
        }
        int start = w.Length - IVerb[found].Length;
        if (start - 1 < r.RV || IsVowel(w[start - 1]))
        {
            return false;
        }
        w.Chop(IVerb[found].Length);
        return true;
    }

    /// <summary>Step 2b: other verb endings inside RV (-ions only in R2; -a... endings also take an -e before them).</summary>
    private static bool VerbSuffix(ref StemBuffer w, Regions r)
    {
        int found = w.Length < r.RV ? -1 : w.Longest(Verb, r.RV);
        if (found < 0)
        {
            return false;
        }
        string suffix = Verb[found];
        int start = w.Length - suffix.Length;
        if (suffix == "ions")
        {
            return DeleteIn(ref w, suffix, start >= r.R2);
        }
        w.Chop(suffix.Length);
        if (suffix[0] is 'a' or 'â' && w.EndsWith("e") && w.Length - 1 >= r.RV)
        {
            w.Chop(1);
        }
        return true;
    }

    /// <summary>Step 4: a residual -s, then -ion, -ier, -e, -ë inside RV.</summary>
    private static void ResidualSuffix(ref StemBuffer w, Regions r)
    {
        if (w.Length >= 2 && w[w.Length - 1] == 's' && w[w.Length - 2] is not ('a' or 'i' or 'o' or 'u' or 'è' or 's'))
        {
            w.Chop(1);
        }
        if (w.Length < r.RV)
        {
            return;
        }
        int found = w.Longest(Residual, r.RV);
        if (found < 0)
        {
            return;
        }
        int start = w.Length - Residual[found].Length;
        switch (Residual[found])
        {
            case "ion":
                if (start >= r.R2 && start - 1 >= r.RV && w[start - 1] is 's' or 't')
                {
                    w.Chop(3);
                }
                break;
            case "e":
                w.Chop(1);
                break;
            case "ë":
                if (start - 2 >= r.RV && w.Has(start - 2, "gu"))
                {
                    w.Chop(1);
                }
                break;
            default: // ier, ière, Ier, Ière
                w.ReplaceEnd(Residual[found].Length, "i");
                break;
        }
    }

    /// <summary>An é or è before the final non-vowels (at least one) becomes e.</summary>
    private static void UnAccent(ref StemBuffer w)
    {
        int i = w.Length - 1;
        while (i >= 0 && !IsVowel(w[i]))
        {
            i--;
        }
        if (i < w.Length - 1 && i >= 0 && w[i] is 'é' or 'è')
        {
            w[i] = 'e';
        }
    }
}

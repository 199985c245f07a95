namespace VectLite.Text.Analysis;

/// <summary>
/// The Snowball German stemmer ("Häuser" to "haus", "aufeinanderfolgenden" to "aufeinanderfolg"), ported from
/// Snowball's german.sbl in the version Lucene 4.8 ships (the original 2002 algorithm: umlauts are kept while stemming
/// and mapped to their base vowel at the end; no "-nis" rule, which Snowball 2.x added). Stateless and thread-safe.
/// </summary>
/// <remarks>
/// How it works (https://snowballstem.org/algorithms/german/stemmer.html):
/// <list type="number">
/// <item>Prelude: ß becomes ss; a u or y between vowels is marked as a consonant (U, Y).</item>
/// <item>R1 is the region after the first non-vowel that follows a vowel, moved to start at the fourth letter at the
/// earliest; R2 is the same rule applied again after R1's unadjusted start. Vowels are a e i o u y ä ö ü.</item>
/// <item>Step 1 removes the longest of -ern -em -en -er -es -e in R1, or -s after a valid s-ending (b d f g h k l m n r t).</item>
/// <item>Step 2 removes -est -en -er in R1, or -st after a valid st-ending (the s-endings but r) that has three
/// letters before it.</item>
/// <item>Step 3 removes derivational suffixes in R2: -end -ung (then -ig not after e), -ig -ik -isch (not after e),
/// -lich -heit (then -er or -en in R1), -keit (then -lich or -ig in R2).</item>
/// <item>Postlude: U and Y back to u and y; ä ö ü to a o u.</item>
/// </list>
/// The input is expected lowercase and unfolded (ä, ö, ü, ß as they are written).
/// </remarks>
internal static class GermanStemmer
{
    private static readonly string[] Step1 = ["ern", "em", "en", "er", "es", "e", "s"];
    private static readonly string[] Step2 = ["est", "en", "er", "st"];
    private static readonly string[] Step3 = ["heit", "keit", "lich", "isch", "end", "ung", "ig", "ik"];
    private static readonly string[] KeitTail = ["lich", "ig"];

    /// <summary>Returns the stem of <paramref name="word"/> (lowercase input).</summary>
    public static string Stem(string word)
    {
        int size = StemBuffer.StorageFor(word);
        var w = new StemBuffer(word, size <= 256 ? stackalloc char[size] : new char[size]);
        Prelude(ref w);
        MarkRegions(ref w, out int r1, out int r2);
        Step1Inflection(ref w, r1);
        Step2Inflection(ref w, r1);
        Step3Derivation(ref w, r1, r2);
        Postlude(ref w);
        return w.ToString(word);
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y' or 'ä' or 'ö' or 'ü';

    /// <summary>This language's vowels, for <see cref="SnowballRegions"/>.</summary>
    private readonly struct Vowels : ISnowballVowels
    {
        public static bool IsVowel(char c) => GermanStemmer.IsVowel(c);
    }

    private static bool IsSEnding(char c) => c is 'b' or 'd' or 'f' or 'g' or 'h' or 'k' or 'l' or 'm' or 'n' or 'r' or 't';

    private static void Prelude(ref StemBuffer w)
    {
        for (int i = 0; i < w.Length; i++)
        {
            if (w[i] == 'ß')
            {
                w.Replace(i, 1, "ss");
            }
        }
        // Left to right, so an already marked U or Y is no longer a vowel for the letter after it.
        for (int i = 0; i + 2 < w.Length; i++)
        {
            if (IsVowel(w[i]) && w[i + 1] is 'u' or 'y' && IsVowel(w[i + 2]))
            {
                w[i + 1] = char.ToUpperInvariant(w[i + 1]);
            }
        }
    }

    private static void MarkRegions(ref StemBuffer w, out int r1, out int r2)
    {
        r1 = r2 = w.Length;
        if (w.Length < 3)
        {
            return;
        }
        int p1 = SnowballRegions.After<Vowels>(ref w, 0);
        r1 = Math.Max(p1, 3);
        if (p1 < w.Length)
        {
            r2 = SnowballRegions.After<Vowels>(ref w, p1);
        }
    }

    private static void Step1Inflection(ref StemBuffer w, int r1)
    {
        int found = w.Longest(Step1);
        if (found < 0 || w.Length - Step1[found].Length < r1)
        {
            return;
        }
        if (Step1[found] == "s" && !IsSEnding(w.At(w.Length - 2)))
        {
            return;
        }
        w.Chop(Step1[found].Length);
    }

    private static void Step2Inflection(ref StemBuffer w, int r1)
    {
        int found = w.Longest(Step2);
        int start = found < 0 ? 0 : w.Length - Step2[found].Length;
        if (found < 0 || start < r1)
        {
            return;
        }
        if (Step2[found] == "st" && (!IsSEnding(w.At(start - 1)) || w.At(start - 1) == 'r' || start - 1 < 3))
        {
            return;
        }
        w.Chop(Step2[found].Length);
    }

    private static void Step3Derivation(ref StemBuffer w, int r1, int r2)
    {
        int found = w.Longest(Step3);
        int start = found < 0 ? 0 : w.Length - Step3[found].Length;
        if (found < 0 || start < r2)
        {
            return;
        }
        switch (Step3[found])
        {
            case "end" or "ung":
                w.Chop(3);
                if (w.EndsWith("ig") && w.At(w.Length - 3) != 'e' && w.Length - 2 >= r2)
                {
                    w.Chop(2);
                }
                break;
            case "ig" or "ik" or "isch":
                if (w.At(start - 1) != 'e')
                {
                    w.Chop(Step3[found].Length);
                }
                break;
            case "lich" or "heit":
                w.Chop(4);
                if ((w.EndsWith("er") || w.EndsWith("en")) && w.Length - 2 >= r1)
                {
                    w.Chop(2);
                }
                break;
            case "keit":
                w.Chop(4);
                int tail = w.Longest(KeitTail);
                if (tail >= 0 && w.Length - KeitTail[tail].Length >= r2)
                {
                    w.Chop(KeitTail[tail].Length);
                }
                break;
        }
    }

    private static void Postlude(ref StemBuffer w)
    {
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = w[i] switch
            {
                'U' => 'u',
                'Y' => 'y',
                'ä' => 'a',
                'ö' => 'o',
                'ü' => 'u',
                char c => c,
            };
        }
    }
}

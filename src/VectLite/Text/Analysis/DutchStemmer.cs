namespace VectLite.Text.Analysis;

/// <summary>
/// The Snowball Dutch stemmer ("lichamelijke" to "licham", "opgaven" to "opgav"), ported from Snowball's dutch.sbl
/// (Martin Porter's "dutch" algorithm, not Kraaij-Pohlmann's "kp") in the version Lucene 4.8 ships. Stateless and
/// thread-safe.
/// </summary>
/// <remarks>
/// How it works (https://snowballstem.org/algorithms/dutch/stemmer.html):
/// <list type="number">
/// <item>Prelude: ä á ë é ï í ö ó ü ú lose their accent; an initial y, a y after a vowel and an i between vowels are
/// marked as consonants (Y, I). Vowels are a e i o u y è. R1 starts after the first consonant that follows a vowel,
/// but not before the fourth letter; R2 likewise after R1.</item>
/// <item>Step 1: -heden in R1 becomes -heid; -en / -ene in R1 after a consonant (not after "gem") go; -s / -se in R1
/// after a consonant other than j go.</item>
/// <item>Step 2: a final -e in R1 after a consonant goes (and "e found" is noted). After any removal of -en or -e, a
/// final kk, dd or tt is undoubled.</item>
/// <item>Step 3a: -heid in R2, not after c, goes, and then an -en before it as in step 1. Step 3b: -end / -ing in R2
/// go (then -ig in R2 not after e, or an undoubling); -ig in R2 not after e; -lijk in R2 (then step 2 again); -baar in
/// R2; -bar in R2 when step 2 removed an e.</item>
/// <item>Step 4: a doubled vowel (aa ee oo uu) between a consonant and a final consonant is undoubled ("maan" to
/// "man"). The postlude turns Y and I back to lower case.</item>
/// </list>
/// The input is expected lowercase and unfolded (ë, é ... as they are written).
/// </remarks>
internal static class DutchStemmer
{
    // Longest first: the first that ends the word is Snowball's among match.
    private static readonly string[] Step3b = ["lijk", "baar", "end", "ing", "bar", "ig"];

    /// <summary>Returns the stem of <paramref name="word"/> (lowercase input).</summary>
    public static string Stem(string word)
    {
        int size = StemBuffer.StorageFor(word);
        var w = new StemBuffer(word, size <= 256 ? stackalloc char[size] : new char[size]);
        Prelude(ref w);
        MarkRegions(ref w, out int r1, out int r2);
        StandardSuffix(ref w, r1, r2);
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = w[i] switch { 'I' => 'i', 'Y' => 'y', char c => c };
        }
        return w.ToString(word);
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y' or 'è';

    private static void Prelude(ref StemBuffer w)
    {
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = w[i] switch
            {
                'ä' or 'á' => 'a',
                'ë' or 'é' => 'e',
                'ï' or 'í' => 'i',
                'ö' or 'ó' => 'o',
                'ü' or 'ú' => 'u',
                char c => c,
            };
        }
        if (w.At(0) == 'y')
        {
            w[0] = 'Y';
        }
        // Left to right on the word as it changes, as Snowball's "repeat goto": a marked letter is no longer the
        // vowel before the next one.
        for (int i = 1; i < w.Length; i++)
        {
            if (!IsVowel(w[i - 1]))
            {
                continue;
            }
            if (w[i] == 'i' && IsVowel(w.At(i + 1)))
            {
                w[i] = 'I';
            }
            else if (w[i] == 'y')
            {
                w[i] = 'Y';
            }
        }
    }

    private static void MarkRegions(ref StemBuffer w, out int r1, out int r2)
    {
        r1 = w.Length;
        r2 = w.Length;
        int end = ConsonantAfterVowel(ref w, 0);
        if (end < 0)
        {
            return;
        }
        r1 = Math.Max(end, 3); // R1 never starts before the fourth letter; R2 is still sought from the real end
        int end2 = ConsonantAfterVowel(ref w, end);
        if (end2 >= 0)
        {
            r2 = end2;
        }
    }

    /// <summary>The position after the first consonant that follows a vowel, searching from <paramref name="start"/>; -1 if none.</summary>
    private static int ConsonantAfterVowel(ref StemBuffer w, int start)
    {
        int i = start;
        while (i < w.Length && !IsVowel(w[i]))
        {
            i++;
        }
        while (i < w.Length && IsVowel(w[i]))
        {
            i++;
        }
        return i < w.Length ? i + 1 : -1;
    }

    private static bool IsConsonantAt(ref StemBuffer w, int index) => index >= 0 && index < w.Length && !IsVowel(w[index]);

    private static void StandardSuffix(ref StemBuffer w, int r1, int r2)
    {
        // Step 1 (Snowball's among: the longest of -heden -ene -en -se -s, no fallback to a shorter one).
        if (w.EndsWith("heden"))
        {
            if (w.Length - 5 >= r1)
            {
                w.ReplaceEnd(5, "heid");
            }
        }
        else if (w.EndsWith("ene") || w.EndsWith("en"))
        {
            EnEnding(ref w, w.EndsWith("ene") ? 3 : 2, r1);
        }
        else if (w.EndsWith("se") || w.EndsWith("s"))
        {
            int length = w.EndsWith("se") ? 2 : 1;
            int start = w.Length - length;
            if (start >= r1 && IsConsonantAt(ref w, start - 1) && w[start - 1] != 'j')
            {
                w.Chop(length);
            }
        }

        // Step 2.
        bool eFound = EEnding(ref w, r1);

        // Step 3a.
        if (w.EndsWith("heid") && w.Length - 4 >= r2 && w.At(w.Length - 5) != 'c')
        {
            w.Chop(4);
            if (w.EndsWith("en"))
            {
                EnEnding(ref w, 2, r1);
            }
        }

        // Step 3b.
        string? suffix = null;
        foreach (string candidate in Step3b)
        {
            if (w.EndsWith(candidate))
            {
                suffix = candidate;
                break;
            }
        }
        int suffixStart = suffix is null ? -1 : w.Length - suffix.Length;
        if (suffix is not null && suffixStart >= r2)
        {
            switch (suffix)
            {
                case "end" or "ing":
                    w.Chop(suffix.Length);
                    if (w.EndsWith("ig") && w.Length - 2 >= r2 && w.At(w.Length - 3) != 'e')
                    {
                        w.Chop(2);
                    }
                    else
                    {
                        Undouble(ref w);
                    }
                    break;
                case "ig":
                    if (w.At(suffixStart - 1) != 'e')
                    {
                        w.Chop(2);
                    }
                    break;
                case "lijk":
                    w.Chop(4);
                    EEnding(ref w, r1);
                    break;
                case "baar":
                    w.Chop(4);
                    break;
                case "bar":
                    if (eFound)
                    {
                        w.Chop(3);
                    }
                    break;
            }
        }

        // Step 4: consonant, doubled vowel, final consonant (not I): the doubled vowel loses a letter.
        int n = w.Length;
        if (n >= 4 && !IsVowel(w[n - 1]) && w[n - 1] != 'I' && w[n - 2] == w[n - 3] && w[n - 2] is 'a' or 'e' or 'o' or 'u'
            && !IsVowel(w[n - 4]))
        {
            w.Replace(n - 2, 1, "");
        }
    }

    /// <summary>
    /// Removes the -en or -ene ending the word (<paramref name="length"/> letters) when it starts in R1 after a
    /// consonant and not after "gem", then undoubles.
    /// </summary>
    private static void EnEnding(ref StemBuffer w, int length, int r1)
    {
        int start = w.Length - length;
        if (start >= r1 && IsConsonantAt(ref w, start - 1) && !w.Has(start - 3, "gem"))
        {
            w.Chop(length);
            Undouble(ref w);
        }
    }

    /// <summary>Removes a final -e in R1 after a consonant, then undoubles; returns whether the e went.</summary>
    private static bool EEnding(ref StemBuffer w, int r1)
    {
        int start = w.Length - 1;
        if (w.At(start) == 'e' && start >= r1 && IsConsonantAt(ref w, start - 1))
        {
            w.Chop(1);
            Undouble(ref w);
            return true;
        }
        return false;
    }

    /// <summary>A final kk, dd or tt loses its last letter.</summary>
    private static void Undouble(ref StemBuffer w)
    {
        if (w.EndsWith("kk") || w.EndsWith("dd") || w.EndsWith("tt"))
        {
            w.Chop(1);
        }
    }
}

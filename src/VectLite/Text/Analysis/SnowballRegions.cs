namespace VectLite.Text.Analysis;

/// <summary>
/// The regions Snowball's stemmers confine suffix removal to, defined once for every language that uses them
/// (snowballstem.org, "R1, R2 and RV"): R1 and R2, and the RV of the Spanish, Portuguese and Italian stemmers. Each
/// language supplies its vowels; the rules that differ (German's and Dutch's R1 floor, French's RV) stay in its stemmer.
/// </summary>
internal static class SnowballRegions
{
    /// <summary>
    /// The position after the first non-vowel that follows a vowel at or after <paramref name="start"/>; the length if
    /// none. R1 is this from 0, R2 this from R1.
    /// </summary>
    public static int After<TVowels>(ref StemBuffer w, int start)
        where TVowels : ISnowballVowels
    {
        for (int i = start + 1; i < w.Length; i++)
        {
            if (!TVowels.IsVowel(w[i]) && TVowels.IsVowel(w[i - 1]))
            {
                return i + 1;
            }
        }
        return w.Length;
    }

    /// <summary>
    /// RV, R1 and R2 as the Spanish, Portuguese and Italian stemmers define them. RV: if the second letter is a consonant,
    /// the region after the next vowel; if the first two letters are vowels, after the next consonant; otherwise
    /// (consonant, vowel) the region after the third letter; the end of the word if none of these exists.
    /// </summary>
    public static void Romance<TVowels>(ref StemBuffer w, out int rv, out int r1, out int r2)
        where TVowels : ISnowballVowels
    {
        rv = w.Length;
        if (w.Length >= 2)
        {
            if (TVowels.IsVowel(w[0]))
            {
                // vowel, consonant: after the next vowel; two vowels: after the next consonant.
                int i = 2;
                bool wantVowel = !TVowels.IsVowel(w[1]);
                while (i < w.Length && TVowels.IsVowel(w[i]) != wantVowel)
                {
                    i++;
                }
                rv = i < w.Length ? i + 1 : w.Length;
            }
            else if (!TVowels.IsVowel(w[1]))
            {
                int i = 2;
                while (i < w.Length && !TVowels.IsVowel(w[i]))
                {
                    i++;
                }
                rv = i < w.Length ? i + 1 : w.Length;
            }
            else if (w.Length >= 3)
            {
                rv = 3;
            }
        }
        r1 = After<TVowels>(ref w, 0);
        r2 = r1 < w.Length ? After<TVowels>(ref w, r1) : w.Length;
    }
}

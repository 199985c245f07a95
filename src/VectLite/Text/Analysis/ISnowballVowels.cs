namespace VectLite.Text.Analysis;

/// <summary>
/// A language's vowels as its Snowball stemmer defines them: the type argument of <see cref="SnowballRegions"/>, so the
/// shared region code runs with each language's test inlined (a static abstract member, no delegate call per letter).
/// </summary>
internal interface ISnowballVowels
{
    /// <summary>Whether <paramref name="c"/> is a vowel of the language.</summary>
    static abstract bool IsVowel(char c);
}

namespace VectLite;

/// <summary>
/// The rule for every string VectLite stores or compares (ids, namespaces, payload keys and strings, filter values):
/// it must be well-formed UTF-16. Files hold UTF-8, where an unpaired surrogate has no encoding; accepting one would
/// silently turn it into U+FFFD on the way to disk, so two distinct ids could become one after a reopen.
/// </summary>
internal static class UnicodeText
{
    /// <summary>The index of the first unpaired surrogate in <paramref name="text"/>, or -1 when it is well formed.</summary>
    public static int FindUnpairedSurrogate(ReadOnlySpan<char> text)
    {
        int i = text.IndexOfAnyInRange('\uD800', '\uDFFF'); // vectorised: the common case ends here
        if (i < 0)
        {
            return -1;
        }
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }
                return i;
            }
            if (char.IsLowSurrogate(c))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Describes the problem for an error message, or returns null when <paramref name="text"/> is well formed.</summary>
    public static string? Problem(ReadOnlySpan<char> text)
    {
        int at = FindUnpairedSurrogate(text);
        return at < 0 ? null : $"it holds an unpaired UTF-16 surrogate (U+{(int)text[at]:X4}) at index {at}, which cannot be stored";
    }
}

namespace VectLite.Text.Analysis;

/// <summary>
/// The word a Snowball stemmer works on: characters in caller-provided (usually stack) memory, edited in place at the
/// end, the way Snowball's backward mode edits its string. Shared by the non-English stemmers so each of them reads as
/// its algorithm's steps and nothing else.
/// </summary>
/// <remarks>
/// The storage must hold twice the word plus a few characters: preludes may widen a letter to two ("ß" to "ss",
/// "ã" to "a~"), and no step lengthens the word by more than two.
/// </remarks>
internal ref struct StemBuffer
{
    private readonly Span<char> _c;

    /// <summary>Copies <paramref name="word"/> into <paramref name="storage"/>.</summary>
    public StemBuffer(string word, Span<char> storage)
    {
        _c = storage;
        word.CopyTo(_c);
        Length = word.Length;
    }

    /// <summary>The storage a buffer for <paramref name="word"/> needs.</summary>
    public static int StorageFor(string word) => word.Length * 2 + 4;

    /// <summary>The current length of the word.</summary>
    public int Length { get; private set; }

    /// <summary>The character at <paramref name="index"/> (0 &lt;= index &lt; Length).</summary>
    public char this[int index]
    {
        readonly get => _c[index];
        set => _c[index] = value;
    }

    /// <summary>The character at <paramref name="index"/>, or '\0' outside the word (Snowball's failed test at either end).</summary>
    public readonly char At(int index) => (uint)index < (uint)Length ? _c[index] : '\0';

    /// <summary>The word as it is now.</summary>
    public readonly ReadOnlySpan<char> Span => _c[..Length];

    /// <summary>Whether the word ends with <paramref name="suffix"/>.</summary>
    public readonly bool EndsWith(string suffix) => Span.EndsWith(suffix, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="text"/> occurs at <paramref name="index"/>.</summary>
    public readonly bool Has(int index, string text) =>
        index >= 0 && index + text.Length <= Length && _c.Slice(index, text.Length).SequenceEqual(text);

    /// <summary>
    /// The index in <paramref name="suffixes"/> of the first entry that ends the word, or -1. Tables are ordered longest
    /// first, so this is Snowball's <c>among</c>: the longest matching suffix, with no fallback to a shorter one.
    /// </summary>
    public readonly int Longest(string[] suffixes) => Longest(suffixes, 0);

    /// <summary>
    /// Like <see cref="Longest(string[])"/>, for a suffix that must start at or after <paramref name="limit"/>
    /// (Snowball's <c>setlimit tomark</c>: a longer suffix reaching before the limit does not match, a shorter one may).
    /// </summary>
    public readonly int Longest(string[] suffixes, int limit)
    {
        for (int i = 0; i < suffixes.Length; i++)
        {
            if (Length - suffixes[i].Length >= limit && EndsWith(suffixes[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Removes the last <paramref name="count"/> characters.</summary>
    public void Chop(int count) => Length -= count;

    /// <summary>Replaces the last <paramref name="count"/> characters by <paramref name="replacement"/>.</summary>
    public void ReplaceEnd(int count, string replacement) => Replace(Length - count, count, replacement);

    /// <summary>
    /// Removes <paramref name="suffix"/> if the word ends with it and it starts at or after <paramref name="region"/> (a
    /// region's start: R1, R2, RV); returns whether it did.
    /// </summary>
    public bool ChopIfFrom(string suffix, int region)
    {
        if (EndsWith(suffix) && Length - suffix.Length >= region)
        {
            Chop(suffix.Length);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Removes the longest of <paramref name="suffixes"/> that ends the word (<see cref="Longest(string[])"/>) if it starts
    /// at or after <paramref name="region"/>; a shorter one is not tried when the longest starts before it.
    /// </summary>
    public void ChopLongestFrom(string[] suffixes, int region)
    {
        int found = Longest(suffixes);
        if (found >= 0 && Length - suffixes[found].Length >= region)
        {
            Chop(suffixes[found].Length);
        }
    }

    /// <summary>
    /// Replaces the word's ending <paramref name="suffix"/> (which the caller found there) by
    /// <paramref name="replacement"/> when <paramref name="condition"/> holds (the suffix lies in its region); returns
    /// <paramref name="condition"/>.
    /// </summary>
    public bool ReplaceEndIf(string suffix, string replacement, bool condition)
    {
        if (condition)
        {
            ReplaceEnd(suffix.Length, replacement);
        }
        return condition;
    }

    /// <summary>Replaces <paramref name="count"/> characters at <paramref name="index"/> by <paramref name="replacement"/>.</summary>
    public void Replace(int index, int count, string replacement)
    {
        int tail = Length - index - count;
        if (replacement.Length != count)
        {
            _c.Slice(index + count, tail).CopyTo(_c[(index + replacement.Length)..]);
        }
        replacement.CopyTo(_c[index..]);
        Length += replacement.Length - count;
    }

    /// <summary>The word as a string; <paramref name="original"/> itself when nothing changed.</summary>
    public readonly string ToString(string original) => Span.SequenceEqual(original) ? original : new string(Span);

    /// <inheritdoc/>
    public override readonly string ToString() => new(Span);
}

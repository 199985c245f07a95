namespace VectLite.Text.Analysis;

/// <summary>
/// Folds Latin letters with diacritics to their ASCII base ("café" to "cafe", "straße" to "strasse", "Ærø" to "AEro"),
/// as Lucene's <c>ASCIIFoldingFilter</c> does for the Latin-1 Supplement and Latin Extended-A and -B blocks. Other
/// characters pass through unchanged.
/// </summary>
/// <remarks>
/// A table, not <see cref="string.Normalize()"/>: normalisation depends on ICU, which an application published with
/// invariant globalization does not have, and the table gives the same answer on every platform. It was generated from
/// the Unicode canonical decompositions (marks dropped) plus the letters that have none (ß, æ, ø, œ, đ, ł, þ, ð ...).
/// </remarks>
internal static class AsciiFolding
{
    private const int First = 0xC0;

    /// <summary>The folding of U+00C0 to U+024F, '|'-separated; an empty entry means the character stays.</summary>
    private const string Table = "A|A|A|A|A|A|AE|C|E|E|E|E|I|I|I|I|D|N|O|O|O|O|O||O|U|U|U|U|Y|TH|ss|a|a|a|a|a|a|ae|c|e|e|e|e|i|i|i|i|d|n|o|o|o|o|o||o|u|u|u|u|y|th|y|A|a|A|a|A|a|C|c|C|c|C|c|C|c|D|d|D|d|E|e|E|e|E|e|E|e|E|e|G|g|G|g|G|g|G|g|H|h|H|h|I|i|I|i|I|i|I|i|I|i|IJ|ij|J|j|K|k|q|L|l|L|l|L|l|L|l|L|l|N|n|N|n|N|n|n|N|n|O|o|O|o|O|o|OE|oe|R|r|R|r|R|r|S|s|S|s|S|s|S|s|T|t|T|t|T|t|U|u|U|u|U|u|U|u|U|u|U|u|W|w|Y|y|Y|Z|z|Z|z|Z|z|s|b|B|||||||||||||||||||||||||||||||O|o||||||||||||||U|u|||||||||||||||||||||||||||||A|a|I|i|O|o|U|u|U|u|U|u|U|u|U|u||A|a|A|a|||||G|g|K|k|O|o|O|o|||j||||G|g|||N|n|A|a|||||A|a|A|a|E|e|E|e|I|i|I|i|O|o|O|o|R|r|R|r|U|u|U|u|S|s|T|t|||H|h|||||||A|a|E|e|O|o|O|o|O|o|O|o|Y|y||||||||||||||||||||||||||||";

    private static readonly string?[] Map = Build();

    /// <summary>True when <paramref name="c"/> would be changed by <see cref="Fold"/>.</summary>
    public static bool Folds(char c) => c >= First && c - First < Map.Length && Map[c - First] is not null;

    /// <summary>Returns <paramref name="token"/> with every foldable character replaced; the same instance when none is.</summary>
    public static string Fold(string token)
    {
        int i = 0;
        while (i < token.Length && !Folds(token[i]))
        {
            i++;
        }
        if (i == token.Length)
        {
            return token;
        }
        var builder = new System.Text.StringBuilder(token.Length + 2);
        builder.Append(token, 0, i);
        for (; i < token.Length; i++)
        {
            char c = token[i];
            if (Folds(c))
            {
                builder.Append(Map[c - First]);
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static string?[] Build()
    {
        string[] entries = Table.Split('|');
        var map = new string?[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            map[i] = entries[i].Length == 0 ? null : entries[i];
        }
        return map;
    }
}

using System.Globalization;
using System.Text;

namespace VectLite.Text.Analysis;

/// <summary>
/// Splits text into words by the main rules of Unicode word segmentation (UAX #29), as Lucene's
/// <c>StandardTokenizer</c> does: runs of letters, digits and combining marks form a word; an apostrophe or a full stop
/// between two letters, or a full stop or comma between two digits, stays inside it ("o'neil", "u.s.a", "3.14",
/// "1,000"); an underscore joins; everything else (spaces, punctuation, symbols, hyphens) separates. Han ideographs and
/// Hiragana are one word per character. Words longer than <see cref="MaxTokenLength"/> characters are dropped.
/// Stateless and thread-safe.
/// </summary>
internal static class StandardTokenizer
{
    /// <summary>Lucene's default maximum token length.</summary>
    public const int MaxTokenLength = 255;

    /// <summary>Calls <paramref name="sink"/> with each word of <paramref name="text"/>, in order.</summary>
    public static void Tokenize<TSink>(string text, ref TSink sink)
        where TSink : struct, ITokenSink
    {
        int i = 0;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out Rune rune, out int width);
            Kind kind = Classify(rune);
            if (kind is Kind.Other or Kind.Mid)
            {
                // A separator that joins only inside a word ("3.14", "o'neil") starts none.
                i += width;
                continue;
            }
            if (kind == Kind.Ideograph)
            {
                sink.Token(text.Substring(i, width));
                i += width;
                continue;
            }

            int start = i;
            Kind previous = kind;
            i += width;
            while (i < text.Length)
            {
                Rune.DecodeFromUtf16(text.AsSpan(i), out Rune next, out int nextWidth);
                Kind nextKind = Classify(next);
                if (nextKind is Kind.Letter or Kind.Digit or Kind.Mark or Kind.Joiner)
                {
                    previous = nextKind == Kind.Mark ? previous : nextKind;
                    i += nextWidth;
                    continue;
                }
                if (nextKind == Kind.Mid && i + nextWidth < text.Length)
                {
                    // A separator that joins only between two letters or two digits.
                    char mid = text[i];
                    Rune.DecodeFromUtf16(text.AsSpan(i + nextWidth), out Rune after, out _);
                    Kind afterKind = Classify(after);
                    bool joins = (previous == Kind.Letter && afterKind == Kind.Letter && mid != ',')
                        || (previous == Kind.Digit && afterKind == Kind.Digit && mid != '\'' && mid != '\u2019');
                    if (joins)
                    {
                        i += nextWidth;
                        continue;
                    }
                }
                break;
            }
            if (i - start <= MaxTokenLength)
            {
                sink.Token(text.Substring(start, i - start));
            }
        }
    }

    private enum Kind
    {
        Other,
        Letter,
        Digit,
        Mark,
        Joiner,
        Mid,
        Ideograph,
    }

    private static Kind Classify(Rune rune)
    {
        int value = rune.Value;
        if (value < 0x80)
        {
            char c = (char)value;
            return c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') ? Kind.Letter
                : c is >= '0' and <= '9' ? Kind.Digit
                : c == '_' ? Kind.Joiner
                : c is '.' or '\'' or ',' ? Kind.Mid
                : Kind.Other;
        }
        if (value is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0xF900 and <= 0xFAFF)
            or (>= 0x20000 and <= 0x2FFFF) or (>= 0x3040 and <= 0x309F))
        {
            return Kind.Ideograph;
        }
        if (value == 0x2019)
        {
            return Kind.Mid; // right single quotation mark, the typographic apostrophe
        }
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => Kind.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => Kind.Digit,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => Kind.Mark,
            UnicodeCategory.ConnectorPunctuation => Kind.Joiner,
            _ => Kind.Other,
        };
    }
}

/// <summary>Receives the words a tokenizer finds.</summary>
internal interface ITokenSink
{
    /// <summary>One word, in text order.</summary>
    void Token(string token);
}

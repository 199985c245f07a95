namespace VectLite.Text.Analysis;

/// <summary>
/// The Porter2 ("Snowball English") stemmer: reduces an English word to its stem ("consolingly" to "consol",
/// "knitting" to "knit"), the same stem Snowball's english.sbl gives (as used by Lucene's <c>SnowballFilter</c> with
/// <c>EnglishStemmer</c>). Stateless and thread-safe.
/// </summary>
/// <remarks>
/// How it works (the steps of https://snowballstem.org/algorithms/english/stemmer.html):
/// <list type="number">
/// <item>Words of one or two letters and a short list of exceptions are returned as they are (or mapped directly).</item>
/// <item>A leading apostrophe is dropped; a leading y, and a y after a vowel, is marked as a consonant (Y).</item>
/// <item>R1 is the region after the first non-vowel that follows a vowel (after "gener", "commun", "arsen" when the word
/// starts with one); R2 the same rule applied again inside R1. Suffixes are removed only where a step says the suffix
/// must lie in R1 or R2.</item>
/// <item>Steps 0 to 5 each find the longest suffix of their list and apply its rule, or do nothing when the rule's
/// condition fails (a shorter suffix is never tried instead).</item>
/// </list>
/// The input is expected lowercase; characters other than a-z and the apostrophe pass through as non-vowels.
/// </remarks>
internal static class EnglishStemmer
{
    private static readonly Dictionary<string, string> Exceptions1 = new(StringComparer.Ordinal)
    {
        ["skis"] = "ski", ["skies"] = "sky", ["dying"] = "die", ["lying"] = "lie", ["tying"] = "tie",
        ["idly"] = "idl", ["gently"] = "gentl", ["ugly"] = "ugli", ["early"] = "earli", ["only"] = "onli",
        ["singly"] = "singl", ["sky"] = "sky", ["news"] = "news", ["howe"] = "howe", ["atlas"] = "atlas",
        ["cosmos"] = "cosmos", ["bias"] = "bias", ["andes"] = "andes",
    };

    private static readonly HashSet<string> Exceptions2 = new(StringComparer.Ordinal)
    {
        "inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed",
    };

    // Suffix tables, longest first within each step, so the first match is the longest.
    private static readonly (string Suffix, string Replacement)[] Step2Table =
    [
        ("ization", "ize"), ("ational", "ate"), ("fulness", "ful"), ("ousness", "ous"), ("iveness", "ive"),
        ("tional", "tion"), ("biliti", "ble"), ("lessli", "less"),
        ("entli", "ent"), ("ation", "ate"), ("alism", "al"), ("aliti", "al"), ("ousli", "ous"), ("iviti", "ive"), ("fulli", "ful"),
        ("enci", "ence"), ("anci", "ance"), ("abli", "able"), ("izer", "ize"), ("ator", "ate"), ("alli", "al"),
        ("bli", "ble"), ("ogi", "og"), ("li", ""),
    ];

    private static readonly (string Suffix, string Replacement)[] Step3Table =
    [
        ("ational", "ate"), ("tional", "tion"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"), ("ative", ""),
        ("ical", "ic"), ("ness", ""), ("ful", ""),
    ];

    private static readonly string[] Step4Table =
    [
        "ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion",
        "al", "er", "ic",
    ];

    /// <summary>Returns the stem of <paramref name="word"/> (lowercase input).</summary>
    public static string Stem(string word)
    {
        if (Exceptions1.TryGetValue(word, out string? exception))
        {
            return exception;
        }
        if (word.Length <= 2)
        {
            return word;
        }

        var w = new Word(word);
        w.Prelude();
        if (w.Length <= 2)
        {
            return w.ToString(restoreY: true);
        }
        w.MarkRegions();
        w.Step0();
        w.Step1a();
        if (Exceptions2.Contains(w.ToString(restoreY: false)))
        {
            return w.ToString(restoreY: true);
        }
        w.Step1b();
        w.Step1c();
        w.Step2();
        w.Step3();
        w.Step4();
        w.Step5();
        return w.ToString(restoreY: true);
    }

    /// <summary>The word being stemmed: a growable buffer with the R1/R2 marks.</summary>
    private struct Word
    {
        private char[] _c;
        private int _r1;
        private int _r2;

        public Word(string word)
        {
            _c = new char[word.Length + 2];
            word.CopyTo(0, _c, 0, word.Length);
            Length = word.Length;
        }

        public int Length { get; private set; }

        public readonly string ToString(bool restoreY)
        {
            var s = new string(_c, 0, Length);
            return restoreY ? s.Replace('Y', 'y') : s;
        }

        private readonly bool IsVowel(int i) => _c[i] is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

        public void Prelude()
        {
            if (_c[0] == '\'')
            {
                Array.Copy(_c, 1, _c, 0, Length - 1);
                Length--;
            }
            if (Length > 0 && _c[0] == 'y')
            {
                _c[0] = 'Y';
            }
            for (int i = 1; i < Length; i++)
            {
                if (_c[i] == 'y' && IsVowel(i - 1))
                {
                    _c[i] = 'Y';
                }
            }
        }

        public void MarkRegions()
        {
            string s = new(_c, 0, Length);
            if (s.StartsWith("gener", StringComparison.Ordinal) || s.StartsWith("arsen", StringComparison.Ordinal))
            {
                _r1 = 5;
            }
            else if (s.StartsWith("commun", StringComparison.Ordinal))
            {
                _r1 = 6;
            }
            else
            {
                _r1 = RegionAfter(0);
            }
            _r2 = RegionAfter(_r1);
        }

        /// <summary>The position after the first non-vowel following a vowel, searching from <paramref name="start"/>; the length if none.</summary>
        private readonly int RegionAfter(int start)
        {
            for (int i = start + 1; i < Length; i++)
            {
                if (!IsVowel(i) && IsVowel(i - 1))
                {
                    return i + 1;
                }
            }
            return Length;
        }

        private readonly bool EndsWith(string suffix)
        {
            if (suffix.Length > Length)
            {
                return false;
            }
            return _c.AsSpan(Length - suffix.Length, suffix.Length).SequenceEqual(suffix);
        }

        private void Replace(int suffixLength, string replacement)
        {
            int start = Length - suffixLength;
            if (start + replacement.Length > _c.Length)
            {
                Array.Resize(ref _c, start + replacement.Length + 2);
            }
            replacement.CopyTo(0, _c, start, replacement.Length);
            Length = start + replacement.Length;
        }

        private readonly bool HasVowelBefore(int end)
        {
            for (int i = 0; i < end; i++)
            {
                if (IsVowel(i))
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>Whether the syllable ending at <paramref name="end"/> (exclusive) is short.</summary>
        private readonly bool IsShortSyllableEndingAt(int end)
        {
            if (end == 2)
            {
                return IsVowel(0) && !IsVowel(1);
            }
            if (end < 3)
            {
                return false;
            }
            char last = _c[end - 1];
            return !IsVowel(end - 1) && last is not ('w' or 'x' or 'Y') && IsVowel(end - 2) && !IsVowel(end - 3);
        }

        private readonly bool IsShortWord() => _r1 >= Length && IsShortSyllableEndingAt(Length);

        public void Step0()
        {
            if (EndsWith("'s'"))
            {
                Length -= 3;
            }
            else if (EndsWith("'s"))
            {
                Length -= 2;
            }
            else if (EndsWith("'"))
            {
                Length -= 1;
            }
        }

        public void Step1a()
        {
            if (EndsWith("sses"))
            {
                Length -= 2;
            }
            else if (EndsWith("ied") || EndsWith("ies"))
            {
                Replace(3, Length > 4 ? "i" : "ie");
            }
            else if (EndsWith("us") || EndsWith("ss"))
            {
                // unchanged
            }
            else if (EndsWith("s") && HasVowelBefore(Length - 2))
            {
                Length -= 1;
            }
        }

        public void Step1b()
        {
            if (EndsWith("eedly") || EndsWith("eed"))
            {
                int suffix = EndsWith("eedly") ? 5 : 3;
                if (Length - suffix >= _r1)
                {
                    Replace(suffix, "ee");
                }
                return;
            }
            int length = EndsWith("ingly") ? 5 : EndsWith("edly") ? 4 : EndsWith("ing") ? 3 : EndsWith("ed") ? 2 : 0;
            if (length == 0 || !HasVowelBefore(Length - length))
            {
                return;
            }
            Length -= length;
            if (EndsWith("at") || EndsWith("bl") || EndsWith("iz"))
            {
                Replace(0, "e");
            }
            else if (Length >= 2 && _c[Length - 1] == _c[Length - 2] && _c[Length - 1] is 'b' or 'd' or 'f' or 'g' or 'm' or 'n' or 'p' or 'r' or 't')
            {
                Length -= 1;
            }
            else if (IsShortWord())
            {
                Replace(0, "e");
            }
        }

        public readonly void Step1c()
        {
            if (Length > 2 && _c[Length - 1] is 'y' or 'Y' && !IsVowel(Length - 2))
            {
                _c[Length - 1] = 'i';
            }
        }

        public void Step2()
        {
            foreach ((string suffix, string replacement) in Step2Table)
            {
                if (!EndsWith(suffix))
                {
                    continue;
                }
                int start = Length - suffix.Length;
                if (start < _r1)
                {
                    return;
                }
                if (suffix == "ogi" && (start == 0 || _c[start - 1] != 'l'))
                {
                    return;
                }
                if (suffix == "li" && (start == 0 || _c[start - 1] is not ('c' or 'd' or 'e' or 'g' or 'h' or 'k' or 'm' or 'n' or 'r' or 't')))
                {
                    return;
                }
                Replace(suffix.Length, replacement);
                return;
            }
        }

        public void Step3()
        {
            foreach ((string suffix, string replacement) in Step3Table)
            {
                if (!EndsWith(suffix))
                {
                    continue;
                }
                int start = Length - suffix.Length;
                if (start < _r1 || (suffix == "ative" && start < _r2))
                {
                    return;
                }
                Replace(suffix.Length, replacement);
                return;
            }
        }

        public void Step4()
        {
            foreach (string suffix in Step4Table)
            {
                if (!EndsWith(suffix))
                {
                    continue;
                }
                int start = Length - suffix.Length;
                if (start < _r2)
                {
                    return;
                }
                if (suffix == "ion" && (start == 0 || _c[start - 1] is not ('s' or 't')))
                {
                    return;
                }
                Length = start;
                return;
            }
        }

        public void Step5()
        {
            if (EndsWith("e"))
            {
                int start = Length - 1;
                if (start >= _r2 || (start >= _r1 && !IsShortSyllableEndingAt(start)))
                {
                    Length = start;
                }
            }
            else if (EndsWith("l"))
            {
                int start = Length - 1;
                if (start >= _r2 && start > 0 && _c[start - 1] == 'l')
                {
                    Length = start;
                }
            }
        }
    }
}

using VectLite.Text.Analysis;

namespace VectLite.Text;

/// <summary>
/// A parsed full-text query: terms that score (OR-ed), terms that must or must not appear, and phrases that must or
/// must not appear. Query text is analyzed with the index's own chain, so it meets the documents' terms.
/// </summary>
/// <remarks>
/// Syntax: words separated by spaces are OR-ed (a record needs one of them; more matches score higher).
/// <c>+word</c>: the record must contain it. <c>-word</c>: it must not. <c>"two words"</c>: the phrase must appear
/// (its words in order, adjacent up to removed stop words); <c>-"two words"</c>: it must not. A word the chain removes
/// (a stop word) is ignored; a word the tokenizer splits ("wi-fi") gives several terms with the same prefix.
/// Required terms and a required phrase's words score as well; excluded ones do not.
/// </remarks>
internal sealed class TextQuery
{
    /// <summary>Distinct scoring terms, each with how often the query names it (its weight, as Lucene sums repeated clauses).</summary>
    public List<(string Term, int Weight)> Scoring { get; } = [];

    public HashSet<string> Required { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Excluded { get; } = new(StringComparer.Ordinal);

    /// <summary>Phrases (terms with positions relative to the first) that must appear.</summary>
    public List<AnalyzedToken[]> RequiredPhrases { get; } = [];

    /// <summary>Phrases that must not appear.</summary>
    public List<AnalyzedToken[]> ExcludedPhrases { get; } = [];

    /// <summary>True when nothing can match: no scoring term.</summary>
    public bool IsEmpty => Scoring.Count == 0;

    /// <summary>Parses <paramref name="text"/> with <paramref name="chain"/>.</summary>
    public static TextQuery Parse(string text, AnalyzerChain chain)
    {
        var query = new TextQuery();
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            if (i == text.Length)
            {
                break;
            }
            char occur = ' ';
            if (text[i] is '+' or '-' && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]))
            {
                occur = text[i];
                i++;
            }
            string clause;
            bool quoted = text[i] == '"';
            if (quoted)
            {
                int close = text.IndexOf('"', i + 1);
                int end = close < 0 ? text.Length : close;
                clause = text[(i + 1)..end];
                i = close < 0 ? text.Length : close + 1;
            }
            else
            {
                int start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    i++;
                }
                clause = text[start..i];
            }
            List<AnalyzedToken> tokens = chain.Analyze(clause);
            if (tokens.Count == 0)
            {
                continue;
            }
            if (quoted && tokens.Count > 1)
            {
                int first = tokens[0].Position;
                AnalyzedToken[] phrase = [.. tokens.Select(t => t with { Position = t.Position - first })];
                if (occur == '-')
                {
                    query.ExcludedPhrases.Add(phrase);
                    continue;
                }
                query.RequiredPhrases.Add(phrase);
                occur = '+';
            }
            else if (quoted && occur == ' ')
            {
                occur = '+'; // a quoted single word must appear, as a quoted phrase must
            }
            foreach (AnalyzedToken token in tokens)
            {
                switch (occur)
                {
                    case '-':
                        query.Excluded.Add(token.Term);
                        break;
                    case '+':
                        query.Required.Add(token.Term);
                        query.AddScoring(token.Term);
                        break;
                    default:
                        query.AddScoring(token.Term);
                        break;
                }
            }
        }
        return query;
    }

    private void AddScoring(string term)
    {
        int at = Scoring.FindIndex(s => s.Term == term);
        if (at < 0)
        {
            Scoring.Add((term, 1));
        }
        else
        {
            Scoring[at] = (term, Scoring[at].Weight + 1);
        }
    }

    /// <summary>Whether <paramref name="document"/> (terms with positions) contains <paramref name="phrase"/>.</summary>
    public static bool ContainsPhrase(List<AnalyzedToken> document, AnalyzedToken[] phrase)
    {
        var positions = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        foreach (AnalyzedToken p in phrase)
        {
            positions.TryAdd(p.Term, []);
        }
        foreach (AnalyzedToken token in document)
        {
            if (positions.TryGetValue(token.Term, out HashSet<int>? set))
            {
                set.Add(token.Position);
            }
        }
        foreach (int start in positions[phrase[0].Term])
        {
            bool all = true;
            for (int k = 1; k < phrase.Length && all; k++)
            {
                all = positions[phrase[k].Term].Contains(start + phrase[k].Position);
            }
            if (all)
            {
                return true;
            }
        }
        return false;
    }
}

namespace VectLite.Text.Analysis;

/// <summary>One term the analysis chain produced, and its position (word number in the text, stop words counted).</summary>
internal readonly record struct AnalyzedToken(string Term, int Position);

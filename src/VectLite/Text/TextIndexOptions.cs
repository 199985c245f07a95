namespace VectLite;

/// <summary>
/// The definition of a full-text (BM25) index: which payload fields it reads, how it analyzes them, and the BM25
/// parameters. Pass it to <see cref="Collection.CreateTextIndex"/>.
/// </summary>
/// <remarks>
/// Every field is a dot path into the payload (as in filters) that holds a string or an array of strings; the values of
/// all fields of a record form one document (a phrase never spans two values). A record whose indexed field holds
/// another JSON type is refused (<see cref="InvalidRecordException"/>); a missing field or <c>null</c> is no text.
/// </remarks>
public sealed class TextIndexOptions
{
    /// <summary>The payload fields to index (dot paths), at least one.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    /// <summary>The analysis chain for documents and queries; <see cref="TextAnalyzer.English"/> by default.</summary>
    public TextAnalyzer Analyzer { get; init; } = TextAnalyzer.English;

    /// <summary>BM25 term-frequency saturation k1, finite and at least 0. Default 1.2.</summary>
    public float K1 { get; init; } = 1.2f;

    /// <summary>BM25 length normalisation b, in [0, 1]. Default 0.75.</summary>
    public float B { get; init; } = 0.75f;
}

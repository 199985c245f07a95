namespace VectLite;

/// <summary>One page of <see cref="Collection.Scroll"/>.</summary>
/// <param name="Records">The records, ordered by namespace and then id (numbers ascending, then strings ordinal).</param>
/// <param name="NextCursor">Pass as <see cref="ScrollOptions.Cursor"/> for the next page; null when this is the last page.</param>
public sealed record ScrollPage(IReadOnlyList<Record> Records, string? NextCursor);

namespace VectLite;

/// <summary>
/// The result of <see cref="Database.Verify(string, CancellationToken)"/>: every file of a database checked, nothing
/// changed, damage reported rather than repaired.
/// </summary>
/// <remarks>
/// <see cref="IsIntact"/> is the overall verdict: false when any file holds <see cref="VerifySeverity.Damage"/>.
/// Warnings (a torn log tail, leftovers of an interrupted checkpoint) leave it true.
/// </remarks>
public sealed class VerifyReport
{
    internal VerifyReport(string databasePath, IReadOnlyList<VerifiedFile> files, IReadOnlyList<CollectionVerifyReport> collections)
    {
        DatabasePath = databasePath;
        Files = files;
        Collections = collections;
    }

    /// <summary>The database directory (full path).</summary>
    public string DatabasePath { get; }

    /// <summary>The database-level files checked: the manifest <c>vectlite.db</c>, and leftovers in the collections folder.</summary>
    public IReadOnlyList<VerifiedFile> Files { get; }

    /// <summary>One report per collection, sorted by name ordinally.</summary>
    public IReadOnlyList<CollectionVerifyReport> Collections { get; }

    /// <summary>Every finding, database-level first, then per collection.</summary>
    public IEnumerable<VerifyFinding> Findings => Files.SelectMany(f => f.Findings).Concat(Collections.SelectMany(c => c.Findings));

    /// <summary>True when nothing is damaged (warnings allowed).</summary>
    public bool IsIntact => Files.All(f => f.IsIntact) && Collections.All(c => c.IsIntact);
}

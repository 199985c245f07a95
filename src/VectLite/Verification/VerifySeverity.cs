namespace VectLite;

/// <summary>How serious a <see cref="VerifyFinding"/> is.</summary>
public enum VerifySeverity
{
    /// <summary>
    /// Nothing acknowledged is at risk, but the database is not exactly as a clean shutdown leaves it: a torn log tail
    /// that the next open drops, files left over by an interrupted checkpoint or drop, files VectLite does not know.
    /// </summary>
    Warning = 0,

    /// <summary>
    /// A file is damaged, missing or disagrees with its manifest: an open would fail, or would silently rebuild or
    /// leave out what the file should have held (a damaged HNSW graph file is rebuilt from the vectors on open).
    /// </summary>
    Damage = 1,
}

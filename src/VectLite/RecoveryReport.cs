namespace VectLite;

/// <summary>What <see cref="Database.Recover"/> found and did, collection by collection.</summary>
/// <param name="Collections">One entry per collection, sorted by name.</param>
public sealed record RecoveryReport(IReadOnlyList<CollectionRecovery> Collections)
{
    /// <summary>True when at least one collection's log was damaged and has been salvaged.</summary>
    public bool AnyRepaired => Collections.Any(c => c.Repaired);
}

/// <summary>The outcome of <see cref="Database.Recover"/> for one collection.</summary>
/// <param name="Collection">The collection's name.</param>
/// <param name="Repaired">True when its log was damaged and has been cut back to the intact batches before the damage.</param>
/// <param name="KeptBatches">Intact batches newer than the last checkpoint that the log keeps (all of them when nothing was damaged).</param>
/// <param name="DamageOffset">The byte offset in the log where the damage starts, or -1.</param>
/// <param name="Problem">What was wrong there, or null.</param>
/// <param name="BytesSetAside">How many bytes of the log, from the damage on, are no longer replayed.</param>
/// <param name="BackupPath">The untouched copy of the damaged log (batches after the damage can be inspected there), or null.</param>
public sealed record CollectionRecovery(string Collection, bool Repaired, int KeptBatches, long DamageOffset, string? Problem, long BytesSetAside, string? BackupPath);

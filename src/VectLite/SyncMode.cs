namespace VectLite;

/// <summary>
/// When the write-ahead log is forced to stable storage (fsync). Every mode writes each batch to the operating system
/// before the call returns, so a crash of the process alone never loses an acknowledged write; the modes differ in
/// what a power cut or kernel crash can lose.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="PerOp"/>: fsync after every batch before it is acknowledged. Loss window: none.</item>
/// <item><see cref="EveryN"/>: fsync after every n-th batch. Loss window on power loss: up to n - 1 acknowledged batches.</item>
/// <item><see cref="OnFlush"/>: fsync only on <see cref="Database.Flush"/>, checkpoint and dispose. Loss window on power
/// loss: everything since the last flush.</item>
/// </list>
/// Switching to a stricter mode syncs at once, so nothing written under the looser mode stays exposed.
/// </remarks>
public readonly struct SyncMode : IEquatable<SyncMode>
{
    private SyncMode(SyncModeKind kind, int interval)
    {
        Kind = kind;
        Interval = interval;
    }

    /// <summary>fsync every batch before acknowledging it (the default).</summary>
    public static SyncMode PerOp => new(SyncModeKind.PerOp, 1);

    /// <summary>fsync only when flushed, checkpointed or closed.</summary>
    public static SyncMode OnFlush => new(SyncModeKind.OnFlush, 0);

    /// <summary>fsync after every <paramref name="n"/>-th batch.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is less than 1.</exception>
    public static SyncMode EveryN(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return n == 1 ? PerOp : new SyncMode(SyncModeKind.EveryN, n);
    }

    /// <summary>Which policy this is.</summary>
    public SyncModeKind Kind { get; }

    /// <summary>For <see cref="SyncModeKind.EveryN"/>, the number of batches between syncs; 1 for PerOp, 0 for OnFlush.</summary>
    public int Interval { get; }

    /// <summary>
    /// The most batches this mode may leave unsynced. Smaller is stricter; OnFlush is unbounded.
    /// <c>default(SyncMode)</c> is treated as <see cref="PerOp"/>.
    /// </summary>
    internal long MaxUnsyncedBatches => Kind switch
    {
        SyncModeKind.OnFlush => long.MaxValue,
        SyncModeKind.EveryN => Interval - 1,
        _ => 0,
    };

    /// <inheritdoc/>
    public bool Equals(SyncMode other) => MaxUnsyncedBatches == other.MaxUnsyncedBatches;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SyncMode other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => MaxUnsyncedBatches.GetHashCode();

    /// <summary>Equality.</summary>
    public static bool operator ==(SyncMode left, SyncMode right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(SyncMode left, SyncMode right) => !left.Equals(right);

    /// <summary>"PerOp", "EveryN(8)" or "OnFlush".</summary>
    public override string ToString() => Kind switch
    {
        SyncModeKind.OnFlush => "OnFlush",
        SyncModeKind.EveryN => $"EveryN({Interval})",
        _ => "PerOp",
    };

    /// <summary>Parses "PerOp", "OnFlush", "EveryN(8)" or "every:8" (case-insensitive), as the CLI accepts them.</summary>
    /// <exception cref="FormatException">The text is none of those.</exception>
    public static SyncMode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        if (t.Equals("perop", StringComparison.OrdinalIgnoreCase) || t.Equals("per-op", StringComparison.OrdinalIgnoreCase))
        {
            return PerOp;
        }
        if (t.Equals("onflush", StringComparison.OrdinalIgnoreCase) || t.Equals("on-flush", StringComparison.OrdinalIgnoreCase))
        {
            return OnFlush;
        }
        string? digits = null;
        if (t.StartsWith("everyn(", StringComparison.OrdinalIgnoreCase) && t.EndsWith(')'))
        {
            digits = t[7..^1];
        }
        else if (t.StartsWith("every:", StringComparison.OrdinalIgnoreCase))
        {
            digits = t[6..];
        }
        if (digits is not null && int.TryParse(digits, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= 1)
        {
            return EveryN(n);
        }
        throw new FormatException($"Unknown sync mode '{text}': expected PerOp, OnFlush or EveryN(n) with n >= 1.");
    }
}

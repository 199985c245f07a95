namespace VectLite.Tests.Storage;

/// <summary>
/// The power-loss model of one directory: its entries as of its last fsync, and the entry changes since (creations,
/// renames, deletions), in order. A child's entries live in the child, so renaming a directory moves its whole tree.
/// </summary>
internal sealed class SimulatedDirectory
{
    private readonly List<Action<Dictionary<string, object>>> _pending = [];
    private Dictionary<string, object> _durable = new(StringComparer.Ordinal);

    /// <summary>The entries now: name to <see cref="SimulatedFile"/> or <see cref="SimulatedDirectory"/>.</summary>
    public Dictionary<string, object> Current { get; } = new(StringComparer.Ordinal);

    public void Add(string name, object node) => Change(entries => entries[name] = node);

    public void Remove(string name) => Change(entries => entries.Remove(name));

    /// <summary>One atomic change (rename is atomic in POSIX: no state has both names or neither).</summary>
    public void Rename(string from, string to) => Change(entries =>
    {
        if (entries.Remove(from, out object? node))
        {
            entries[to] = node;
        }
    });

    public void Sync()
    {
        _durable = new Dictionary<string, object>(Current, StringComparer.Ordinal);
        _pending.Clear();
    }

    /// <summary>
    /// The entries the disk may hold after a power cut: the synced ones plus some of the changes since.
    /// <see cref="PowerLossKind.LoseAll"/>: none; <see cref="PowerLossKind.KeepAll"/>: all; otherwise any subset
    /// (applied in order). POSIX promises nothing about unsynced entries, not even their order, so a rename may survive
    /// while an earlier one in the same directory does not.
    /// </summary>
    public Dictionary<string, object> AfterPowerLoss(PowerLossKind kind, Random random)
    {
        var entries = new Dictionary<string, object>(_durable, StringComparer.Ordinal);
        foreach (Action<Dictionary<string, object>> change in _pending)
        {
            if (kind == PowerLossKind.KeepAll || (kind != PowerLossKind.LoseAll && random.Next(2) == 0))
            {
                change(entries);
            }
        }
        return entries;
    }

    private void Change(Action<Dictionary<string, object>> change)
    {
        change(Current);
        _pending.Add(change);
    }
}

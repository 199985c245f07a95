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

    /// <summary>The entries the disk may hold after a power cut: the synced ones plus a prefix of the changes since (see <see cref="SimulatedFile.AfterPowerLoss"/> for <paramref name="keep"/>).</summary>
    public Dictionary<string, object> AfterPowerLoss(int keep, Random random)
    {
        int k = keep switch
        {
            0 => 0,
            1 => _pending.Count,
            _ => random.Next(_pending.Count + 1),
        };
        var entries = new Dictionary<string, object>(_durable, StringComparer.Ordinal);
        for (int i = 0; i < k; i++)
        {
            _pending[i](entries);
        }
        return entries;
    }

    private void Change(Action<Dictionary<string, object>> change)
    {
        change(Current);
        _pending.Add(change);
    }
}

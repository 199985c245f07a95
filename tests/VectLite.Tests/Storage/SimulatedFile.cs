namespace VectLite.Tests.Storage;

/// <summary>
/// The power-loss model of one file (an inode: renames move it, they do not copy it): the content as of its last
/// fsync, and the writes and truncations since, in order.
/// </summary>
internal sealed class SimulatedFile
{
    private readonly List<(long Offset, byte[]? Bytes, long Length)> _pending = []; // Bytes null: a SetLength
    private byte[] _durable = [];
    private byte[] _current = [];

    public void Write(ReadOnlySpan<byte> bytes, long offset)
    {
        _pending.Add((offset, bytes.ToArray(), 0));
        _current = Apply(_current, offset, bytes);
    }

    public void SetLength(long length)
    {
        _pending.Add((0, null, length));
        _current = Resize(_current, length);
    }

    public void Sync()
    {
        _durable = _current;
        _pending.Clear();
    }

    /// <summary>
    /// A content the disk may hold after a power cut: the synced content plus the first <c>k</c> unsynced changes,
    /// the next one (if a write) torn at a random length. <paramref name="keep"/>: 0 drops every unsynced change, 1
    /// keeps all of them, anything else picks k and the tear at random.
    /// </summary>
    public byte[] AfterPowerLoss(int keep, Random random)
    {
        int k = keep switch
        {
            0 => 0,
            1 => _pending.Count,
            _ => random.Next(_pending.Count + 1),
        };
        byte[] content = _durable;
        for (int i = 0; i < k; i++)
        {
            content = ApplyChange(content, _pending[i]);
        }
        if (keep > 1 && k < _pending.Count && _pending[k].Bytes is { Length: > 1 } torn)
        {
            content = Apply(content, _pending[k].Offset, torn.AsSpan(0, random.Next(1, torn.Length)));
        }
        return content;
    }

    private static byte[] ApplyChange(byte[] content, (long Offset, byte[]? Bytes, long Length) change) =>
        change.Bytes is null ? Resize(content, change.Length) : Apply(content, change.Offset, change.Bytes);

    private static byte[] Apply(byte[] content, long offset, ReadOnlySpan<byte> bytes)
    {
        byte[] result = Resize(content, Math.Max(content.Length, offset + bytes.Length));
        bytes.CopyTo(result.AsSpan((int)offset));
        return result;
    }

    private static byte[] Resize(byte[] content, long length)
    {
        var result = new byte[length];
        content.AsSpan(0, (int)Math.Min(content.Length, length)).CopyTo(result);
        return result;
    }
}

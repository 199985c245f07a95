namespace VectLite.Tests.Storage;

/// <summary>
/// The power-loss model of one file (an inode: renames move it, they do not copy it): the content as of its last
/// fsync, and the writes and truncations since, in order.
/// </summary>
internal sealed class SimulatedFile
{
    /// <summary>The unit a disk writes back whole (<see cref="PowerLossKind.OutOfOrderPages"/>).</summary>
    public const int PageSize = 4096;

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

    /// <summary>How many distinct pages the changes since the last fsync touched.</summary>
    public int UnsyncedPages => UnsyncedHistory().Touches.Count;

    public void Sync()
    {
        _durable = _current;
        _pending.Clear();
    }

    /// <summary>
    /// A content the disk may hold after a power cut (see <see cref="PowerLossKind"/>). <paramref name="outOfOrder"/>
    /// is set when the content kept an unsynced change to one page while losing one to an earlier page.
    /// </summary>
    public byte[] AfterPowerLoss(PowerLossKind kind, Random random, out bool outOfOrder)
    {
        outOfOrder = false;
        return kind switch
        {
            PowerLossKind.LoseAll => _durable,
            PowerLossKind.KeepAll => _current,
            PowerLossKind.TornPrefix => TornPrefix(random),
            PowerLossKind.OutOfOrderPages => OutOfOrderPages(random, out outOfOrder),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>The synced content plus the first k unsynced changes, the next one (if a write) torn at a random length.</summary>
    private byte[] TornPrefix(Random random)
    {
        int k = random.Next(_pending.Count + 1);
        byte[] content = _durable;
        for (int i = 0; i < k; i++)
        {
            content = ApplyChange(content, _pending[i]);
        }
        if (k < _pending.Count && _pending[k].Bytes is { Length: > 1 } torn)
        {
            content = Apply(content, _pending[k].Offset, torn.AsSpan(0, random.Next(1, torn.Length)));
        }
        return content;
    }

    /// <summary>
    /// What a disk that writes back whole pages, in any order, may hold: the length as of a random moment since the
    /// last fsync (file size and data are not ordered either; bytes below it that no kept write reached read as zero),
    /// and each page as of its own random moment: the synced page plus a prefix of the unsynced changes that touched it.
    /// </summary>
    private byte[] OutOfOrderPages(Random random, out bool outOfOrder)
    {
        (long[] lengths, SortedDictionary<long, List<int>> touches) = UnsyncedHistory();
        long length = lengths[random.Next(lengths.Length)];
        byte[] content = Resize(_durable, length); // pages no unsynced change touched keep their synced bytes
        outOfOrder = false;
        bool lostEarlier = false;
        foreach ((long page, List<int> changes) in touches)
        {
            int kept = random.Next(changes.Count + 1);
            long pageStart = page * PageSize;
            if (pageStart >= length)
            {
                continue;
            }
            outOfOrder |= kept > 0 && lostEarlier;
            lostEarlier |= kept < changes.Count;
            var image = new byte[PageSize];
            _durable.AsSpan().Slice((int)Math.Min(pageStart, _durable.Length), (int)Math.Clamp(_durable.Length - pageStart, 0, PageSize)).CopyTo(image);
            for (int c = 0; c < kept; c++)
            {
                (long offset, byte[]? bytes, long newLength) = _pending[changes[c]];
                if (bytes is null)
                {
                    image.AsSpan((int)Math.Clamp(newLength - pageStart, 0, PageSize)).Clear(); // a truncation zeroes the page past it
                    continue;
                }
                long start = Math.Max(offset, pageStart), end = Math.Min(offset + bytes.Length, pageStart + PageSize);
                bytes.AsSpan((int)(start - offset), (int)(end - start)).CopyTo(image.AsSpan((int)(start - pageStart)));
            }
            image.AsSpan(0, (int)Math.Min(PageSize, length - pageStart)).CopyTo(content.AsSpan((int)pageStart));
        }
        return content;
    }

    /// <summary>
    /// The file's length after each prefix of the unsynced changes (index 0: as synced), and, per page, the changes
    /// that altered its bytes, in order: a write, the pages it covers; a truncation, the pages past the new length
    /// that held bytes.
    /// </summary>
    private (long[] Lengths, SortedDictionary<long, List<int>> Touches) UnsyncedHistory()
    {
        var lengths = new long[_pending.Count + 1];
        lengths[0] = _durable.Length;
        var touches = new SortedDictionary<long, List<int>>();
        for (int i = 0; i < _pending.Count; i++)
        {
            (long offset, byte[]? bytes, long newLength) = _pending[i];
            (long from, long to) = bytes is null ? (newLength, lengths[i]) : (offset, offset + bytes.Length);
            lengths[i + 1] = bytes is null ? newLength : Math.Max(lengths[i], offset + bytes.Length);
            if (from >= to)
            {
                continue; // an empty write, or a SetLength that grows the file: no byte changes
            }
            for (long page = from / PageSize; page * PageSize < to; page++)
            {
                if (!touches.TryGetValue(page, out List<int>? list))
                {
                    touches[page] = list = [];
                }
                list.Add(i);
            }
        }
        return (lengths, touches);
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

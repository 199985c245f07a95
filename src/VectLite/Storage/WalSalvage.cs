namespace VectLite.Storage;

/// <summary>
/// The explicit way out of a damaged log (<see cref="Database.Recover"/>): keeps every batch before the first damage,
/// sets the damaged log aside whole, and cuts the live log at the damage so the collection opens again.
/// </summary>
/// <remarks>
/// Batches after the damage stay in the set-aside copy and are not applied: a batch may depend on the lost one (a
/// delete of a record it inserted, a payload update of a record it replaced), so replaying them over the gap could make
/// a state that never existed. The copy keeps them for inspection.
/// </remarks>
internal static class WalSalvage
{
    /// <summary>The suffix of a set-aside log: <c>wal.vlwal.damaged-20261130T121500Z</c>.</summary>
    public const string BackupInfix = ".damaged-";

    /// <summary>Checks the log at <paramref name="walPath"/> and, if damaged, salvages it. The caller holds the writer lock.</summary>
    public static CollectionRecovery Salvage(string collection, string walPath, long checkpointLsn)
    {
        WalDamage? damage = null;
        int kept = 0;
        WalReadResult result;
        try
        {
            result = WalReader.Read(walPath, checkpointLsn, (lsn, offset, batch) =>
            {
                try
                {
                    WalBatchCodec.Decode(batch);
                }
                catch (FormatException ex)
                {
                    throw new UndecodableBatch(new WalDamage(offset, $"batch {lsn} passed its checksum but does not decode ({ex.Message})", offset, lsn));
                }
                kept++;
            }, salvage: true);
            damage = result.Damage;
        }
        catch (UndecodableBatch stop)
        {
            damage = stop.Damage;
            result = default;
        }

        if (damage is null)
        {
            return new CollectionRecovery(collection, Repaired: false, kept, DamageOffset: -1, Problem: null, BytesSetAside: 0, BackupPath: null);
        }

        long length = new FileInfo(walPath).Length;
        string backup = walPath + BackupInfix + DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        File.Copy(walPath, backup, overwrite: false);
        using (var copy = new FileStream(backup, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            copy.Flush(flushToDisk: true);
        }
        DurableFile.SyncDirectory(Path.GetDirectoryName(walPath)!);
        using (var handle = File.OpenHandle(walPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            RandomAccess.SetLength(handle, damage.Offset);
            RandomAccess.FlushToDisk(handle);
        }
        return new CollectionRecovery(collection, Repaired: true, kept, damage.Offset, damage.Problem, length - damage.Offset, backup);
    }

    /// <summary>Ends a salvaging read at a frame whose checksum is right but whose content is not a batch.</summary>
    private sealed class UndecodableBatch(WalDamage damage) : Exception
    {
        public WalDamage Damage { get; } = damage;
    }
}

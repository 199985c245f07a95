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
    public static CollectionRecovery Salvage(IStorageDevice storage, string collection, string walPath, long checkpointLsn)
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

        // The copy first, durable, then the cut: a crash in between leaves the damaged log and at most a spare copy.
        string backup = walPath + BackupInfix + DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        long length;
        using (var source = new FileStream(walPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0))
        using (IStorageFile copy = storage.Create(backup))
        {
            length = source.Length;
            byte[] chunk = new byte[1 << 20];
            for (long at = 0; at < length;)
            {
                int read = source.Read(chunk);
                if (read == 0)
                {
                    throw new IOException($"'{walPath}' ended at byte {at} while it was copied; it should be {length} bytes");
                }
                copy.Write(chunk.AsSpan(0, read), at);
                at += read;
            }
            copy.Sync();
        }
        storage.SyncDirectory(Path.GetDirectoryName(walPath)!);
        using (IStorageFile log = storage.OpenForWrite(walPath))
        {
            log.SetLength(damage.Offset);
            log.Sync();
        }
        return new CollectionRecovery(collection, Repaired: true, kept, damage.Offset, damage.Problem, length - damage.Offset, backup);
    }

    /// <summary>Ends a salvaging read at a frame whose checksum is right but whose content is not a batch.</summary>
    private sealed class UndecodableBatch(WalDamage damage) : Exception
    {
        public WalDamage Damage { get; } = damage;
    }
}

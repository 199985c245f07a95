namespace VectLite.Storage;

/// <summary>
/// The database's transaction log, <c>transactions.vlwal</c> in the database directory: where a
/// <see cref="WriteBatch"/> spanning several collections is committed. It has the write-ahead log's format (one frame
/// per transaction, the LSN is the transaction number) and holds at most the transactions not yet known to be
/// complete in every collection's own log: normally nothing.
/// </summary>
/// <remarks>
/// The protocol (docs/durability.md, "Write batches across collections"): with every participant's writer lock held
/// and its log synced, the record is appended and fsynced (the commit point); then each part is appended to its
/// collection's log and fsynced, and applied; then this log is emptied. A crash before the commit point leaves a torn
/// record (dropped): no collection has any part. A crash after it leaves the record, and the next writer open completes
/// every part a collection lacks (<see cref="Transactions.TransactionRecovery"/>).
/// Not thread-safe: the committer holds the database's transaction gate.
/// </remarks>
internal sealed class TransactionLog : IDisposable
{
    /// <summary>The file's name in the database directory.</summary>
    public const string FileName = "transactions.vlwal";

    private readonly WalWriter _writer;
    private readonly BinaryBuffer _buffer = new();
    private long _lastId;

    private TransactionLog(WalWriter writer) => _writer = writer;

    /// <summary>The log's path in the database at <paramref name="databasePath"/>.</summary>
    public static string PathIn(string databasePath) => System.IO.Path.Combine(databasePath, FileName);

    /// <summary>Opens the (recovered, so empty) log for commits, creating it when missing.</summary>
    /// <exception cref="StorageException">The file could not be created, opened or synced.</exception>
    public static TransactionLog OpenForCommits(IStorageDevice storage, string databasePath)
    {
        string path = PathIn(databasePath);
        if (!File.Exists(path))
        {
            WalWriter.CreateEmpty(storage, path);
        }
        WalWriter writer = WalWriter.OpenForAppend(storage, path, WalFormat.FileHeaderSize, lastLsn: 0);
        return new TransactionLog(writer);
    }

    /// <summary>True when the log holds no transaction (it is emptied after every commit).</summary>
    public bool IsEmpty => _writer.Length <= WalFormat.FileHeaderSize;

    /// <summary>Appends <paramref name="record"/> and fsyncs it: the transaction is committed when this returns.</summary>
    /// <exception cref="StorageException">The append or its fsync failed; the record was cut back off (not committed).</exception>
    /// <exception cref="InvalidRecordException">The record is larger than a log frame may be; nothing was written.</exception>
    public void Commit(TransactionRecord record)
    {
        record.Encode(_buffer);
        _writer.Append(_lastId + 1, _buffer.WrittenSpan, SyncMode.PerOp);
        _lastId++;
    }

    /// <summary>Empties the log once every part of what it holds is durable in its collection's log.</summary>
    /// <exception cref="StorageException">The truncation or its fsync failed; the records stay, and recovery finds them complete.</exception>
    public void Clear()
    {
        _writer.DropPrefix(_writer.Length);
        _lastId = 0;
    }

    /// <summary>
    /// Reads the committed transactions in the log at <paramref name="databasePath"/>, oldest first; none when there is
    /// no log. A torn last record (a crash before its commit point) is not one of them.
    /// </summary>
    /// <exception cref="CorruptFileException">The log is damaged, or a record does not decode.</exception>
    public static List<TransactionRecord> ReadCommitted(string databasePath)
    {
        string path = PathIn(databasePath);
        var records = new List<TransactionRecord>();
        if (!File.Exists(path))
        {
            return records;
        }
        WalReader.Read(path, checkpointLsn: 0, (lsn, offset, batch) =>
        {
            try
            {
                records.Add(TransactionRecord.Decode(batch));
            }
            catch (FormatException ex)
            {
                throw new CorruptFileException(path, offset, $"transaction {lsn} passed its checksum but does not decode ({ex.Message})", ex);
            }
        }, salvage: false);
        return records;
    }

    /// <summary>Syncs and closes the log.</summary>
    public void Dispose() => _writer.Dispose();
}

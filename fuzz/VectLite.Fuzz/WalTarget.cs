namespace VectLite.Fuzz;

/// <summary>
/// The write-ahead log as it lies on disk (header, frames, torn tails, flipped bits: nothing repaired), opened by a
/// writer, which recovers it, appends one batch, and closes. A read-only reopen must then see that batch: recovery
/// may drop a torn tail, but never something acknowledged after it.
/// </summary>
internal sealed class WalTarget : IFuzzTarget
{
    /// <inheritdoc/>
    public string Name => "wal";

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input)
    {
        FuzzWorkspace workspace = FuzzWorkspace.Shared;
        workspace.Restore(FuzzWorkspace.Docs);
        File.WriteAllBytes(Path.Combine(workspace.CollectionDirectory(FuzzWorkspace.Docs), FuzzWorkspace.WalFileName), input.ToArray());
        RecoverAppendReopen(workspace);
    }

    /// <summary>Opens <c>docs</c> for writing over whatever log is in place, appends a record, then checks it survives a reopen.</summary>
    internal static void RecoverAppendReopen(FuzzWorkspace workspace)
    {
        const string MarkerId = "fuzz-marker";
        try
        {
            using (var db = Database.Open(workspace.DatabasePath, new DatabaseOptions { SyncMode = SyncMode.OnFlush }))
            {
                Collection docs = db.GetCollection(FuzzWorkspace.Docs);
                CollectionProbe.Read(docs);
                docs.Upsert(new Record(MarkerId, new float[] { 1f, 2f, 3f, 4f }));
                db.Flush();
            }
        }
        catch (CorruptFileException)
        {
            return;
        }

        // The writer accepted the log and acknowledged a write: from here on nothing may be refused or lost.
        using var reader = Database.Open(workspace.DatabasePath, new DatabaseOptions { ReadOnly = true });
        Collection reopened;
        try
        {
            reopened = reader.GetCollection(FuzzWorkspace.Docs);
        }
        catch (CorruptFileException ex)
        {
            throw new FuzzFindingException("a log the writer recovered and appended to is refused on reopen", ex);
        }
        if (reopened.Get(MarkerId) is null)
        {
            throw new FuzzFindingException("a batch appended after recovery is missing on reopen");
        }
        CollectionProbe.Read(reopened);
    }
}

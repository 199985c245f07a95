using System.Globalization;
using Qdrant.Client.Grpc;

namespace VectLite.Cli.Qdrant;

/// <summary>
/// <c>vectlite import DB COLLECTION --from-qdrant URL</c>: copies a Qdrant collection into VectLite through the official
/// client (gRPC): creates the collection with the matching schema (vectors, distances, HNSW <c>m</c>/<c>ef_construct</c>,
/// payload indexes VectLite has), then scrolls the points with vectors and payloads, one atomic VectLite batch per page,
/// and saves the scroll offset in a <see cref="TransferCheckpoint"/> after each committed batch.
/// </summary>
/// <remarks>
/// The mirror image of <see cref="QdrantExport"/>, with the same checkpoint rules (a new copy refuses an existing
/// collection and a left-over checkpoint; <c>--resume</c> continues from the saved offset, and a batch written twice
/// overwrites the same records). The database is created when the directory does not exist or is empty.
/// </remarks>
internal static class QdrantImport
{
    /// <summary>The copy's settings, checked by the command.</summary>
    public sealed record Settings(string DatabasePath, string Collection, string Url, string? ApiKey, string SourceCollection,
        int BatchSize, bool Resume, string CheckpointPath, double LockTimeoutSeconds);

    public static int Run(Settings settings)
    {
        using QdrantConnection qdrant = QdrantConnection.Open(settings.Url, "--from-qdrant", settings.ApiKey);
        const string Direction = "from-qdrant";
        string source = qdrant.Address.ToString();
        TransferCheckpoint? checkpoint = null;
        if (settings.Resume)
        {
            if (!File.Exists(settings.CheckpointPath))
            {
                throw new CliUsageException($"--resume: there is no checkpoint at '{settings.CheckpointPath}'; nothing to resume (leave out --resume to start a new copy).");
            }
            checkpoint = TransferCheckpoint.Read(settings.CheckpointPath);
            checkpoint.CheckMatches(settings.CheckpointPath, Direction, source, settings.SourceCollection, settings.Collection);
        }
        else if (File.Exists(settings.CheckpointPath))
        {
            TransferCheckpoint left = TransferCheckpoint.Read(settings.CheckpointPath);
            throw new CliUsageException($"an interrupted copy left '{settings.CheckpointPath}' ({left.Copied:N0} records copied): add --resume to continue it, or delete the file to start over.");
        }

        CollectionInfo info = qdrant.Call($"read collection {settings.SourceCollection}", c => c.GetCollectionInfoAsync(settings.SourceCollection));
        CollectionSchema schema = QdrantSchema.FromQdrant(settings.SourceCollection, info);
        var indexes = new List<(string Field, PayloadIndexKind Kind)>();
        foreach ((string field, PayloadSchemaInfo index) in info.PayloadSchema)
        {
            (PayloadIndexKind? kind, string? skipped) = QdrantSchema.PayloadIndex(index.DataType);
            if (kind is { } k)
            {
                indexes.Add((field, k));
            }
            else
            {
                Console.Error.WriteLine($"note: payload index '{field}' is not copied: {skipped}; its values are in the payloads.");
            }
        }
        long total = (long)qdrant.Call($"count points of {settings.SourceCollection}", c => c.CountAsync(settings.SourceCollection, exact: true));

        using Database db = OpenOrCreate(settings.DatabasePath, settings.LockTimeoutSeconds);
        Collection collection;
        if (checkpoint is null)
        {
            if (db.CollectionExists(settings.Collection))
            {
                throw new CliUsageException($"collection '{settings.Collection}' already exists in '{settings.DatabasePath}': choose another name, or drop it first (--resume continues only a copy this tool started).");
            }
            checkpoint = new TransferCheckpoint(Direction, source, settings.SourceCollection, settings.Collection, Cursor: null, Copied: 0);
            checkpoint.Write(settings.CheckpointPath);
            collection = db.CreateCollection(settings.Collection, schema);
        }
        else
        {
            collection = db.CollectionExists(settings.Collection) ? db.GetCollection(settings.Collection) : db.CreateCollection(settings.Collection, schema);
        }
        foreach ((string field, PayloadIndexKind kind) in indexes)
        {
            if (!collection.GetStats().PayloadIndexes.Contains((field, kind)))
            {
                collection.CreatePayloadIndex(field, kind);
            }
        }

        var progress = new TransferProgress(total, checkpoint.Copied);
        PointId? offset = ParseOffset(checkpoint.Cursor);
        long copied = checkpoint.Copied, before = checkpoint.Copied;
        bool first = true;
        while (first || offset is not null)
        {
            first = false;
            ScrollResponse page = qdrant.Call($"scroll {settings.SourceCollection} after {copied:N0} points",
                c => c.ScrollAsync(settings.SourceCollection, limit: (uint)settings.BatchSize, offset: offset, payloadSelector: true, vectorsSelector: true));
            if (page.Result.Count > 0)
            {
                var records = new List<Record>(page.Result.Count);
                foreach (RetrievedPoint point in page.Result)
                {
                    records.Add(QdrantPoints.ToRecord(point));
                }
                try
                {
                    collection.UpsertMany(records);
                }
                catch (VectLiteException ex)
                {
                    throw new CliUsageException($"points from {QdrantPoints.Describe(page.Result[0].Id)}: {ex.Message} Nothing of this batch was written; {copied:N0} records are imported: resume with --resume.");
                }
                copied += records.Count;
            }
            offset = page.NextPageOffset;
            if (offset is null)
            {
                break;
            }
            checkpoint = checkpoint with { Cursor = FormatOffset(offset), Copied = copied };
            checkpoint.Write(settings.CheckpointPath);
            progress.Report(copied);
        }
        collection.Flush();
        File.Delete(settings.CheckpointPath);
        progress.Done();
        Console.Out.WriteLine($"imported {copied:N0} records from {settings.SourceCollection} at {qdrant.Address} into {collection.Name}{(settings.Resume ? $" (resumed: {copied - before:N0} in this run)" : "")} in {Format.Duration(progress.Elapsed)} ({progress.Rate(copied):N0}/s)");
        return 0;
    }

    /// <summary>Opens the database for writing, creating it in a missing or empty directory (as <c>create</c> does).</summary>
    private static Database OpenOrCreate(string dir, double lockTimeoutSeconds)
    {
        if (File.Exists(dir))
        {
            throw new CliUsageException($"'{dir}' is a file; a VectLite database is a directory.");
        }
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any() && !Database.Exists(dir))
        {
            throw new CliUsageException($"'{dir}' is not empty and is not a VectLite database.");
        }
        if (!(lockTimeoutSeconds is >= 0 and <= 86_400))
        {
            throw new CliUsageException("--lock-timeout must be between 0 and 86,400 seconds.");
        }
        return Database.Open(dir, new DatabaseOptions { LockTimeout = TimeSpan.FromSeconds(lockTimeoutSeconds) });
    }

    /// <summary>A scroll offset in the checkpoint: "n:42" for a number, "u:UUID" for a UUID.</summary>
    private static string FormatOffset(PointId id) =>
        id.PointIdOptionsCase == PointId.PointIdOptionsOneofCase.Num ? "n:" + id.Num.ToString(CultureInfo.InvariantCulture) : "u:" + id.Uuid;

    private static PointId? ParseOffset(string? cursor) => cursor switch
    {
        null => null,
        ['n', ':', .. string number] when ulong.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) => n,
        ['u', ':', .. string uuid] when Guid.TryParse(uuid, out Guid g) => g,
        _ => throw new CliUsageException($"the checkpoint's cursor '{cursor}' is not a Qdrant point id; delete the checkpoint to start over."),
    };
}

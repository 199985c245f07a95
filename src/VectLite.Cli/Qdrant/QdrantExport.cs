using Qdrant.Client.Grpc;

namespace VectLite.Cli.Qdrant;

/// <summary>
/// <c>vectlite export DB COLLECTION --to-qdrant URL</c>: copies a collection into a Qdrant server through the official
/// client (gRPC): creates the collection (vectors, distance, HNSW <c>m</c>/<c>ef_construct</c>) and its payload
/// indexes, then streams the records in id order in batches, each acknowledged (<c>wait=true</c>) before the
/// <see cref="TransferCheckpoint"/> moves past it.
/// </summary>
/// <remarks>
/// How it works:
/// <list type="number">
/// <item>Everything that can be checked locally is checked first: the URL, the schema (no sparse or multi-vector
/// spaces), the checkpoint (none left over unless <c>--resume</c>; a resumed one must name the same copy).</item>
/// <item>A new copy writes its checkpoint (position: the beginning) before it creates the target, so an interruption at
/// any point leaves something <c>--resume</c> continues: the target is created if it is still missing and the payload
/// indexes are created again (idempotent in Qdrant).</item>
/// <item>A new copy refuses a target collection that already exists, rather than mixing two data sets.</item>
/// <item>Each batch: scroll one page from the saved position, upsert it with <c>wait=true</c>, save the next position.
/// Memory is bounded by one batch.</item>
/// </list>
/// </remarks>
internal static class QdrantExport
{
    /// <summary>The copy's settings, checked by the command.</summary>
    public sealed record Settings(string DatabasePath, string Collection, string? Namespace, string Url, string? ApiKey, string TargetCollection,
        int BatchSize, bool Resume, string CheckpointPath);

    public static int Run(Settings settings)
    {
        using QdrantConnection qdrant = QdrantConnection.Open(settings.Url, "--to-qdrant", settings.ApiKey);
        using Database db = CommonOptions.Open(settings.DatabasePath, readOnly: true);
        Collection collection = db.GetCollection(settings.Collection);
        CreateCollection create = QdrantSchema.ToQdrant(collection, settings.TargetCollection);
        bool unnamed = QdrantSchema.IsUnnamed(collection.Schema);
        IReadOnlyList<(string Field, PayloadSchemaType Type)> indexes = QdrantSchema.PayloadIndexes(collection);
        string source = Path.GetFullPath(settings.DatabasePath);
        const string Direction = "to-qdrant";

        TransferCheckpoint checkpoint;
        bool exists = qdrant.Call($"check collection {settings.TargetCollection}", c => c.CollectionExistsAsync(settings.TargetCollection));
        if (settings.Resume)
        {
            if (!File.Exists(settings.CheckpointPath))
            {
                throw new CliUsageException($"--resume: there is no checkpoint at '{settings.CheckpointPath}'; nothing to resume (leave out --resume to start a new copy).");
            }
            checkpoint = TransferCheckpoint.Read(settings.CheckpointPath);
            checkpoint.CheckMatches(settings.CheckpointPath, Direction, source, collection.Name, settings.TargetCollection);
            if (exists)
            {
                CheckTargetSchema(qdrant, settings.TargetCollection, create);
            }
        }
        else
        {
            if (File.Exists(settings.CheckpointPath))
            {
                TransferCheckpoint left = TransferCheckpoint.Read(settings.CheckpointPath);
                throw new CliUsageException($"an interrupted copy left '{settings.CheckpointPath}' ({left.Copied:N0} records copied): add --resume to continue it, or delete the file to start over.");
            }
            if (exists)
            {
                throw new CliUsageException($"collection '{settings.TargetCollection}' already exists at {qdrant.Address}: choose another name with --collection, or delete it there first (--resume continues only a copy this tool started).");
            }
            checkpoint = new TransferCheckpoint(Direction, source, collection.Name, settings.TargetCollection, Cursor: null, Copied: 0);
            checkpoint.Write(settings.CheckpointPath);
        }
        if (!exists)
        {
            qdrant.Call($"create collection {settings.TargetCollection}", c => c.CreateCollectionAsync(create));
        }
        foreach ((string field, PayloadSchemaType type) in indexes)
        {
            qdrant.Call($"create payload index {field}", c => c.CreatePayloadIndexAsync(settings.TargetCollection, field, type, wait: true));
        }
        foreach (string text in collection.TextIndexes.Keys)
        {
            Console.Error.WriteLine($"note: text index '{text}' is not copied (Qdrant's full-text index has other analyzers); its field is in the payloads.");
        }

        long total = collection.Count(null, settings.Namespace);
        var progress = new TransferProgress(total, checkpoint.Copied);
        string? cursor = checkpoint.Cursor;
        long copied = checkpoint.Copied, before = checkpoint.Copied;
        while (true)
        {
            ScrollPage page = collection.Scroll(new ScrollOptions
            {
                Limit = settings.BatchSize,
                Namespace = settings.Namespace,
                IncludeVectors = true,
                Cursor = cursor,
            });
            if (page.Records.Count > 0)
            {
                var points = new List<PointStruct>(page.Records.Count);
                foreach (Record record in page.Records)
                {
                    points.Add(QdrantPoints.ToPoint(record, unnamed));
                }
                qdrant.Call($"upsert {points.Count} points after {copied:N0}", c => c.UpsertAsync(settings.TargetCollection, points, wait: true));
                copied += points.Count;
            }
            cursor = page.NextCursor;
            if (cursor is null)
            {
                break;
            }
            checkpoint = checkpoint with { Cursor = cursor, Copied = copied };
            checkpoint.Write(settings.CheckpointPath);
            progress.Report(copied);
        }
        File.Delete(settings.CheckpointPath);
        progress.Done();
        Console.Out.WriteLine($"exported {copied:N0} records from {collection.Name} to {settings.TargetCollection} at {qdrant.Address}{(settings.Resume ? $" (resumed: {copied - before:N0} in this run)" : "")} in {Format.Duration(progress.Elapsed)} ({progress.Rate(copied):N0}/s)");
        return 0;
    }

    /// <summary>On resume, the target must have the vectors this copy creates: another collection of the same name is not continued.</summary>
    private static void CheckTargetSchema(QdrantConnection qdrant, string name, CreateCollection expected)
    {
        CollectionInfo info = qdrant.Call($"read collection {name}", c => c.GetCollectionInfoAsync(name));
        string found = Describe(info.Config.Params.VectorsConfig), wanted = Describe(expected.VectorsConfig);
        if (found != wanted)
        {
            throw new CliUsageException($"--resume: collection '{name}' at {qdrant.Address} has vectors {found}, not {wanted}: it is not the copy the checkpoint records.");
        }
    }

    /// <summary>Vector names, sizes and distances, the part of a collection's config a copy depends on.</summary>
    private static string Describe(VectorsConfig? config) => config?.ConfigCase switch
    {
        VectorsConfig.ConfigOneofCase.Params => $"{config.Params.Size}-d {config.Params.Distance}",
        VectorsConfig.ConfigOneofCase.ParamsMap => string.Join(", ", config.ParamsMap.Map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value.Size}-d {p.Value.Distance}")),
        _ => "none",
    };
}

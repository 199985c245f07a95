using System.Text.Json.Nodes;
using VectLite.Storage;

namespace VectLite.Fuzz;

/// <summary>
/// A small database built by the engine once per process, whose collection files each input then replaces one of.
/// Every collection file is kept in memory as the engine wrote it, so each run starts from the same bytes
/// (<see cref="Restore"/>) whatever the previous run's writer open truncated, appended or deleted.
/// </summary>
/// <remarks>
/// Two collections, built deterministically (fixed ids, payloads and HNSW seed, one insert thread):
/// <list type="bullet">
/// <item><c>docs</c>: 4-d L2 vectors with an HNSW graph (M 4, built from 16 vectors) in its checkpoint, payload
/// indexes of all three kinds, namespaces, string and numeric ids, expiries; its log holds one batch of every
/// operation type after the checkpoint.</item>
/// <item><c>meta</c>: metadata only (no vectors files, so a records file stands alone), with payload indexes.</item>
/// </list>
/// </remarks>
internal sealed class FuzzWorkspace
{
    public const string Docs = "docs";
    public const string Meta = "meta";
    public const string WalFileName = "wal.vlwal";

    private static readonly Lazy<FuzzWorkspace> SharedWorkspace = new(() => new FuzzWorkspace());

    private readonly Dictionary<string, Dictionary<string, byte[]>> _templates = new(StringComparer.Ordinal);

    private FuzzWorkspace()
    {
        string root = Environment.GetEnvironmentVariable("VECTLITE_FUZZ_WORKDIR") is { Length: > 0 } configured
            ? configured
            : Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        DatabasePath = Path.Combine(root, $"vectlite-fuzz-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Build(DatabasePath);
        foreach (string name in new[] { Docs, Meta })
        {
            string directory = CollectionDirectory(name);
            _templates[name] = Directory.EnumerateFiles(directory)
                .ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes, StringComparer.Ordinal);
        }
        DocsManifest = CheckpointManifest.Read(CollectionDirectory(Docs));
        MetaManifest = CheckpointManifest.Read(CollectionDirectory(Meta));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDeleteDirectory(DatabasePath);
    }

    /// <summary>The workspace of this process, built on first use.</summary>
    public static FuzzWorkspace Shared => SharedWorkspace.Value;

    /// <summary>The database directory the harnesses open.</summary>
    public string DatabasePath { get; }

    /// <summary>The checkpoint manifest the engine wrote for <c>docs</c>.</summary>
    public CheckpointManifest DocsManifest { get; }

    /// <summary>The checkpoint manifest the engine wrote for <c>meta</c>.</summary>
    public CheckpointManifest MetaManifest { get; }

    /// <summary>The directory of collection <paramref name="name"/>.</summary>
    public string CollectionDirectory(string name) => Path.Combine(DatabasePath, "collections", name);

    /// <summary>The bytes the engine wrote for one file of a collection.</summary>
    public byte[] TemplateFile(string collection, string fileName) => _templates[collection][fileName];

    /// <summary>The names of a collection's files, as the engine left them.</summary>
    public IEnumerable<string> TemplateFileNames(string collection) => _templates[collection].Keys;

    /// <summary>Puts every file of <paramref name="collection"/> back as the engine wrote it and removes any other file.</summary>
    public void Restore(string collection)
    {
        string directory = CollectionDirectory(collection);
        Dictionary<string, byte[]> files = _templates[collection];
        foreach (string path in Directory.EnumerateFiles(directory))
        {
            if (!files.ContainsKey(Path.GetFileName(path)))
            {
                File.Delete(path);
            }
        }
        foreach ((string name, byte[] bytes) in files)
        {
            File.WriteAllBytes(Path.Combine(directory, name), bytes);
        }
    }

    /// <summary>Writes a checkpoint manifest equal to <paramref name="template"/> except for one file entry and the record count.</summary>
    public void WriteManifestWith(string collection, CheckpointManifest template, CheckpointFile replaced, long recordCount)
    {
        var files = template.Files.Select(f => f.Name == replaced.Name ? replaced : f).ToList();
        var manifest = new CheckpointManifest
        {
            Generation = template.Generation,
            Lsn = template.Lsn,
            RecordCount = recordCount,
            CreatedAt = template.CreatedAt,
            Schema = template.Schema,
            PayloadIndexes = template.PayloadIndexes,
            Files = files,
        };
        File.WriteAllBytes(Path.Combine(CollectionDirectory(collection), CheckpointManifest.FileName), manifest.Serialize());
    }

    /// <summary>Builds the two collections in <paramref name="path"/> (see the class remarks).</summary>
    private static void Build(string path)
    {
        using var db = Database.Open(path, new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        var expiry = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var docsSchema = CollectionSchema.SingleVector(4, Metric.L2).WithHnsw(new HnswOptions
        {
            M = 4,
            EfConstruction = 8,
            MinIndexedVectors = 16,
            MaxInsertThreads = 1,
        });
        Collection docs = db.CreateCollection(Docs, docsSchema);
        docs.CreatePayloadIndex("tag", PayloadIndexKind.Keyword);
        docs.CreatePayloadIndex("n", PayloadIndexKind.Numeric);
        docs.CreatePayloadIndex("flag", PayloadIndexKind.Bool);
        docs.UpsertMany(Enumerable.Range(1, 40).Select(i => DocsRecord(i, expiry)));
        docs.Compact();

        // After the checkpoint: one batch of each operation type, so the log seeds cover every decoder branch.
        docs.UpsertMany([DocsRecord(41, expiry), DocsRecord(42, expiry)]);
        docs.Delete(3);
        docs.UpdatePayload(4, new JsonObject { ["tag"] = "green", ["extra"] = new JsonArray(1, "two", null) });
        docs.SetExpiry(6, expiry);
        docs.ClearExpiry(9);
        docs.CreatePayloadIndex("nested.x", PayloadIndexKind.Numeric);
        docs.DropPayloadIndex("flag");
        docs.Upsert(new Record("s-43", new float[] { 0.5f, -0.5f, 0.25f, 1f }) { Namespace = "tenant-a" });

        Collection meta = db.CreateCollection(Meta, CollectionSchema.MetadataOnly());
        meta.CreatePayloadIndex("tag", PayloadIndexKind.Keyword);
        meta.CreatePayloadIndex("n", PayloadIndexKind.Numeric);
        meta.CreatePayloadIndex("flag", PayloadIndexKind.Bool);
        meta.UpsertMany(Enumerable.Range(1, 30).Select(i => MetaRecord(i, expiry)));
        meta.Compact();
        meta.Upsert(MetaRecord(31, expiry));
        meta.Delete(2);
        db.Flush();
    }

    /// <summary>Record <paramref name="i"/> of <c>docs</c>: its vector, payload, id kind and namespace follow from i alone.</summary>
    private static Record DocsRecord(int i, DateTimeOffset expiry)
    {
        float[] vector = [i % 7 * 0.25f, (i % 5) - 2f, i * 0.1f, i % 2 == 0 ? 1f : -1f];
        var record = new Record(i <= 30 ? (RecordId)i : (RecordId)$"s-{i}", vector, Payload(i))
        {
            Namespace = i % 5 == 0 ? "tenant-a" : null,
        };
        if (i % 9 == 0)
        {
            record.ExpiresAt = expiry;
        }
        return record;
    }

    /// <summary>Record <paramref name="i"/> of <c>meta</c>; every tenth has no payload.</summary>
    private static Record MetaRecord(int i, DateTimeOffset expiry) =>
        new(i % 4 == 0 ? (RecordId)$"m-{i}" : (RecordId)i)
        {
            Payload = i % 10 == 0 ? null : Payload(i),
            Namespace = i % 6 == 0 ? "tenant-b" : null,
            ExpiresAt = i % 7 == 0 ? expiry : null,
        };

    private static JsonObject Payload(int i) => new()
    {
        ["tag"] = (i % 3) switch { 0 => "red", 1 => "blue", _ => new JsonArray("red", "green") },
        ["n"] = i % 4 == 0 ? i * 1.5 : i,
        ["flag"] = i % 2 == 0,
        ["title"] = $"record number {i}",
        ["nested"] = new JsonObject { ["x"] = i % 5, ["y"] = new JsonArray(i, "v" + i, null) },
        ["items"] = new JsonArray(new JsonObject { ["sku"] = $"k{i % 4}", ["qty"] = i % 3 }),
    };

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: the run script deletes the work directory too
        }
        catch (UnauthorizedAccessException)
        {
            // as above
        }
    }
}

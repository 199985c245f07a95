using System.Text.Json.Nodes;

namespace VectLite.Cli.Tests;

/// <summary>
/// A real database in a fresh temporary directory (deleted at the end), built through the engine's public API:
/// collection "docs" (8-d L2, a keyword payload index on "category"), 300 records checkpointed (so generation 1 has a
/// records file, a vectors file and an HNSW graph), then three log batches: upsert 300..309, upsert 310..319, delete 0.
/// </summary>
internal sealed class SampleDatabase : IDisposable
{
    /// <summary>Visible records: 320 written, record 0 deleted.</summary>
    public const int RecordCount = 319;

    public const int LogBatches = 3;

    public SampleDatabase(bool create = true)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vectlite-cli-tests", Guid.NewGuid().ToString("N"));
        if (!create)
        {
            return;
        }
        using Database db = Database.Open(Path);
        Collection docs = db.CreateCollection("docs", CollectionSchema.SingleVector(8, Metric.L2));
        docs.CreatePayloadIndex("category", PayloadIndexKind.Keyword);
        docs.UpsertMany(Enumerable.Range(0, 300).Select(Record));
        docs.Compact();
        docs.UpsertMany(Enumerable.Range(300, 10).Select(Record));
        docs.UpsertMany(Enumerable.Range(310, 10).Select(Record));
        docs.Delete(0);
    }

    public string Path { get; }

    public string CollectionDirectory => System.IO.Path.Combine(Path, "collections", "docs");

    public string WalPath => System.IO.Path.Combine(CollectionDirectory, "wal.vlwal");

    /// <summary>Record i: vector (i, i+1, ..., i+7) and payload {"category": "a" for even i, "b" for odd, "n": i}.</summary>
    public static Record Record(int i) =>
        new((ulong)i, Enumerable.Range(i, 8).Select(v => (float)v).ToArray(), new JsonObject { ["category"] = i % 2 == 0 ? "a" : "b", ["n"] = i });


    /// <summary>Flips one bit of byte <paramref name="offset"/> of the file <paramref name="relativePath"/> (relative to the database).</summary>
    public void FlipByte(string relativePath, long offset)
    {
        string path = System.IO.Path.Combine(Path, relativePath);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.InRange(offset, 0, bytes.Length - 1);
        bytes[offset] ^= 0x10;
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Every file under the database, relative, with its content hash: to prove a command changed nothing.</summary>
    public SortedDictionary<string, string> Fingerprint() => DirectoryFingerprint.Of(Path);

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
        catch (IOException)
        {
            // a child process may still be exiting; the temp folder is cleaned by the OS eventually
        }
    }
}

using System.Buffers.Binary;
using System.Text;
using VectLite.Storage;

namespace VectLite.Fuzz;

/// <summary>
/// Writes the seed corpus: the files the engine wrote for the workspace, a few damaged variants, and filter samples
/// from docs/filters.md. Regenerate with <c>dotnet run --project fuzz/VectLite.Fuzz -- --seed fuzz/corpus</c>.
/// </summary>
internal static class SeedCorpus
{
    private static readonly string[] Filters =
    [
        """{"tag": "red"}""",
        """{"tag": {"$in": ["red", "green"]}, "flag": true}""",
        """{"n": {"$gt": 5, "$lte": 20}}""",
        """{"$or": [{"tag": "blue"}, {"n": {"$lt": 3}}]}""",
        """{"$not": {"nested.x": 2}}""",
        """{"items.sku": {"$nin": ["k1", "k2"]}, "nested.y": {"$contains": "v7"}}""",
        """{"title": {"$contains": "number 1"}, "missing": null}""",
        """{"nested.y.0": {"$gte": 10}, "tag": {"$exists": true}}""",
        """{"$and": [{"n": {"$ne": 6}}, {"flag": {"$not": {"$eq": false}}}]}""",
        """{"n": 1.0, "tag": {"$gt": "b", "$lt": "s"}}""",
        """{"items.0.qty": {"$in": [0, 2, null]}}""",
        """{"$or": [{"$and": [{"tag": "red"}, {"flag": false}]}, {"$not": {"n": {"$gte": -1e300}}}]}""",
    ];

    /// <summary>Writes every target's seeds under <paramref name="corpusDirectory"/>/TARGET/.</summary>
    public static void Write(string corpusDirectory)
    {
        FuzzWorkspace workspace = FuzzWorkspace.Shared;
        CheckpointManifest docs = workspace.DocsManifest;
        CheckpointManifest meta = workspace.MetaManifest;
        byte[] log = workspace.TemplateFile(FuzzWorkspace.Docs, FuzzWorkspace.WalFileName);
        List<(int Offset, int Length)> frames = Frames(log);

        Put(corpusDirectory, "wal", "docs-log.vlwal", log);
        Put(corpusDirectory, "wal", "header-only.vlwal", log[..WalFormat.FileHeaderSize]);
        Put(corpusDirectory, "wal", "torn-last-frame.vlwal", log[..^5]);
        byte[] flipped = (byte[])log.Clone();
        flipped[frames[1].Offset + WalFormat.FrameHeaderSize] ^= 0x10;
        Put(corpusDirectory, "wal", "flipped-bit-frame-2.vlwal", flipped);

        // The same logs seed the checksum-repairing target; its repair leaves an intact log unchanged.
        foreach (string name in new[] { "docs-log.vlwal", "header-only.vlwal", "torn-last-frame.vlwal" })
        {
            Put(corpusDirectory, "walframes", name, File.ReadAllBytes(Path.Combine(corpusDirectory, "wal", name)));
        }
        byte[] sameLsnTwice = [.. log, .. log.AsSpan(frames[^1].Offset)];
        Put(corpusDirectory, "walframes", "last-frame-twice.vlwal", sameLsnTwice);

        for (int i = 0; i < frames.Count; i++)
        {
            (int offset, int length) = frames[i];
            Put(corpusDirectory, "walbatch", $"batch-{i + 1}.bin", log.AsSpan(offset + WalFormat.FrameHeaderSize, length).ToArray());
        }

        byte[] manifest = workspace.TemplateFile(FuzzWorkspace.Docs, CheckpointManifest.FileName);
        Put(corpusDirectory, "manifest", "checkpoint.vlck", manifest);
        int bodyLength = BinaryPrimitives.ReadInt32LittleEndian(manifest.AsSpan(12));
        Put(corpusDirectory, "manifest", "checkpoint-body.json", manifest.AsSpan(16, bodyLength).ToArray());

        Put(corpusDirectory, "records", "meta.records.vlrec", workspace.TemplateFile(FuzzWorkspace.Meta, CheckpointManifest.RecordsFileName(meta.Generation)));
        Put(corpusDirectory, "vectors", "docs.vec0.vlvec", workspace.TemplateFile(FuzzWorkspace.Docs, CheckpointManifest.VectorsFileName(docs.Generation, 0)));
        Put(corpusDirectory, "graph", "docs.hnsw0.vlhnsw", workspace.TemplateFile(FuzzWorkspace.Docs, CheckpointManifest.GraphFileName(docs.Generation, 0)));

        for (int i = 0; i < Filters.Length; i++)
        {
            Put(corpusDirectory, "filter", $"filter-{i + 1:D2}.json", Encoding.UTF8.GetBytes(Filters[i]));
        }
    }

    /// <summary>The offset and body length of every frame of an intact log.</summary>
    private static List<(int Offset, int Length)> Frames(byte[] log)
    {
        var frames = new List<(int, int)>();
        int offset = WalFormat.FileHeaderSize;
        while (offset < log.Length)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(log.AsSpan(offset));
            frames.Add((offset, length));
            offset += WalFormat.FrameHeaderSize + length;
        }
        return frames;
    }

    private static void Put(string corpusDirectory, string target, string name, byte[] bytes)
    {
        string directory = Path.Combine(corpusDirectory, target);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, name), bytes);
    }
}

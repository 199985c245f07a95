using VectLite.Tests.Vectors;

namespace VectLite.Tests.Engine;

/// <summary>
/// A database written before the engine kept cosine vectors as written (Fixtures/cosine-unit-vectors, by the version
/// that normalised them): its checkpoint files, log and graph hold unit vectors. A unit vector is a valid stored vector,
/// so it opens, replays, searches and takes new raw vectors with no migration.
/// </summary>
public sealed class UnitVectorDatabaseTests : IDisposable
{
    private const int Dimension = 8;

    private readonly TempDatabase _temp = new();

    public UnitVectorDatabaseTests()
    {
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cosine-unit-vectors"), _temp.Path);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Opens_with_its_saved_graph_and_reads_the_unit_vectors_it_holds()
    {
        using Database db = _temp.Open();
        Collection docs = db.GetCollection("docs");

        Assert.Equal(220, docs.Count());
        Assert.Equal("loaded", docs.GetStats().VectorIndexes[0].Origin);
        for (int i = 0; i < 220; i++)
        {
            // Record 5 was rewritten in the log with another vector.
            AssertUnitAlong(Raw(i == 5 ? 1005 : i), docs.Get(i)!.Vector!.Value.ToArray(), $"record {i}");
            Assert.Equal(i, (int)docs.Get(i)!.Payload!["n"]!);
        }
    }

    [Fact]
    public void Searches_its_unit_vectors_with_raw_queries_exactly_and_through_the_loaded_graph()
    {
        using Database db = _temp.Open();
        Collection docs = db.GetCollection("docs");
        AssertSearchesRight(docs, extra: 0);
    }

    [Fact]
    public void Takes_raw_vectors_beside_the_old_unit_ones_through_reopen_and_checkpoint()
    {
        float[][] added = [[3f, 4f, 0f, 0f, 0f, 0f, 0f, 0f], [0.1f, -0.2f, 0.3f, 1e-20f, 0f, 0f, 0f, 5e6f]];
        using (Database db = _temp.Open())
        {
            Collection docs = db.GetCollection("docs");
            docs.Upsert(new Record(300, added[0]));
            docs.Upsert(new Record(301, added[1]));
            AssertBits(added, docs);
        }

        using (Database db = _temp.Open())
        {
            Collection docs = db.GetCollection("docs");
            AssertBits(added, docs);
            docs.Compact();
            AssertBits(added, docs);
        }

        using (Database db = _temp.Open())
        {
            Collection docs = db.GetCollection("docs");
            Assert.Equal("loaded", docs.GetStats().VectorIndexes[0].Origin);
            AssertBits(added, docs);
            AssertUnitAlong(Raw(7), docs.Get(7)!.Vector!.Value.ToArray(), "record 7 after the checkpoint");
            AssertSearchesRight(docs, extra: 2, added);
        }
    }

    /// <summary>
    /// Exact and graph searches (an ef above the record count, so the graph walk must find the exact answer) against
    /// a brute force in double over the original raw vectors, which have the same cosines as the stored unit vectors.
    /// </summary>
    private static void AssertSearchesRight(Collection docs, int extra, float[][]? added = null)
    {
        var all = Enumerable.Range(0, 220).Select(i => (Id: (ulong)i, Vector: Raw(i == 5 ? 1005 : i))).ToList();
        for (int a = 0; a < extra; a++)
        {
            all.Add(((ulong)(300 + a), added![a]));
        }

        for (int q = 0; q < 20; q++)
        {
            float[] query = Raw(5000 + (37 * q));
            var expected = all.Select(r => (r.Id, Score: CosineKernelTests.CosineInDouble(query, r.Vector)))
                .OrderByDescending(r => r.Score).Take(10).ToList();
            foreach (bool exact in new[] { true, false })
            {
                IReadOnlyList<SearchHit> hits = docs.Search(query, new SearchOptions { TopK = 10, Exact = exact, Ef = 1000 });
                Assert.Equal(10, hits.Count);
                for (int i = 0; i < 10; i++)
                {
                    // Ties (equal cosines) may come in either order; compare the scores, and each hit's own score.
                    Assert.True(Math.Abs(hits[i].Score - expected[i].Score) <= 1e-6, $"query {q} exact {exact} rank {i}: {hits[i].Score}, expected {expected[i].Score}");
                    float[] stored = all.Single(r => r.Id == hits[i].Id.AsNumber).Vector;
                    Assert.True(Math.Abs(hits[i].Score - CosineKernelTests.CosineInDouble(query, stored)) <= 1e-6, $"query {q} hit {hits[i].Id}");
                }
            }
        }
    }

    private static void AssertBits(float[][] added, Collection docs)
    {
        for (int a = 0; a < added.Length; a++)
        {
            float[] back = docs.Get(300 + a)!.Vector!.Value.ToArray();
            Assert.Equal(added[a].Select(BitConverter.SingleToInt32Bits), back.Select(BitConverter.SingleToInt32Bits));
        }
    }

    private static void AssertUnitAlong(float[] original, float[] stored, string what)
    {
        double norm = Math.Sqrt(stored.Sum(x => (double)x * x));
        Assert.True(Math.Abs(norm - 1) <= 1e-6, $"{what}: norm {norm}, the old version stored unit vectors.");
        Assert.True(CosineKernelTests.CosineInDouble(original, stored) >= 1 - 1e-6, $"{what}: not along the vector written.");
    }

    /// <summary>The vectors the fixture's writer used (see Fixtures/cosine-unit-vectors/README.md).</summary>
    private static float[] Raw(int i)
    {
        float scale = (1 + (i % 5)) * MathF.Pow(10f, (i % 3) - 1);
        return Enumerable.Range(0, Dimension).Select(j => ((((i * 7) + (j * 13)) % 17) - 8 + (0.25f * (j + 1))) * scale).ToArray();
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
        {
            if (!file.EndsWith(".md", StringComparison.Ordinal))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }

        foreach (string directory in Directory.GetDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
        }
    }
}

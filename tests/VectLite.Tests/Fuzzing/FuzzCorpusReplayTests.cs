using VectLite.Fuzz;

namespace VectLite.Tests.Fuzzing;

/// <summary>
/// Replays the fuzzing seed corpus (fuzz/corpus/TARGET) and every committed reproducer of a fixed finding
/// (fuzz/findings/TARGET) through the fuzz harnesses in-process: each input must be accepted or refused with the
/// documented typed exception, and the harness's invariants (round trips, index-versus-scan, no lost write) must hold.
/// </summary>
public sealed class FuzzCorpusReplayTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "fuzz");

    /// <summary>Every (target, file) pair of the corpus and of the fixed findings.</summary>
    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (string folder in new[] { "corpus", "findings" })
        {
            foreach (string target in FuzzTargets.Names)
            {
                string directory = Path.Combine(Root, folder, target);
                if (!Directory.Exists(directory))
                {
                    continue;
                }
                foreach (string file in Directory.EnumerateFiles(directory).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                {
                    data.Add(target, Path.GetRelativePath(Root, file));
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Input_is_accepted_or_refused_with_a_typed_error(string target, string file)
    {
        byte[] input = File.ReadAllBytes(Path.Combine(Root, file));

        Exception? finding = Xunit.Record.Exception(() => FuzzTargets.Run(target, input));

        Assert.Null(finding);
    }

    [Fact]
    public void Every_target_has_seeds_so_the_replay_is_not_empty()
    {
        foreach (string target in FuzzTargets.Names)
        {
            string directory = Path.Combine(Root, "corpus", target);
            Assert.True(Directory.Exists(directory) && Directory.EnumerateFiles(directory).Any(), $"fuzz/corpus/{target} has no seed");
        }
    }

    [Fact]
    public void The_graph_seed_reaches_search_as_a_loaded_graph_not_a_rebuilt_one()
    {
        // If the harness wrote the graph under a stamp or parameters the engine does not expect, every input would be
        // refused and rebuilt, and the graph target would fuzz nothing past the header checks.
        FuzzTargets.Run("graph", File.ReadAllBytes(Path.Combine(Root, "corpus", "graph", "docs.hnsw0.vlhnsw")));

        using Database db = Database.Open(FuzzWorkspace.Shared.DatabasePath, new DatabaseOptions { ReadOnly = true });
        VectorIndexStats index = Assert.Single(db.GetCollection(FuzzWorkspace.Docs).GetStats().VectorIndexes);
        Assert.Equal("loaded", index.Origin);
    }
}

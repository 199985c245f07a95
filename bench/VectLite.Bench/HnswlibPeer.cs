using System.Globalization;
using System.Text.Json;

namespace VectLite.Bench;

/// <summary>The C++ peer (<c>hnswlib_peer.sh</c>, built with -O3 -march=native) and the data-set script beside it.</summary>
internal sealed class HnswlibPeer
{
    /// <summary>Checks that <paramref name="peersDirectory"/> holds the peer scripts.</summary>
    /// <exception cref="FileNotFoundException">It does not.</exception>
    public HnswlibPeer(string peersDirectory)
    {
        string script = Path.Combine(peersDirectory, "hnswlib_peer.sh");
        if (!File.Exists(script))
        {
            throw new FileNotFoundException($"No peer at {script}: pass --peers DIR or set VECTLITE_PEERS_DIR to the folder holding hnswlib_peer.sh.", script);
        }
        PeersDirectory = peersDirectory;
    }

    /// <summary>The folder holding <c>hnswlib_peer.sh</c> and <c>fashion_mnist.sh</c>.</summary>
    public string PeersDirectory { get; }

    /// <summary>Runs <c>fashion_mnist.sh</c> (preparing the data on first use, about 30 s) and returns the folder it prints.</summary>
    public string PrepareFashionMnist()
    {
        string output = ProcessRunner.Run("/bin/sh", Path.Combine(PeersDirectory, "fashion_mnist.sh"));
        string? folder = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return folder ?? throw new InvalidOperationException("fashion_mnist.sh printed no folder.");
    }

    /// <summary>
    /// Runs the peer's HNSW benchmark on <paramref name="dataDirectory"/>: a build with <paramref name="threads"/>
    /// threads, then every ef of <paramref name="efs"/> over all of query.fvecs on one thread.
    /// </summary>
    /// <exception cref="InvalidOperationException">The peer fails, or prints no build line or not one search line per ef.</exception>
    public PeerHnswRun RunHnsw(string dataDirectory, string metric, int m, int efConstruction, IReadOnlyList<int> efs, int k, int threads)
    {
        string output = ProcessRunner.Run("/bin/sh", Path.Combine(PeersDirectory, "hnswlib_peer.sh"), dataDirectory,
            "--metric", metric,
            "--M", m.ToString(CultureInfo.InvariantCulture),
            "--ef-construction", efConstruction.ToString(CultureInfo.InvariantCulture),
            "--ef", string.Join(',', efs.Select(ef => ef.ToString(CultureInfo.InvariantCulture))),
            "--k", k.ToString(CultureInfo.InvariantCulture),
            "--build-threads", threads.ToString(CultureInfo.InvariantCulture));
        double? buildSeconds = null;
        var points = new List<HnswSearchPoint>();
        foreach (string line in JsonLines(output))
        {
            using JsonDocument json = JsonDocument.Parse(line);
            JsonElement root = json.RootElement;
            switch (root.GetProperty("phase").GetString())
            {
                case "build":
                    if (root.GetProperty("threads").GetInt32() != threads || root.GetProperty("M").GetInt32() != m || root.GetProperty("ef_construction").GetInt32() != efConstruction)
                    {
                        throw new InvalidOperationException($"The peer built with other parameters than asked (M {m}, ef_construction {efConstruction}, {threads} threads): {line}");
                    }
                    buildSeconds = root.GetProperty("seconds").GetDouble();
                    break;
                case "search":
                    points.Add(new HnswSearchPoint(
                        root.GetProperty("ef").GetInt32(),
                        root.GetProperty("queries").GetInt32(),
                        root.GetProperty("recall").GetDouble(),
                        root.GetProperty("qps").GetDouble(),
                        root.GetProperty("p50_ms").GetDouble(),
                        root.GetProperty("p99_ms").GetDouble()));
                    break;
            }
        }
        if (buildSeconds is null || points.Count != efs.Count)
        {
            throw new InvalidOperationException($"The peer printed {(buildSeconds is null ? "no" : "a")} build line and {points.Count} search lines for {efs.Count} ef values. Output:\n{output}");
        }
        return new PeerHnswRun(threads, buildSeconds.Value, points);
    }

    /// <summary>Runs the peer's exact SIMD scan (<c>--flat</c>, k = 10) on <paramref name="dataDirectory"/>.</summary>
    public PeerSearchResult RunFlat(string dataDirectory)
    {
        string output = ProcessRunner.Run("/bin/sh", Path.Combine(PeersDirectory, "hnswlib_peer.sh"), dataDirectory, "--flat");
        foreach (string line in JsonLines(output))
        {
            using JsonDocument json = JsonDocument.Parse(line);
            JsonElement root = json.RootElement;
            if (root.TryGetProperty("phase", out JsonElement phase) && phase.GetString() == "search")
            {
                return new PeerSearchResult(
                    root.GetProperty("peer").GetString() ?? "hnswlib",
                    root.GetProperty("queries").GetInt32(),
                    root.GetProperty("qps").GetDouble(),
                    root.GetProperty("recall").GetDouble(),
                    line);
            }
        }
        throw new InvalidOperationException($"The peer printed no search line. Output:\n{output}");
    }

    /// <summary>The lines of <paramref name="output"/> that hold a JSON object.</summary>
    private static IEnumerable<string> JsonLines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(line => line.StartsWith('{'));
}

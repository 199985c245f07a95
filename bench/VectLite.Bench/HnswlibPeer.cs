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

    /// <summary>Runs the peer's exact SIMD scan (<c>--flat</c>, k = 10) on <paramref name="dataDirectory"/>.</summary>
    public PeerSearchResult RunFlat(string dataDirectory)
    {
        string output = ProcessRunner.Run("/bin/sh", Path.Combine(PeersDirectory, "hnswlib_peer.sh"), dataDirectory, "--flat");
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }
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
}

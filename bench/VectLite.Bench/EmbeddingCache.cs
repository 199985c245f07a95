using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using VectLite.Embeddings;

namespace VectLite.Bench;

/// <summary>
/// MiniLM embeddings of a list of texts, computed once and kept in a file named by a hash of the model and the
/// texts (raw little-endian float32, 384 per text), so rounds and re-runs do not pay the model again.
/// </summary>
internal static class EmbeddingCache
{
    /// <summary>The embeddings of <paramref name="texts"/>, in order, from the cache or the model.</summary>
    /// <param name="texts">The texts.</param>
    /// <param name="folder">The cache folder (created if missing).</param>
    /// <param name="label">What the texts are, for progress lines.</param>
    /// <param name="computeTime">Time spent in the model; zero when read from the cache.</param>
    public static float[][] Get(IReadOnlyList<string> texts, string folder, string label, out TimeSpan computeTime)
    {
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, $"minilm-{Key(texts)}.f32");
        const int dims = MiniLmEmbeddingGenerator.Dimensions;
        computeTime = TimeSpan.Zero;
        if (File.Exists(file) && new FileInfo(file).Length == (long)texts.Count * dims * sizeof(float))
        {
            byte[] bytes = File.ReadAllBytes(file);
            float[] all = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
            return [.. Enumerable.Range(0, texts.Count).Select(i => all.AsSpan(i * dims, dims).ToArray())];
        }

        using var generator = new MiniLmEmbeddingGenerator();
        var result = new float[texts.Count][];
        var watch = System.Diagnostics.Stopwatch.StartNew();
        const int chunk = 512;
        // Chunks of similar length (the generator pads each batch to its longest text), in chunks for progress.
        int[] order = [.. Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length)];

        // Each finished chunk is appended to a partial file (in the order above), so a run that is stopped (a session's
        // end, a kill) resumes where it was instead of paying the model again for the whole corpus.
        string partial = file + ".partial";
        int done = ResumeFrom(partial, order, result, dims);
        using (FileStream progress = new(partial, FileMode.Append, FileAccess.Write))
        {
            for (int start = done; start < texts.Count; start += chunk)
            {
                int[] indexes = [.. order.Skip(start).Take(chunk)];
                string[] part = [.. indexes.Select(i => texts[i])];
                var embeddings = generator.GenerateAsync(part).GetAwaiter().GetResult();
                for (int i = 0; i < part.Length; i++)
                {
                    result[indexes[i]] = embeddings[i].Vector.ToArray();
                    progress.Write(MemoryMarshal.AsBytes(result[indexes[i]].AsSpan()));
                }
                progress.Flush();
                Console.Error.Write($"\rembedding {label}: {start + part.Length:N0} / {texts.Count:N0} ({(start + part.Length - done) / watch.Elapsed.TotalSeconds:N1}/s)   ");
            }
        }
        computeTime = watch.Elapsed;
        Console.Error.WriteLine();
        using (FileStream output = File.Create(file + ".tmp"))
        {
            foreach (float[] vector in result)
                output.Write(MemoryMarshal.AsBytes(vector.AsSpan()));
        }
        File.Move(file + ".tmp", file, overwrite: true);
        File.Delete(partial);
        return result;
    }

    /// <summary>
    /// Reads the whole chunks an earlier, stopped run appended to <paramref name="partial"/> into
    /// <paramref name="result"/> (in <paramref name="order"/>), cuts a torn last chunk, and returns how many texts it held.
    /// </summary>
    private static int ResumeFrom(string partial, int[] order, float[][] result, int dims)
    {
        if (!File.Exists(partial))
        {
            return 0;
        }
        long vectorBytes = (long)dims * sizeof(float);
        int done = (int)Math.Min(order.Length, new FileInfo(partial).Length / vectorBytes);
        using (FileStream input = File.OpenRead(partial))
        {
            var buffer = new byte[vectorBytes];
            for (int i = 0; i < done; i++)
            {
                input.ReadExactly(buffer);
                result[order[i]] = MemoryMarshal.Cast<byte, float>(buffer).ToArray();
            }
        }
        using (FileStream cut = new(partial, FileMode.Open, FileAccess.Write))
        {
            cut.SetLength(done * vectorBytes); // a vector half written when the run stopped goes
        }
        Console.Error.WriteLine($"embedding: resuming after {done:N0} texts from {partial}");
        return done;
    }

    private static string Key(IReadOnlyList<string> texts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(MiniLmEmbeddingGenerator.ModelId + "\n"));
        foreach (string text in texts)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData("\0"u8);
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }
}

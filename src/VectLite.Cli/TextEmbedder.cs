using System.Text.Json.Nodes;
#if VECTLITE_EMBEDDINGS
using Microsoft.Extensions.AI;
using VectLite.Embeddings;
#endif

namespace VectLite.Cli;

/// <summary>
/// Text to vectors for <c>import --embed</c> and <c>search --text</c>: all-MiniLM-L6-v2 from the VectLite.Embeddings
/// package (384 dimensions, unit length), run in-process.
/// </summary>
/// <remarks>
/// The dotnet tool carries the model. The Native AOT build of vectlite (<c>-p:PublishAot=true</c>) leaves it out (it
/// would add ONNX Runtime's native library and 90 MB of weights to a small self-contained binary), so there both
/// options stop with a usage error that says so.
/// </remarks>
internal sealed class TextEmbedder : IDisposable
{
#if VECTLITE_EMBEDDINGS
    private readonly MiniLmEmbeddingGenerator _generator = new();
#endif

    private TextEmbedder()
    {
    }

    /// <summary>The length of the vectors this embedder makes.</summary>
    public const int Dimensions = 384;

    /// <summary>Loads the model.</summary>
    /// <param name="option">The option that asked for it, for the error message of a build without the model.</param>
    /// <exception cref="CliUsageException">This build has no embedding model.</exception>
    public static TextEmbedder Load(string option)
    {
#if VECTLITE_EMBEDDINGS
        _ = option;
        return new TextEmbedder();
#else
        throw new CliUsageException($"{option}: this vectlite binary was built without the embedding model (the Native AOT build leaves it out); use the vectlite dotnet tool (dotnet tool install VectLite.Cli) or `dotnet run --project src/VectLite.Cli`.");
#endif
    }

    /// <summary>Embeds the texts, in order.</summary>
    public float[][] Embed(IReadOnlyList<string> texts)
    {
#if VECTLITE_EMBEDDINGS
        GeneratedEmbeddings<Embedding<float>> embeddings = _generator.GenerateAsync(texts).GetAwaiter().GetResult();
        return [.. embeddings.Select(e => e.Vector.ToArray())];
#else
        _ = texts;
        throw new InvalidOperationException("unreachable: Load refuses without the model");
#endif
    }

    /// <summary>
    /// The text a record's payload holds at a dot path (<c>body</c>, <c>doc.title</c>), for <c>import --embed</c>.
    /// </summary>
    /// <exception cref="CliUsageException">The path is missing or not a string; the message names the line.</exception>
    public static string TextAt(Record record, string path, long lineNumber)
    {
        JsonNode? node = record.Payload;
        foreach (string part in path.Split('.'))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(part, out JsonNode? child) ? child : null;
        }
        return node is JsonValue value && value.TryGetValue(out string? text)
            ? text
            : throw new CliUsageException($"line {lineNumber}: --embed {path}: the payload has no string at \"{path}\".");
    }

    /// <summary>Frees the model.</summary>
    public void Dispose()
    {
#if VECTLITE_EMBEDDINGS
        _generator.Dispose();
#endif
    }
}

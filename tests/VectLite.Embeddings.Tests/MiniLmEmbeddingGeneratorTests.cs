using Microsoft.Extensions.AI;

namespace VectLite.Embeddings.Tests;

public sealed class MiniLmEmbeddingGeneratorTests : IClassFixture<MiniLmFixture>
{
    private readonly MiniLmFixture _fixture;

    public MiniLmEmbeddingGeneratorTests(MiniLmFixture fixture) => _fixture = fixture;

    private MiniLmEmbeddingGenerator Generator => _fixture.Generator;

    [Fact]
    public async Task Embeddings_match_an_independent_pipeline_over_the_same_model()
    {
        string[] texts =
        [
            "The quick brown fox jumps over the lazy dog.",
            "Write-ahead logging keeps acknowledged writes across a power cut.",
            "Ünïcödé àccents and CAPITALS are folded like BERT's uncased tokenizer does",
            "",
        ];

        GeneratedEmbeddings<Embedding<float>> embeddings = await Generator.GenerateAsync(texts);

        Assert.Equal(texts.Length, embeddings.Count);
        for (int i = 0; i < texts.Length; i++)
        {
            float[] expected = _fixture.Reference.Embed(texts[i], maxTokens: 256);
            float[] actual = embeddings[i].Vector.ToArray();
            Assert.Equal(384, actual.Length);
            Assert.True(Cosine(expected, actual) > 0.9999, $"text {i}: cosine {Cosine(expected, actual)} to the reference");
            Assert.Equal(1.0, Math.Sqrt(Dot(actual, actual)), 4);
            Assert.Equal(MiniLmEmbeddingGenerator.ModelId, embeddings[i].ModelId);
        }
    }

    [Fact]
    public async Task A_long_text_is_cut_to_the_model_window_of_512_word_pieces()
    {
        string text = string.Join(' ', Enumerable.Range(0, 400).Select(i => $"token{i % 37} alpha{i % 11}"));
        Assert.True(_fixture.Reference.TokenCount(text) > 600);


        float[] actual = (await Generator.GenerateAsync([text]))[0].Vector.ToArray();

        Assert.True(Cosine(_fixture.Reference.Embed(text, maxTokens: 512), actual) > 0.9999);
        Assert.True(Cosine(_fixture.Reference.Embed(text, maxTokens: 256), actual) < 0.99); // not sentence-transformers' 256
    }

    [Fact]
    public async Task Batches_keep_the_input_order()
    {
        using var small = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingOptions { BatchSize = 2 });
        string[] texts = ["red apples", "a database index built at every checkpoint", "ocean waves", "compilers and linkers of the early eighties", "violin concerto"];

        GeneratedEmbeddings<Embedding<float>> embeddings = await small.GenerateAsync(texts);

        Assert.Equal(texts.Length, embeddings.Count);
        for (int i = 0; i < texts.Length; i++)
            Assert.True(Cosine(_fixture.Reference.Embed(texts[i], 256), embeddings[i].Vector.ToArray()) > 0.9999, $"text {i}");
    }

    [Fact]
    public async Task Paraphrases_are_nearer_than_unrelated_sentences()
    {
        string[] documents =
        [
            "Boil the spaghetti in salted water for ten minutes.",
            "The central bank raised interest rates again.",
            "The striker scored twice in the second half.",
        ];
        string[] queries = ["how long should I cook pasta", "monetary policy and inflation", "football match goals"];

        var docs = await Generator.GenerateAsync(documents);
        var asked = await Generator.GenerateAsync(queries);

        for (int q = 0; q < queries.Length; q++)
        {
            int best = Enumerable.Range(0, documents.Length).MaxBy(d => Dot(asked[q].Vector.ToArray(), docs[d].Vector.ToArray()));
            Assert.Equal(q, best);
        }
    }

    [Fact]
    public async Task Bad_input_gets_argument_errors_that_name_the_problem()
    {
        var nullText = await Assert.ThrowsAsync<ArgumentNullException>(() => Generator.GenerateAsync(["fine", null!]));
        Assert.Contains("Text 1 of 2", nullText.Message, StringComparison.Ordinal);

        var dims = await Assert.ThrowsAsync<ArgumentException>(() => Generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 512 }));
        Assert.Contains("384", dims.Message, StringComparison.Ordinal);
        Assert.Contains("512", dims.Message, StringComparison.Ordinal);

        var model = await Assert.ThrowsAsync<ArgumentException>(() => Generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { ModelId = "text-embedding-3-small" }));
        Assert.Contains("text-embedding-3-small", model.Message, StringComparison.Ordinal);

        Assert.Equal(384, (await Generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 384, ModelId = "all-MiniLM-L6-v2" }))[0].Vector.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLmEmbeddingOptions { BatchSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLmEmbeddingOptions { IntraOpThreads = 0 });
    }

    [Fact]
    public async Task A_cancelled_token_stops_before_the_next_batch()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Generator.GenerateAsync(["a", "b"], cancellationToken: cts.Token));
    }

    [Fact]
    public async Task A_disposed_generator_refuses_work()
    {
        var generator = new MiniLmEmbeddingGenerator();
        generator.Dispose();
        generator.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["a"]));
    }

    [Fact]
    public void Metadata_names_the_model_and_its_length()
    {
        var metadata = Generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Same(Generator, Generator.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Null(Generator.GetService(typeof(EmbeddingGeneratorMetadata), serviceKey: "other"));
    }

    internal static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
            sum += (double)a[i] * b[i];
        return sum;
    }

    internal static double Cosine(float[] a, float[] b) => Dot(a, b) / Math.Sqrt(Dot(a, a) * Dot(b, b));
}

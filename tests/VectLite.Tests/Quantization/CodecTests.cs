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
    public void DotShorts_matches_its_scalar_twin_at_every_length()
    {
        // Lengths across both vector widths (16 and 32 components a step) and their tails; weights at the full range.
        var random = new Random(5);
        for (int n = 1; n <= 200; n++)
        {
            int limit = CodeKernels.MaxQuantizedWeight(n);
            var weights = Enumerable.Range(0, n).Select(_ => (short)random.Next(-limit, limit + 1)).ToArray();
            var codes = new byte[n];
            random.NextBytes(codes);
            Assert.Equal(CodeKernels.DotShortsScalar(weights, codes), CodeKernels.DotShorts(weights, codes));
        }
    }

    [Fact]
    public void DotShorts_of_hand_computed_values()
    {
        // 16 and 32 components, so each vector path runs: weights 1..n, codes 255 then 1, 2, ...:
        // 255 + sum(i * (i - 1)) for i 2..n (1,360 for n 16; 10,912 for n 32).
        foreach ((int n, long expected) in new[] { (16, 255L + 1360), (32, 255L + 10_912) })
        {
            short[] weights = [.. Enumerable.Range(1, n).Select(i => (short)i)];
            byte[] codes = [255, .. Enumerable.Range(1, n - 1).Select(i => (byte)i)];
            Assert.Equal(expected, CodeKernels.DotShorts(weights, codes));
        }
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(2048)]
    [InlineData(784)]
    public void DotShorts_does_not_overflow_at_the_largest_weights_and_codes(int dimension)
    {
        // Every code 255 and every weight at the limit, both signs: the largest sum a lane and the total can reach.
        int limit = CodeKernels.MaxQuantizedWeight(dimension);
        Assert.InRange(limit, 1, short.MaxValue);
        Assert.True(255L * limit * ((dimension + 7) / 8) <= int.MaxValue, "a 32-bit lane's bound");
        byte[] codes = [.. Enumerable.Repeat((byte)255, dimension)];
        short[] positive = [.. Enumerable.Repeat((short)limit, dimension)];
        short[] negative = [.. Enumerable.Repeat((short)-limit, dimension)];
        Assert.Equal(255L * limit * dimension, CodeKernels.DotShorts(positive, codes));
        Assert.Equal(-255L * limit * dimension, CodeKernels.DotShorts(negative, codes));
    }

    [Fact]
    public void QuantizeWeights_maps_the_largest_weight_to_the_limit_and_keeps_each_within_half_a_unit()
    {
        float[] weights = [0.5f, -2f, 0.001f, 1.25f, 0f];
        var quantized = new short[5];
        float scale = CodeKernels.QuantizeWeights(weights, quantized);
        int limit = CodeKernels.MaxQuantizedWeight(5);
        Assert.Equal(32_767, limit);
        Assert.Equal(2f / 32_767, scale, 1e-9f);
        Assert.Equal(-32_767, quantized[1]);
        Assert.Equal(8192, quantized[0]);   // 0.5 / 2 x 32,767 = 8,191.75
        Assert.Equal(16, quantized[2]);     // 0.001 / 2 x 32,767 = 16.38
        Assert.Equal(20_479, quantized[3]); // 1.25 / 2 x 32,767 = 20,479.4
        Assert.Equal(0, quantized[4]);
        for (int i = 0; i < weights.Length; i++)
        {
            Assert.InRange(Math.Abs((quantized[i] * scale) - weights[i]), 0f, (scale / 2) * 1.0001f);
        }
    }

    [Fact]
    public void QuantizeWeights_of_an_all_zero_query_is_zero_with_scale_zero()
    {
        var quantized = new short[] { 7, 7, 7 };
        Assert.Equal(0f, CodeKernels.QuantizeWeights([0f, 0f, 0f], quantized));
        Assert.Equal([0, 0, 0], quantized);
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

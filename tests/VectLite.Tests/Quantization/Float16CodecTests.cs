using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using VectLite.Quantization;
using VectLite.Vectors;

namespace VectLite.Tests.Quantization;

/// <summary>Float16 codes and kernels: the widening against System.Half for every finite half, the kernels against their scalar twin.</summary>
public sealed class Float16CodecTests
{
    [Fact]
    public void Widening_matches_System_Half_for_every_finite_half()
    {
        if (!Avx2.IsSupported)
        {
            return; // the SIMD widening runs only with AVX2; the kernels' scalar path is System.Half itself
        }
        var bits = new ushort[8];
        for (int start = 0; start < 65536; start += 8)
        {
            for (int j = 0; j < 8; j++)
            {
                bits[j] = (ushort)(start + j);
            }
            Vector256<float> widened = CodeKernels.WidenHalves(Vector128.Create(bits));
            for (int j = 0; j < 8; j++)
            {
                Half h = BitConverter.UInt16BitsToHalf(bits[j]);
                if (!Half.IsFinite(h))
                {
                    continue; // the codec never writes infinities or NaNs
                }
                Assert.Equal(BitConverter.SingleToInt32Bits((float)h), BitConverter.SingleToInt32Bits(widened.GetElement(j)));
            }
        }
    }

    [Fact]
    public void The_half_kernels_match_their_scalar_twin_at_every_length()
    {
        var random = new Random(8);
        for (int n = 1; n <= 70; n++)
        {
            float[] query = [.. Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 4) - 2))];
            // Normal halves, and subnormal ones (below 6.1e-5) to exercise the widening's normalisation.
            Half[] halves = [.. Enumerable.Range(0, n).Select(i => (Half)(i % 5 == 0 ? (random.NextDouble() - 0.5) * 1e-5 : (random.NextDouble() * 4) - 2))];
            for (int kind = 0; kind < 3; kind++)
            {
                double expected = 0;
                for (int i = 0; i < n; i++)
                {
                    double q = query[i], x = (double)halves[i];
                    expected += kind switch { 0 => q * x, 1 => (q - x) * (q - x), _ => Math.Abs(q - x) };
                }
                Assert.Equal(expected, CodeKernels.HalfScalar(query, halves, kind), 1e-9);
                float actual = kind switch
                {
                    0 => CodeKernels.DotHalf(query, halves),
                    1 => CodeKernels.L2SquaredHalf(query, halves),
                    _ => CodeKernels.L1Half(query, halves),
                };
                Assert.Equal(expected, actual, 1e-4 * Math.Max(1, Math.Abs(expected)));
            }
        }
    }

    [Fact]
    public void The_codec_writes_each_component_as_the_nearest_half_and_clamps_to_the_half_range()
    {
        var codec = new VectorCodec(QuantizationKind.Float16, Metric.L2, new float[4], new float[4], new float[4]);
        Assert.Equal(8, codec.CodeBytes);
        var code = new byte[codec.CodeBytes];
        // 1/3 rounds to 0x3555 (0.33325195); 1e6 and -1e6 clamp to +-65504 (0x7BFF, 0xFBFF): two clipped; 2.5 is exact.
        Assert.Equal(2, codec.Encode([1f / 3, 1e6f, -1e6f, 2.5f], code, new float[4]));
        ushort[] written = [.. Enumerable.Range(0, 4).Select(i => BitConverter.ToUInt16(code, i * 2))];
        Assert.Equal(new ushort[] { 0x3555, 0x7BFF, 0xFBFF, 0x4100 }, written);
        Assert.False(codec.CanDrift);

        // Cosine: the unit vector, [3, 4] -> [0.6, 0.8] -> halves 0x38CD (0.60009766) and 0x3A66 (0.7998047).
        var cosine = new VectorCodec(QuantizationKind.Float16, Metric.Cosine, new float[2], new float[2], new float[2]);
        var unit = new byte[4];
        cosine.Encode([3f, 4f], unit, new float[2]);
        Assert.Equal((ushort)0x38CD, BitConverter.ToUInt16(unit, 0));
        Assert.Equal((ushort)0x3A66, BitConverter.ToUInt16(unit, 2));
    }
}

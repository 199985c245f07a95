using Lucene.Net.Util;
using VectLite.Text;

namespace VectLite.Tests.Text;

/// <summary>BM25 document lengths quantized exactly as Lucene 4.8 stores them, checked against Lucene.Net's own code.</summary>
public sealed class LuceneLengthNormTests
{
    private static float Quantize(int length) => LuceneLengthNorm.Decode(LuceneLengthNorm.Encode(length));

    [Fact]
    public void Every_length_up_to_a_million_gets_lucenes_byte_and_length()
    {
        for (int length = 1; length <= 1_000_000; length++)
        {
            sbyte lucene = SmallSingle.SingleToSByte315(1f / MathF.Sqrt(length));
            float f = SmallSingle.SByte315ToSingle(lucene);
            if ((byte)lucene != LuceneLengthNorm.Encode(length) || 1f / (f * f) != Quantize(length))
            {
                Assert.Fail($"length {length}: Lucene stores {(byte)lucene} ({1f / (f * f)}), VectLite {LuceneLengthNorm.Encode(length)} ({Quantize(length)})");
            }
        }
    }

    [Fact]
    public void Lengths_fall_on_lucenes_steps()
    {
        // Literals from Lucene 4.8's NORM_TABLE: 1 / f^2 of the decoded byte.
        Assert.Equal(1f, Quantize(1));
        Assert.Equal(2.56f, Quantize(2), 5);
        Assert.Equal(4f, Quantize(3));
        Assert.Equal(4f, Quantize(4));
        Assert.Equal(10.24f, Quantize(8), 4);
        Assert.Equal(113.7778f, Quantize(100), 3);
        Assert.Equal(Quantize(100), Quantize(101));
    }
}

namespace VectLite.Text;

/// <summary>
/// The document length BM25 scores with, as Lucene 4.8 stores it: one byte per document,
/// <c>SmallFloat.floatToByte315(1 / sqrt(length))</c>, read back as <c>1 / f²</c>, so nearby lengths share a value
/// (1 stays 1; 2 reads as 2.56, 3 and 4 as 4, 100 and 101 as 113.8: steps of about 12% to 25%).
/// </summary>
/// <remarks>
/// VectLite keeps exact lengths (and avgdl is their exact mean, as Lucene's <c>sumTotalTermFreq / docCount</c>) but
/// scores with the length the byte stands for, so its BM25 scores and rankings are Lucene's and Lucene.Net's: on all
/// 63,904 Debian package descriptions (bench/results/bm25-debian.md) the top-10 agreement with Lucene.Net 4.8 is
/// 0.996 this way, against 0.87 with exact lengths, at the same MRR. The quantization is the one of <c>BM25Similarity.encodeNormValue</c> (boost 1,
/// <c>discountOverlaps</c> on) and its <c>NORM_TABLE</c>.
/// </remarks>
internal static class LuceneLengthNorm
{
    /// <summary>Lucene's exponent offset for 3 mantissa bits (zero exponent 15).</summary>
    private const int ZeroExponent = (63 - 15) << 3;

    /// <summary>The length each byte stands for: <c>1 / byte315ToFloat(b)²</c> (infinite for 0).</summary>
    private static readonly float[] Lengths = BuildTable();

    /// <summary>The byte Lucene stores for a document of <paramref name="length"/> terms.</summary>
    public static byte Encode(int length)
    {
        float f = 1f / MathF.Sqrt(length);
        int bits = BitConverter.SingleToInt32Bits(f);
        int small = bits >> (24 - 3);
        if (small <= ZeroExponent)
        {
            return (byte)(bits <= 0 ? 0 : 1);
        }
        return small >= ZeroExponent + 0x100 ? (byte)255 : (byte)(small - ZeroExponent);
    }

    /// <summary>The length a byte stands for.</summary>
    public static float Decode(byte code) => Lengths[code];

    private static float[] BuildTable()
    {
        var table = new float[256];
        for (int i = 0; i < table.Length; i++)
        {
            float f = i == 0 ? 0f : BitConverter.Int32BitsToSingle((i << (24 - 3)) + ((63 - 15) << 24));
            table[i] = 1f / (f * f);
        }
        return table;
    }
}

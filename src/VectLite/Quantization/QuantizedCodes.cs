using VectLite.Vectors;

namespace VectLite.Quantization;

/// <summary>
/// One named vector's trained codec and the codes of its rows: what a quantized search walks the graph on. Replaced
/// whole, never retrained in place: a retrain builds a new instance in a new state (at a checkpoint), so a search that
/// took this one sees one codec and codes made by it.
/// </summary>
/// <remarks>Thread safety: one writer (<see cref="EncodeUpTo"/>) and any number of searches over encoded rows.</remarks>
internal sealed class QuantizedCodes
{
    private int _encodedRows;

    /// <summary>Creates empty codes for <paramref name="codec"/>; <paramref name="origin"/> says how they came to be (stats).</summary>
    internal QuantizedCodes(VectorCodec codec, string origin)
    {
        Codec = codec;
        Store = new CodeStore(codec.CodeBytes);
        Origin = origin;
    }

    internal VectorCodec Codec { get; }

    internal CodeStore Store { get; }

    /// <summary>"trained" (first training), "retrained" (drift at a checkpoint), "carried" (kept over a checkpoint) or "loaded" (from a checkpoint file).</summary>
    internal string Origin { get; }

    /// <summary>Rows below this have codes.</summary>
    internal int EncodedRows => Volatile.Read(ref _encodedRows);

    /// <summary>Components encoded since the codec was trained (writer side; persisted with the codes).</summary>
    internal long EncodedValues { get; private set; }

    /// <summary>Of <see cref="EncodedValues"/>, those outside the trained ranges.</summary>
    internal long ClippedValues { get; private set; }

    /// <summary>PQ: the summed squared quantization error of the vectors encoded since training (the drift measure).</summary>
    internal double ErrorSum { get; private set; }

    /// <summary>Vectors encoded since training (from <see cref="EncodedValues"/>).</summary>
    internal long EncodedVectors => EncodedValues / Codec.Dimension;

    /// <summary>
    /// PQ: the mean quantization error of the vectors encoded since training over the held-out sample's
    /// (<see cref="PqCodebook.BaselineError"/>); 0 before any vector or for a codebook with no error.
    /// </summary>
    internal double ErrorRatio => Codec.Pq is { BaselineError: > 0 } pq && EncodedVectors > 0 ? ErrorSum / EncodedVectors / pq.BaselineError : 0;

    /// <summary>
    /// Whether the data has drifted from the codec. SQ8 and binary: more than
    /// <see cref="QuantizationOptions.RetrainClippedShare"/> of the values encoded since training were outside its ranges.
    /// PQ: after at least <see cref="QuantizationOptions.PqMinDriftVectors"/> vectors, their mean quantization error is
    /// above <see cref="QuantizationOptions.PqRetrainErrorRatio"/> times the held-out sample's. Float16: never.
    /// </summary>
    internal bool Drifted => Codec.Kind switch
    {
        QuantizationKind.Float16 => false,
        QuantizationKind.Pq => EncodedVectors >= QuantizationOptions.PqMinDriftVectors && ErrorRatio > QuantizationOptions.PqRetrainErrorRatio,
        _ => EncodedValues > 0 && ClippedValues > QuantizationOptions.RetrainClippedShare * EncodedValues,
    };

    /// <summary>Encodes rows [<see cref="EncodedRows"/>, <paramref name="rows"/>) of <paramref name="arena"/>. Writer only, before the rows reach a graph.</summary>
    /// <param name="arena">The float32 vectors.</param>
    /// <param name="rows">The row count to encode up to.</param>
    /// <param name="countDrift">Whether these rows count towards drift (not the training rows themselves).</param>
    internal void EncodeUpTo(VectorArena arena, int rows, bool countDrift)
    {
        int from = _encodedRows;
        if (rows <= from)
        {
            return;
        }
        if (from == 0)
        {
            Store.Reserve(rows); // a bulk encoding (training, a checkpoint's carried codec): no partly empty last chunk
        }
        var scratch = new float[arena.Dimension];
        long clipped = 0;
        double error = 0;
        for (int row = from; row < rows; row++)
        {
            clipped += Codec.Encode(arena.Get(row), Store.Write(row), scratch, out double e);
            error += e;
        }
        if (countDrift)
        {
            EncodedValues += (long)(rows - from) * arena.Dimension;
            ClippedValues += clipped;
            ErrorSum += error;
        }
        Volatile.Write(ref _encodedRows, rows); // after the codes: a reader that sees the count sees them
    }

    /// <summary>Installs loaded codes: rows [0, <paramref name="rows"/>) were copied into <see cref="Store"/> by the loader.</summary>
    internal void SetLoaded(int rows, long encodedValues, long clippedValues, double errorSum)
    {
        EncodedValues = encodedValues;
        ClippedValues = clippedValues;
        ErrorSum = errorSum;
        Volatile.Write(ref _encodedRows, rows);
    }

    /// <summary>Bytes held: the codes, the codec's per-dimension tables, PQ's codebooks and RaBitQ's rotation.</summary>
    internal long MemoryBytes => Store.MemoryBytes + (5L * Codec.Dimension * sizeof(float)) + (Codec.Pq?.MemoryBytes ?? 0) + (Codec.Rotation?.MemoryBytes ?? 0);
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;
using VectLite.Storage;

namespace VectLite.Quantization;

/// <summary>
/// A checkpoint's quantized codes file for one named vector ("VLQUANT1", <see cref="CheckpointManifest.CodesFileName"/>):
/// the trained codec and every row's code, so a reopen loads the codes instead of training and encoding again.
/// </summary>
/// <remarks>
/// Layout, little-endian, after the standard 32-byte header (field = dimension, count = rows):
/// <list type="bullet">
/// <item>[32..48) u32 kind (<see cref="QuantizationKind"/>), u32 metric (<see cref="Metric"/>), u32 code bytes, u32 reserved (0);</item>
/// <item>[48..64) i64 values encoded since training, i64 of them clipped (the drift measure, carried over reopens);</item>
/// <item>then float32 min[dimension], max[dimension], mean[dimension]: the codec;</item>
/// <item>PQ only, then: u32 sub-vectors, u32 reserved (0), f64 the drift baseline (mean squared quantization error of held-out sample vectors),
/// f64 the summed error of the vectors encoded since training (the drift measure), then the codebooks, float32
/// [sub-vector][sub-dimension][256 centroids];</item>
/// <item>RaBitQ only, then: u32 padded dimension (the dimension rounded up to a multiple of 64), u32 reserved (0), then
/// the rotation, float32 [padded dimension][dimension], row-major;</item>
/// <item>then rows x code bytes: row i's code (SQ8: dimension bytes + the decoded squared norm as float32; binary:
/// ceil(dimension / 64) little-endian 64-bit words, bit d of the vector at bit d % 64 of word d / 64; PQ: one centroid
/// index per sub-vector; float16: dimension IEEE halves; RaBitQ: padded dimension / 64 little-endian 64-bit words, bit i
/// the sign of rotated coordinate i, then float32 scale and float32 squared distance to the centroid, as binary).</item>
/// </list>
/// Covered by the manifest's whole-file CRC32C like every data file.
/// </remarks>
internal static class CodesFile
{
    /// <summary>Bytes of the fixed fields after the header.</summary>
    private const int FixedBytes = 32;

    /// <summary>Bytes of PQ's fixed fields after the per-dimension tables.</summary>
    private const int PqFixedBytes = 24;

    /// <summary>Bytes of RaBitQ's fixed fields before its rotation.</summary>
    private const int RotationFixedBytes = 8;

    /// <summary>Writes <paramref name="rows"/> rows of <paramref name="codes"/>.</summary>
    internal static void Write(CheckpointFileWriter writer, QuantizedCodes codes, int rows)
    {
        VectorCodec codec = codes.Codec;
        Span<byte> fixedFields = stackalloc byte[FixedBytes];
        fixedFields.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(fixedFields, (uint)codec.Kind);
        BinaryPrimitives.WriteUInt32LittleEndian(fixedFields[4..], (uint)codec.Metric);
        BinaryPrimitives.WriteUInt32LittleEndian(fixedFields[8..], (uint)codec.CodeBytes);
        BinaryPrimitives.WriteInt64LittleEndian(fixedFields[16..], codes.EncodedValues);
        BinaryPrimitives.WriteInt64LittleEndian(fixedFields[24..], codes.ClippedValues);
        writer.Write(fixedFields);
        writer.WriteFloats(codec.Min);
        writer.WriteFloats(codec.Max);
        writer.WriteFloats(codec.Mean);
        if (codec.Pq is { } pq)
        {
            Span<byte> pqFields = stackalloc byte[PqFixedBytes];
            pqFields.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(pqFields, (uint)pq.Subvectors);
            BinaryPrimitives.WriteDoubleLittleEndian(pqFields[8..], pq.BaselineError);
            BinaryPrimitives.WriteDoubleLittleEndian(pqFields[16..], codes.ErrorSum);
            writer.Write(pqFields);
            writer.WriteFloats(pq.Centroids);
        }
        if (codec.Rotation is { } rotation)
        {
            Span<byte> rotationFields = stackalloc byte[RotationFixedBytes];
            rotationFields.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(rotationFields, (uint)rotation.PaddedDimension);
            writer.Write(rotationFields);
            writer.WriteFloats(rotation.Matrix);
        }
        CodeStore.View view = codes.Store.GetView();
        for (int row = 0; row < rows; row++)
        {
            writer.Write(view.Get(row));
        }
    }

    /// <summary>
    /// Reads the codes file <paramref name="reader"/> is positioned after the header of, for a vector of
    /// <paramref name="spec"/> and a checkpoint of <paramref name="rows"/> rows, and verifies its checksum.
    /// </summary>
    /// <exception cref="CorruptFileException">The file is damaged or was written for another vector, metric, kind or row count.</exception>
    internal static QuantizedCodes Read(CheckpointFileReader reader, VectorSpec spec, long rows)
    {
        if (reader.Field1 != spec.Dimension || reader.Count != rows)
        {
            throw new CorruptFileException(reader.Path, 12, $"it holds {reader.Count} codes of dimension {reader.Field1}; the checkpoint needs {rows} of dimension {spec.Dimension}");
        }
        Span<byte> fixedFields = stackalloc byte[FixedBytes];
        reader.Read(fixedFields);
        var kind = (QuantizationKind)BinaryPrimitives.ReadUInt32LittleEndian(fixedFields);
        var metric = (Metric)BinaryPrimitives.ReadUInt32LittleEndian(fixedFields[4..]);
        int codeBytes = (int)BinaryPrimitives.ReadUInt32LittleEndian(fixedFields[8..]);
        long encoded = BinaryPrimitives.ReadInt64LittleEndian(fixedFields[16..]);
        long clipped = BinaryPrimitives.ReadInt64LittleEndian(fixedFields[24..]);
        if (kind != spec.Quantization.Kind || metric != spec.Metric)
        {
            throw new CorruptFileException(reader.Path, 32, $"it holds {kind} codes for {metric}; the vector is {spec.Quantization.Kind} with {spec.Metric}");
        }
        int dimension = spec.Dimension;
        var min = new float[dimension];
        var max = new float[dimension];
        var mean = new float[dimension];
        reader.Read(MemoryMarshal.AsBytes(min.AsSpan()));
        reader.Read(MemoryMarshal.AsBytes(max.AsSpan()));
        reader.Read(MemoryMarshal.AsBytes(mean.AsSpan()));
        PqCodebook? pq = null;
        double errorSum = 0;
        if (kind == QuantizationKind.Pq)
        {
            Span<byte> pqFields = stackalloc byte[PqFixedBytes];
            reader.Read(pqFields);
            int subvectors = (int)BinaryPrimitives.ReadUInt32LittleEndian(pqFields);
            double baselineError = BinaryPrimitives.ReadDoubleLittleEndian(pqFields[8..]);
            errorSum = BinaryPrimitives.ReadDoubleLittleEndian(pqFields[16..]);
            if (subvectors != spec.Quantization.EffectivePqSubvectors(dimension) || !(baselineError >= 0) || !(errorSum >= 0) || double.IsInfinity(errorSum))
            {
                throw new CorruptFileException(reader.Path, 32 + FixedBytes + (3L * dimension * sizeof(float)),
                    $"it holds {subvectors} PQ sub-vectors with errors {baselineError} and {errorSum}; the vector has {spec.Quantization.EffectivePqSubvectors(dimension)}");
            }
            var centroids = new float[dimension * QuantizationOptions.PqCentroids];
            reader.Read(MemoryMarshal.AsBytes(centroids.AsSpan()));
            pq = new PqCodebook(subvectors, dimension / subvectors, centroids, baselineError);
        }
        RaBitQRotation? rotation = null;
        if (kind == QuantizationKind.RaBitQ)
        {
            Span<byte> rotationFields = stackalloc byte[RotationFixedBytes];
            reader.Read(rotationFields);
            int padded = (int)BinaryPrimitives.ReadUInt32LittleEndian(rotationFields);
            if (padded != RaBitQRotation.Pad(dimension))
            {
                throw new CorruptFileException(reader.Path, 32 + FixedBytes + (3L * dimension * sizeof(float)),
                    $"it holds a RaBitQ rotation to {padded} dimensions; a vector of {dimension} needs {RaBitQRotation.Pad(dimension)}");
            }
            var matrix = new float[(long)padded * dimension];
            reader.Read(MemoryMarshal.AsBytes(matrix.AsSpan()));
            if (!System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(matrix))
            {
                throw new CorruptFileException(reader.Path, 32 + FixedBytes + (3L * dimension * sizeof(float)) + RotationFixedBytes, "its RaBitQ rotation holds a value that is not finite");
            }
            rotation = new RaBitQRotation(dimension, matrix);
        }
        var codes = new QuantizedCodes(new VectorCodec(kind, metric, min, max, mean, pq, rotation), "loaded");
        if (codeBytes != codes.Codec.CodeBytes || encoded < 0 || clipped < 0 || clipped > encoded)
        {
            throw new CorruptFileException(reader.Path, 40, $"its code size {codeBytes} or drift counts ({clipped} of {encoded}) are not valid for this codec");
        }
        CodeStore store = codes.Store;
        store.Reserve((int)rows); // exactly the rows: the last chunk is not padded to a whole one
        for (int row = 0; row < rows;)
        {
            Span<byte> run = store.WriteRun(row, (int)rows - row); // straight into the chunk, a chunk at a time
            reader.Read(run);
            row += run.Length / store.CodeBytes;
        }
        reader.Verify();
        codes.SetLoaded((int)rows, encoded, clipped, errorSum);
        return codes;
    }
}

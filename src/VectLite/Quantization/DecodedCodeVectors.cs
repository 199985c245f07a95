using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using VectLite.Indexing;

namespace VectLite.Quantization;

/// <summary>
/// A named vector's codes decoded back to vectors, for building its graph without reading the float32 vectors
/// (<see cref="GraphBuildVectors"/>): SQ8 as <c>min + code * step</c>, float16 widened, PQ as its centroids. The graph
/// then links rows by their decoded distances, the space its walks score in.
/// </summary>
/// <remarks>
/// <para>Binary and RaBitQ are linked on float32. One bit per dimension decodes to <c>mean + scale * signs</c>: rows of
/// one cluster share most signs and decode to near duplicates, and a graph over near duplicates is slow to build and
/// to walk (one smoke run on a busy machine, 100,000 clustered 384-d rows: 396 s to build against 17 s for SQ8 and 92 s
/// for PQ with 2-d sub-vectors, bench/results/larger-than-ram.md). RaBitQ's codes live in a rotated space whose inverse costs a matrix
/// product per row.</para>
/// <para>Safe for many insert threads: each call reads the store's current chunks and writes only its destination.</para>
/// </remarks>
internal sealed class DecodedCodeVectors : GraphBuildVectors
{
    private readonly VectorCodec _codec;
    private readonly CodeStore _store;

    private DecodedCodeVectors(QuantizedCodes codes)
    {
        _codec = codes.Codec;
        _store = codes.Store;
    }

    /// <summary>
    /// The decoded vectors of <paramref name="codes"/>, or null when there are no codes yet or the kind is not one to link
    /// a graph on (binary, RaBitQ: see the remarks).
    /// </summary>
    internal static DecodedCodeVectors? For(QuantizedCodes? codes) =>
        codes is null || codes.Codec.Kind is not (QuantizationKind.Sq8 or QuantizationKind.Float16 or QuantizationKind.Pq) ? null : new DecodedCodeVectors(codes);

    /// <inheritdoc/>
    internal override int Dimension => _codec.Dimension;

    /// <inheritdoc/>
    internal override void Decode(int row, Span<float> destination)
    {
        ReadOnlySpan<byte> code = _store.GetView().Get(row);
        int dimension = _codec.Dimension;
        destination = destination[..dimension];
        switch (_codec.Kind)
        {
            case QuantizationKind.Sq8:
                // min + code * step (the codes' squared norm after them is not needed): two vectorised passes.
                TensorPrimitives.ConvertChecked<byte, float>(code[..dimension], destination);
                TensorPrimitives.FusedMultiplyAdd(destination, _codec.Step, _codec.Min, destination);
                break;
            case QuantizationKind.Float16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(code)[..dimension], destination);
                break;
            default:
                _codec.Pq!.Decode(code, destination);
                break;
        }
    }

    /// <inheritdoc/>
    internal override void Prefetch(int row) => _store.GetView().Prefetch(row);
}

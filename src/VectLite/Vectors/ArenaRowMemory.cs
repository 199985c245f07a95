using System.Buffers;

namespace VectLite.Vectors;

/// <summary>
/// One arena row as <see cref="Memory{T}"/>: native memory the garbage collector does not own, so a vector staged into
/// the row it will take (CollectionEngine.StagedVectors) travels through the write path like any other vector. Valid
/// while the arena is; nothing to pin, nothing to free.
/// </summary>
internal sealed unsafe class ArenaRowMemory(float* row, int length) : MemoryManager<float>
{
    /// <inheritdoc/>
    public override Span<float> GetSpan() => new(row, length);

    /// <inheritdoc/>
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, length);
        return new MemoryHandle(row + elementIndex);
    }

    /// <inheritdoc/>
    public override void Unpin()
    {
        // Native memory never moves.
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        // The arena owns the memory.
    }
}

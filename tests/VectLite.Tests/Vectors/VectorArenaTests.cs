using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VectLite.Vectors;

namespace VectLite.Tests.Vectors;

public sealed class VectorArenaTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65537)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void Constructor_rejects_dimensions_outside_1_to_65536(int dimension)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorArena(dimension));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorArena(dimension, 16));
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(15, 16)]
    [InlineData(16, 16)]
    [InlineData(17, 32)]
    [InlineData(100, 112)]
    [InlineData(768, 768)]
    [InlineData(784, 784)]
    [InlineData(1536, 1536)]
    [InlineData(65536, 65536)]
    public void Stride_is_the_dimension_rounded_up_to_16_floats(int dimension, int stride)
    {
        using var arena = new VectorArena(dimension);
        Assert.Equal(dimension, arena.Dimension);
        Assert.Equal(stride, arena.Stride);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(784)]
    [InlineData(1536)]
    [InlineData(4097)]
    [InlineData(65536)]
    public void Default_chunks_hold_a_power_of_two_rows_in_4_to_16_MiB(int dimension)
    {
        using var arena = new VectorArena(dimension);
        long chunkBytes = (long)arena.RowsPerChunk * arena.Stride * sizeof(float);
        Assert.True(BitOperations.IsPow2(arena.RowsPerChunk));
        Assert.True(arena.RowsPerChunk >= 16);
        Assert.InRange(chunkBytes, 4L << 20, 16L << 20);
    }

    [Fact]
    public void Default_chunk_for_784_dimensions_is_2048_rows()
    {
        Assert.Equal(2048, VectorArena.DefaultRowsPerChunk(784));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(24)]
    [InlineData(1 << 30)]
    public void Constructor_rejects_rows_per_chunk_that_is_not_a_power_of_two_from_16_or_too_large(int rowsPerChunk)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorArena(65536, rowsPerChunk));
    }

    [Fact]
    public void EnsureCapacity_allocates_whole_chunks_and_never_shrinks()
    {
        using var arena = new VectorArena(10, 16);
        Assert.Equal(0, arena.Capacity);
        Assert.Equal(0, arena.ChunkCount);

        arena.EnsureCapacity(0);
        Assert.Equal(0, arena.Capacity);

        arena.EnsureCapacity(1);
        Assert.Equal(16, arena.Capacity);
        arena.EnsureCapacity(16);
        Assert.Equal(1, arena.ChunkCount);

        arena.EnsureCapacity(17);
        Assert.Equal(32, arena.Capacity);
        Assert.Equal(2, arena.ChunkCount);

        arena.EnsureCapacity(5);
        Assert.Equal(32, arena.Capacity);

        Assert.Throws<ArgumentOutOfRangeException>(() => arena.EnsureCapacity(-1));
    }

    [Fact]
    public void Rows_round_trip_across_chunk_boundaries_and_are_64_byte_aligned()
    {
        const int Dimension = 37;
        const int Rows = 100;
        using var arena = new VectorArena(Dimension, 16);
        arena.EnsureCapacity(Rows);

        for (int row = 0; row < Rows; row++)
        {
            arena.Write(row, Pattern(row, Dimension));
        }

        for (int row = 0; row < Rows; row++)
        {
            ReadOnlySpan<float> v = arena.Get(row);
            Assert.Equal(Dimension, v.Length);
            Assert.True(v.SequenceEqual(Pattern(row, Dimension)), $"row {row}");
            Assert.Equal(0, Address(v) % 64);

            // The chunk view reaches the same memory at row-in-chunk times stride.
            ReadOnlySpan<float> chunk = arena.GetChunk(row / 16);
            Assert.Equal(16 * arena.Stride, chunk.Length);
            Assert.True(Unsafe.AreSame(ref MemoryMarshal.GetReference(v), ref Unsafe.AsRef(in chunk[row % 16 * arena.Stride])));
        }
    }

    [Fact]
    public void Write_zeroes_the_padding_even_over_garbage()
    {
        const int Dimension = 21;
        using var arena = new VectorArena(Dimension, 16);
        arena.EnsureCapacity(40);

        // Fill every chunk with NaN so padding that Write forgot would show.
        for (int c = 0; c < arena.ChunkCount; c++)
        {
            ReadOnlySpan<float> chunk = arena.GetChunk(c);
            MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(chunk), chunk.Length).Fill(float.NaN);
        }

        for (int row = 0; row < 40; row++)
        {
            arena.Write(row, Pattern(row, Dimension));
        }

        for (int row = 0; row < 40; row++)
        {
            ReadOnlySpan<float> full = arena.GetChunk(row / 16).Slice(row % 16 * arena.Stride, arena.Stride);
            Assert.True(full[..Dimension].SequenceEqual(Pattern(row, Dimension)));
            foreach (float padding in full[Dimension..])
            {
                Assert.Equal(0, BitConverter.SingleToInt32Bits(padding));
            }
        }
    }

    [Fact]
    public void Growth_keeps_earlier_spans_valid_and_rows_in_place()
    {
        const int Dimension = 50;
        using var arena = new VectorArena(Dimension, 16);
        arena.EnsureCapacity(40);
        for (int row = 0; row < 40; row++)
        {
            arena.Write(row, Pattern(row, Dimension));
        }

        ReadOnlySpan<float> held = arena.Get(5);
        long[] addresses = new long[40];
        for (int row = 0; row < 40; row++)
        {
            addresses[row] = Address(arena.Get(row));
        }

        // Many growth steps, each publishing a new directory.
        for (int rows = 41; rows < 2000; rows += 37)
        {
            arena.EnsureCapacity(rows);
        }

        arena.EnsureCapacity(2000);

        for (int row = 40; row < 2000; row++)
        {
            arena.Write(row, Pattern(row, Dimension));
        }

        Assert.True(held.SequenceEqual(Pattern(5, Dimension)));
        for (int row = 0; row < 2000; row++)
        {
            ReadOnlySpan<float> v = arena.Get(row);
            Assert.True(v.SequenceEqual(Pattern(row, Dimension)), $"row {row}");
            if (row < 40)
            {
                Assert.Equal(addresses[row], Address(v));
            }
        }
    }

    [Fact]
    public void Accessors_reject_rows_and_chunks_out_of_range()
    {
        using var arena = new VectorArena(8, 16);
        Assert.Throws<ArgumentOutOfRangeException>(() => arena.Get(0).Length);
        arena.EnsureCapacity(20);

        Assert.Throws<ArgumentOutOfRangeException>(() => arena.Get(-1).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => arena.Get(32).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => arena.Get(int.MaxValue).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => arena.Write(32, new float[8]));
        Assert.Throws<ArgumentOutOfRangeException>(() => arena.Write(-5, new float[8]));
        Assert.Throws<ArgumentOutOfRangeException>(() => arena.GetChunk(-1).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => arena.GetChunk(2).Length);
        Assert.Equal(8, arena.Get(31).Length);
    }

    [Fact]
    public void Write_rejects_a_vector_of_the_wrong_dimension()
    {
        using var arena = new VectorArena(8, 16);
        arena.EnsureCapacity(1);
        Assert.Throws<ArgumentException>(() => arena.Write(0, new float[7]));
        Assert.Throws<ArgumentException>(() => arena.Write(0, new float[9]));
    }

    [Fact]
    public void Dispose_is_idempotent_and_later_access_throws_ObjectDisposed()
    {
        var arena = new VectorArena(8, 16);
        arena.EnsureCapacity(100);
        arena.Write(3, Pattern(3, 8));

        arena.Dispose();
        arena.Dispose();

        Assert.Equal(0, arena.Capacity);
        Assert.Throws<ObjectDisposedException>(() => arena.Get(3).Length);
        Assert.Throws<ObjectDisposedException>(() => arena.GetChunk(0).Length);
        Assert.Throws<ObjectDisposedException>(() => arena.Write(3, Pattern(3, 8)));
        Assert.Throws<ObjectDisposedException>(() => arena.EnsureCapacity(1));
    }

    [Fact]
    public void Readers_see_published_rows_intact_while_the_writer_grows_the_arena()
    {
        const int Dimension = 24;
        const int Rows = 20_000;
        const int CheckEvery = 500; // the writer waits for fresh reads every this many rows
        using var arena = new VectorArena(Dimension, 16);
        int published = 0;
        int failures = 0;
        int overlapping = 0; // checks of a published row made while the writer was still adding rows
        bool done = false;
        bool readerExited = false;
        using var readerRunning = new ManualResetEventSlim();

        void Read()
        {
            try
            {
                var rng = new Random(Environment.CurrentManagedThreadId);
                float[] expected = new float[Dimension];
                readerRunning.Set();
                while (!Volatile.Read(ref done))
                {
                    int visible = Volatile.Read(ref published);
                    if (visible == 0)
                    {
                        continue;
                    }

                    int row = rng.Next(visible);
                    Pattern(row, expected);
                    if (!arena.Get(row).SequenceEqual(expected))
                    {
                        Interlocked.Increment(ref failures);
                    }

                    if (Volatile.Read(ref published) < Rows)
                    {
                        Interlocked.Increment(ref overlapping);
                    }
                }
            }
            finally
            {
                Volatile.Write(ref readerExited, true);
            }
        }

        var reader = new Thread(Read);
        reader.Start();
        readerRunning.Wait();
        float[] v = new float[Dimension];
        for (int row = 0; row < Rows; row++)
        {
            arena.EnsureCapacity(row + 1);
            Pattern(row, v);
            arena.Write(row, v);
            Volatile.Write(ref published, row + 1);
            if (row % CheckEvery == CheckEvery - 1 && row < Rows - 1)
            {
                // No timing: wait until the reader has checked rows at this size (or has died).
                int target = (row + 1) / CheckEvery;
                SpinWait.SpinUntil(() => Volatile.Read(ref overlapping) >= target || Volatile.Read(ref readerExited));
            }
        }

        Volatile.Write(ref done, true);
        reader.Join();
        Assert.Equal(0, failures);
        Assert.True(overlapping >= Rows / CheckEvery - 1, $"only {overlapping} checks overlapped the writer");
        Assert.Equal(Rows / 16, arena.ChunkCount);
    }

    [Fact]
    public void A_rows_memory_is_the_row_itself_and_writing_it_back_into_its_row_keeps_it_and_its_zero_padding()
    {
        using var arena = new VectorArena(20, 16);
        arena.EnsureCapacity(40);
        arena.Write(33, Pattern(33, 20));

        ReadOnlyMemory<float> memory = arena.RowMemory(33);

        Assert.Equal(20, memory.Length);
        Assert.Equal(Address(arena.Get(33)), Address(memory.Span));
        Assert.Equal(Pattern(33, 20), memory.ToArray());
        Assert.Equal(Pattern(33, 20)[5..9], memory.Slice(5, 4).ToArray());
        Assert.Equal(Address(arena.Get(33)) + (3 * sizeof(float)), Address(memory.Slice(3).Span));

        // The same memory written into its own row (a staged vector applied): nothing moves, the padding is zero.
        arena.Write(33, memory.Span);
        Assert.Equal(Pattern(33, 20), arena.Get(33).ToArray());
        Assert.All(arena.GetChunk(33 / arena.RowsPerChunk).Slice(((33 % arena.RowsPerChunk) * arena.Stride) + 20, arena.Stride - 20).ToArray(), f => Assert.Equal(0f, f));

        // Written into another row, it is copied.
        arena.Write(34, memory.Span);
        Assert.Equal(Pattern(33, 20), arena.Get(34).ToArray());
        Assert.NotEqual(Address(arena.Get(33)), Address(arena.Get(34)));
    }

    private static float[] Pattern(int row, int dimension)
    {
        float[] v = new float[dimension];
        Pattern(row, v);
        return v;
    }

    /// <summary>A vector that names its row: exact in float for the row counts used here.</summary>
    private static void Pattern(int row, float[] v)
    {
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (row * 100f) + i + 0.5f;
        }
    }

    private static long Address(ReadOnlySpan<float> span) =>
        (long)Unsafe.ByteOffset(ref Unsafe.NullRef<float>(), ref MemoryMarshal.GetReference(span));
}

using VectLite.Records;

namespace VectLite.Tests.Records;

/// <summary>
/// The per-row column that allocates a chunk only where a row takes a value other than the default (deletion marks,
/// expiries): values against an array model, and memory only for the chunks set.
/// </summary>
public sealed class SparseColumnTests
{
    [Fact]
    public void Values_match_an_array_and_rows_never_set_read_the_default()
    {
        const long Live = long.MaxValue;
        var column = new SparseColumn<long>(Live);
        var model = new long[50_000];
        Array.Fill(model, Live);
        var random = new Random(9);
        for (int count = 1; count <= model.Length; count += 997)
        {
            column.EnsureCapacity(count); // the directory grows while values are set
            for (int i = 0; i < 20; i++)
            {
                int row = random.Next(count);
                long value = random.Next(3) == 0 ? Live : random.Next(1, 1_000_000);
                column.Set(row, value);
                model[row] = value;
            }
        }
        column.EnsureCapacity(model.Length);
        for (int row = 0; row < model.Length; row++)
        {
            Assert.Equal(model[row], column[row]);
        }
    }

    [Fact]
    public void Only_chunks_with_a_row_set_hold_memory()
    {
        var column = new SparseColumn<long>(0);
        column.EnsureCapacity(5 * 4096);
        long directory = column.MemoryBytes;
        Assert.True(directory <= 8 * 8, $"{directory} bytes before any value");
        column.Set(3, 0); // the default: nothing to hold
        Assert.Equal(directory, column.MemoryBytes);
        column.Set(4096 + 7, 42);
        column.Set(4096 + 8, 43); // the same chunk
        Assert.Equal(directory + (4096 * 8), column.MemoryBytes);
        column.Set((4 * 4096) + 1, 44);
        Assert.Equal(directory + (2 * 4096 * 8), column.MemoryBytes);
        Assert.Equal(0, column[4096 + 6]); // a chunk is filled with the default around the rows set
        Assert.Equal(43, column[4096 + 8]);
        Assert.Equal(0, column[(2 * 4096) + 5]); // a chunk never set
    }

    [Fact]
    public void The_directory_doubles_when_it_grows_and_counts_eight_bytes_a_slot()
    {
        // A slot per 4,096 rows, 8 bytes each (64-bit process), no chunk allocated: 1 row needs 1 slot; 4,097 rows 2
        // (twice 1); 8,193 rows 3, so 4 (twice 2); 20,480 rows 5, so 8; 163,840 rows 40 (more than twice 8). Asking for
        // what already fits builds nothing.
        Assert.Equal(8, IntPtr.Size);
        var column = new SparseColumn<int>(0);
        Assert.Equal(0, column.MemoryBytes);
        (int Rows, long Bytes)[] steps = [(1, 8), (4096, 8), (4097, 16), (8193, 32), (4 * 4096, 32), (5 * 4096, 64), (40 * 4096, 320), (100, 320)];
        foreach ((int rows, long bytes) in steps)
        {
            column.EnsureCapacity(rows);
            Assert.Equal(bytes, column.MemoryBytes);
        }
        column.Set((40 * 4096) - 1, 5); // the last row of the last slot: one chunk of 4,096 ints
        Assert.Equal(320 + (4096 * 4), column.MemoryBytes);
        Assert.Equal(5, column[(40 * 4096) - 1]);
    }
}

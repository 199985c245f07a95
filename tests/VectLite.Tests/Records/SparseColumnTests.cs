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
}

using VectLite.Storage;

namespace VectLite.Tests.Storage;

/// <summary>
/// <see cref="VectorSegment.PlanAppend"/>: which earlier vectors files a checkpoint keeps. Expected values worked out by
/// hand from the rule (merge the newest kept file into the new one while it holds no more rows than the new one would).
/// </summary>
public sealed class VectorSegmentPlanTests
{
    private static VectorSegment[] Segments(params int[] rows)
    {
        var segments = new VectorSegment[rows.Length];
        int first = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            segments[i] = new VectorSegment(new CheckpointFile($"g{i + 1}.vec0.vlvec", 0, 0), first, rows[i]);
            first += rows[i];
        }
        return segments;
    }

    [Theory]
    [InlineData(new int[0], 50, 0)]                  // nothing earlier: every row
    [InlineData(new[] { 100 }, 150, 1)]              // 100 > 50 new rows: kept
    [InlineData(new[] { 100 }, 200, 0)]              // 100 <= 100: merged
    [InlineData(new[] { 400, 200, 100 }, 800, 0)]    // 100 <= 100, then 200 <= 200, then 400 <= 400
    [InlineData(new[] { 400, 200, 100 }, 750, 3)]    // 100 > 50 new rows: all kept
    [InlineData(new[] { 400, 200, 100 }, 850, 0)]    // 100 <= 150, then 200 <= 250, then 400 <= 450
    [InlineData(new[] { 400, 200 }, 700, 2)]         // 200 > 100 new rows: both kept
    [InlineData(new[] { 400, 0 }, 500, 1)]           // an empty file is always merged
    [InlineData(new[] { 400 }, 400, 1)]              // no new rows: the earlier file stays, the new one is empty
    public void Keeps_the_files_the_binary_counter_rule_keeps(int[] prior, int rows, int expected) =>
        Assert.Equal(expected, VectorSegment.PlanAppend(Segments(prior), rows));

    [Fact]
    public void Files_that_do_not_tile_the_rows_from_zero_or_pass_the_row_count_are_all_rewritten()
    {
        var gap = new[] { new VectorSegment(new CheckpointFile("g1.vec0.vlvec", 0, 0), 0, 100), new VectorSegment(new CheckpointFile("g2.vec0.vlvec", 0, 0), 101, 10) };
        var late = new[] { new VectorSegment(new CheckpointFile("g1.vec0.vlvec", 0, 0), 5, 100) };
        Assert.Equal(0, VectorSegment.PlanAppend(gap, 1000));
        Assert.Equal(0, VectorSegment.PlanAppend(late, 1000));
        Assert.Equal(0, VectorSegment.PlanAppend(Segments(100, 100), 150)); // more rows than the checkpoint has
    }

    [Fact]
    public void Files_that_do_not_tile_are_rewritten_even_where_the_merge_rule_would_keep_them()
    {
        // Few new rows: the merge rule alone would keep both files (2 and 1), so only the tiling check gives 0.
        var gap = new[] { new VectorSegment(new CheckpointFile("g1.vec0.vlvec", 0, 0), 0, 100), new VectorSegment(new CheckpointFile("g2.vec0.vlvec", 0, 0), 101, 100) };
        var negative = new[] { new VectorSegment(new CheckpointFile("g1.vec0.vlvec", 0, 0), 0, 100), new VectorSegment(new CheckpointFile("g2.vec0.vlvec", 0, 0), 100, -5) };
        Assert.Equal(0, VectorSegment.PlanAppend(gap, 250));
        Assert.Equal(0, VectorSegment.PlanAppend(negative, 120));
    }
}

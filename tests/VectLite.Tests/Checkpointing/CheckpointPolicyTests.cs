using VectLite.Storage;

namespace VectLite.Tests.Checkpointing;

/// <summary>
/// <see cref="CheckpointPolicy"/>: which trigger is due, and which checkpoints cut the log (values worked out by hand
/// from the documented thresholds).
/// </summary>
public sealed class CheckpointPolicyTests
{
    private static readonly AutoCheckpointOptions Defaults = AutoCheckpointOptions.Default;

    [Theory]
    [InlineData(CheckpointTrigger.Manual)]
    [InlineData(CheckpointTrigger.LogSize)]
    [InlineData(CheckpointTrigger.Close)]
    public void Every_trigger_but_dead_rows_cuts_the_log_however_little_it_checkpointed(CheckpointTrigger trigger)
    {
        Assert.True(CheckpointPolicy.CutsLog(Defaults, trigger, 0));
        Assert.True(CheckpointPolicy.CutsLog(Defaults, trigger, 100));
    }

    [Theory]
    // Default LogBytes 64 MiB: the threshold is 64 MiB / 16 = 4 MiB.
    [InlineData(64L << 20, (4L << 20) - 1, false)]
    [InlineData(64L << 20, 4L << 20, true)]
    // LogBytes 4 MiB: a sixteenth is 256 KiB, below the 1 MiB floor.
    [InlineData(4L << 20, (1L << 20) - 1, false)]
    [InlineData(4L << 20, 1L << 20, true)]
    // LogBytes 1 GiB: 64 MiB.
    [InlineData(1L << 30, (64L << 20) - 1, false)]
    [InlineData(1L << 30, 64L << 20, true)]
    public void A_dead_row_checkpoint_cuts_once_its_prefix_reaches_a_sixteenth_of_LogBytes_and_at_least_1_MiB(long logBytes, long prefix, bool cuts)
    {
        var options = new AutoCheckpointOptions { LogBytes = logBytes };
        Assert.Equal(cuts, CheckpointPolicy.CutsLog(options, CheckpointTrigger.DeadRows, prefix));
    }

    [Fact]
    public void Due_names_the_log_size_first_then_dead_rows()
    {
        var options = new AutoCheckpointOptions { LogBytes = 1 << 20, MinDeadRows = 100, DeadRowPercent = 50 };
        Assert.Equal(CheckpointTrigger.LogSize, CheckpointPolicy.Due(options, 1 << 20, 1_000, 0));
        Assert.Equal(CheckpointTrigger.DeadRows, CheckpointPolicy.Due(options, (1 << 20) - 1, 200, 100));
        Assert.Null(CheckpointPolicy.Due(options, (1 << 20) - 1, 199, 100)); // 99 dead: fewer than MinDeadRows
        Assert.Null(CheckpointPolicy.Due(options, 0, 1_000, 501)); // 499 dead of 1,000: under half
        Assert.Null(CheckpointPolicy.Due(AutoCheckpointOptions.Disabled, long.MaxValue, 1_000, 0));
    }
}

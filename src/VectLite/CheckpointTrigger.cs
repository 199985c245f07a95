namespace VectLite;

/// <summary>What started a checkpoint (see <see cref="CheckpointInfo.Trigger"/>).</summary>
public enum CheckpointTrigger
{
    /// <summary><see cref="Collection.Compact"/> or <see cref="Database.Compact"/> was called.</summary>
    Manual = 0,

    /// <summary>The log reached <see cref="AutoCheckpointOptions.LogBytes"/>.</summary>
    LogSize = 1,

    /// <summary>Dead rows reached <see cref="AutoCheckpointOptions.DeadRowPercent"/> (and <see cref="AutoCheckpointOptions.MinDeadRows"/>).</summary>
    DeadRows = 2,

    /// <summary>The database was disposed with at least <see cref="AutoCheckpointOptions.CloseLogBytes"/> in the log.</summary>
    Close = 3,
}

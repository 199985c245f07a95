namespace VectLite.Tests.Storage;

/// <summary>Which of the changes made since the last fsync a simulated power cut keeps (<see cref="PowerLossStorage.WriteImage"/>).</summary>
internal enum PowerLossKind
{
    /// <summary>Every unsynced change is lost: only what was fsynced survives.</summary>
    LoseAll = 0,

    /// <summary>Every unsynced change survives: what a process crash leaves (the operating system keeps it all).</summary>
    KeepAll = 1,

    /// <summary>Per file, a random prefix of the unsynced changes, the next write torn at a random byte; per directory, any subset.</summary>
    TornPrefix = 2,

    /// <summary>
    /// Per file, each page (<see cref="SimulatedFile.PageSize"/> bytes) independently as of any moment since the last
    /// fsync, and the length as of any such moment too: a later unsynced write can survive while an earlier one is
    /// lost, and a write spanning pages can survive in any subset of them. Per directory, any subset.
    /// </summary>
    OutOfOrderPages = 3,
}

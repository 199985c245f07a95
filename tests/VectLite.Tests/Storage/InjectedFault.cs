namespace VectLite.Tests.Storage;

/// <summary>What <see cref="FaultInjectingStorage"/> does to the operation it fails.</summary>
public enum InjectedFault
{
    /// <summary>EIO: the operation fails and has no effect.</summary>
    IOError,

    /// <summary>ENOSPC: the operation fails and has no effect.</summary>
    DiskFull,

    /// <summary>A write puts the first half of its bytes on disk, then fails with ENOSPC (as a write that runs out of
    /// space midway does); any other operation fails with ENOSPC.</summary>
    ShortWrite,
}

namespace VectLite;

/// <summary>
/// Where a named vector's full float32 values live (<see cref="VectorSpec.Storage"/>): in RAM, or in the checkpoint's
/// vectors file, memory-mapped, with only the rows written since the last checkpoint in RAM. Either way reads return the
/// exact values written and searches return the same ids and scores; only memory use and speed differ.
/// </summary>
/// <remarks>
/// <para>What lives where (docs/tuning.md, "Memory per vector"): RAM always holds the HNSW graph, the quantized codes (if
/// any), the records' ids and payloads. With <see cref="Disk"/>, the float vectors of checkpointed rows are read through a
/// read-only memory mapping of the checkpoint's vectors file: the operating system keeps the pages it needs in its page
/// cache and drops them under memory pressure, so the collection can outgrow RAM. Rows written since the last checkpoint
/// stay in RAM until the next one (automatic checkpoints bound that: <see cref="AutoCheckpointOptions.LogBytes"/>).</para>
/// <para>A quantized vector walks the graph on its codes and reads float vectors only to rescore a shortlist and for
/// <c>Get</c>/<c>Scroll</c>, so on disk it costs little speed once the pages it touches are cached. An unquantized vector
/// on disk walks the graph on float vectors read from the mapping: allowed, but slow when they do not fit in RAM.</para>
/// <para>The numeric values are stored in checkpoint manifests; do not renumber them. An in-memory database
/// (<see cref="Database.OpenInMemory"/>) has no files: it keeps every vector in RAM whatever this says.</para>
/// </remarks>
public enum VectorStorage
{
    /// <summary>The default: on disk for a quantized vector (its graph walks on the codes), in RAM otherwise.</summary>
    Auto = 0,

    /// <summary>The float32 vectors stay in RAM (besides the codes, for a quantized vector): the fastest, and the most memory.</summary>
    Ram = 1,

    /// <summary>The float32 vectors of checkpointed rows are memory-mapped from the checkpoint's vectors file.</summary>
    Disk = 2,
}

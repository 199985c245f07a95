namespace VectLite.CrashLoop;

/// <summary>What one child's journal says it did.</summary>
/// <param name="Acknowledged">Operations the engine acknowledged, in order, each with what the call returned.</param>
/// <param name="InFlight">The operation handed to the engine but not acknowledged when the child died, if any.</param>
public sealed record JournalContents(IReadOnlyList<(JournalOperation Operation, long Result)> Acknowledged, JournalOperation? InFlight);

namespace VectLite.Storage;

/// <summary>One collection's part of a <see cref="TransactionRecord"/>.</summary>
/// <param name="Collection">The collection's name.</param>
/// <param name="Lsn">The LSN the part takes in the collection's log.</param>
/// <param name="Batch">The part, encoded as a log batch.</param>
internal sealed record TransactionPart(string Collection, long Lsn, byte[] Batch);

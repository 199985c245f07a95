using VectLite.Filtering;

namespace VectLite.Storage;

/// <summary>
/// Whether a decoded log batch fits the collection it is replayed into: every upsert carries one vector per named
/// vector of the schema, each of its dimension, and one entry per sparse space, and no payload index is created over one of another kind. The writer
/// checks all of this before logging, so a batch that fails here was not written by it: damage. Replay, salvage and
/// verification share this one rule, so what verify calls intact replays, and what salvage keeps opens.
/// </summary>
internal sealed class LoggedBatchFit
{
    private readonly CollectionSchema _schema;
    private readonly Dictionary<string, PayloadIndexKind> _indexes;

    /// <summary>Starts from the checkpoint's schema and payload index definitions.</summary>
    public LoggedBatchFit(CollectionSchema schema, IEnumerable<(string Field, PayloadIndexKind Kind)> indexes)
    {
        _schema = schema;
        _indexes = indexes.ToDictionary(i => i.Field, i => i.Kind, StringComparer.Ordinal);
    }

    /// <summary>Checks <paramref name="operations"/> in order and, when they fit, takes their index changes on board.</summary>
    /// <returns>The problem, or null when the batch fits.</returns>
    public string? Check(IReadOnlyList<WalOperation> operations)
    {
        for (int i = 0; i < operations.Count; i++)
        {
            WalOperation op = operations[i];
            switch (op.Type)
            {
                case WalOperationType.Upsert:
                    ReadOnlyMemory<float>[] vectors = op.Record!.Vectors;
                    if (vectors.Length != _schema.Vectors.Count)
                    {
                        return $"operation {i} carries {vectors.Length} vectors, the schema has {_schema.Vectors.Count}";
                    }
                    for (int v = 0; v < vectors.Length; v++)
                    {
                        if (vectors[v].Length != _schema.Vectors[v].Dimension)
                        {
                            return $"operation {i} has a vector '{_schema.Vectors[v].Name}' of dimension {vectors[v].Length}, the schema says {_schema.Vectors[v].Dimension}";
                        }
                    }
                    if (op.Record.Sparse.Length != _schema.SparseVectors.Count)
                    {
                        return $"operation {i} carries {op.Record.Sparse.Length} sparse vector spaces, the schema has {_schema.SparseVectors.Count}";
                    }
                    if (op.Record.Multi.Length != _schema.MultiVectors.Count)
                    {
                        return $"operation {i} carries {op.Record.Multi.Length} multi-vector spaces, the schema has {_schema.MultiVectors.Count}";
                    }
                    for (int m = 0; m < op.Record.Multi.Length; m++)
                    {
                        if (op.Record.Multi[m] is { Length: > 0 } tokens && tokens[0].Length != _schema.MultiVectors[m].Dimension)
                        {
                            return $"operation {i} has multi-vector '{_schema.MultiVectors[m].Name}' tokens of dimension {tokens[0].Length}, the schema says {_schema.MultiVectors[m].Dimension}";
                        }
                    }
                    break;
                case WalOperationType.CreatePayloadIndex:
                    if (_indexes.TryGetValue(op.Field!, out PayloadIndexKind existing) && existing != op.IndexKind)
                    {
                        return $"operation {i} creates a {op.IndexKind} index on '{op.Field}', which has a {existing} index";
                    }
                    _indexes[op.Field!] = op.IndexKind;
                    break;
                case WalOperationType.DropPayloadIndex:
                    _indexes.Remove(op.Field!);
                    break;
            }
        }
        return null;
    }
}

using System.Text.Json.Nodes;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Model;

/// <summary>
/// Runs a sequence of <see cref="ModelOperation"/>s against a real collection and a <see cref="CollectionModel"/>,
/// and after every step compares everything a reader can observe (see <see cref="ModelComparison"/>).
/// </summary>
internal sealed class ModelRunner : IDisposable
{
    public const string CollectionName = "model";

    /// <summary>
    /// A tiny MinIndexedVectors (and M) so that the HNSW graph is built, extended, remapped at checkpoints and
    /// saved and loaded with only a handful of records.
    /// </summary>
    public static readonly CollectionSchema Schema =
        CollectionSchema.SingleVector(4, Metric.L2).WithHnsw(new HnswOptions { MinIndexedVectors = 3, M = 4, EfConstruction = 16 });

    private static readonly DatabaseOptions WriterOptions = new() { SyncMode = SyncMode.OnFlush };
    private static readonly DatabaseOptions ReaderOptions = new() { ReadOnly = true };

    /// <summary>A private read-only engine, as a reader in another process has: it reads the files, not the writer's memory.</summary>
    private static readonly DatabaseOptions OtherProcessReaderOptions = new() { ReadOnly = true, Unshared = true };

    private readonly TempDatabase _temp = new();
    private readonly CollectionModel _model = new();
    private Database _database;
    private Collection _collection;

    public ModelRunner()
    {
        _database = _temp.Open(WriterOptions);
        _collection = _database.CreateCollection(CollectionName, Schema);
    }

    /// <summary>Runs every step; the first disagreement throws, naming the step.</summary>
    public static void Run(IReadOnlyList<ModelOperation> operations)
    {
        using var runner = new ModelRunner();
        for (int step = 0; step < operations.Count; step++)
        {
            runner.Step(step, operations[step]);
        }
    }

    public void Dispose()
    {
        _database.Dispose();
        _temp.Dispose();
    }

    private void Step(int step, ModelOperation operation)
    {
        string where = $"step {step} ({operation})";
        object? expected = _model.Apply(operation);
        object? actual = Execute(operation);
        Assert.True(Equals(expected, actual), $"{where}: returned {actual ?? "nothing"}, the model says {expected ?? "nothing"}");
        ModelComparison.Check(_collection, _model, step, where);
    }

    private object? Execute(ModelOperation operation)
    {
        Collection c = _collection;
        switch (operation.Kind)
        {
            case ModelOperationKind.Upsert:
                c.Upsert(operation.Records[0].ToRecord());
                return null;
            case ModelOperationKind.UpsertMany:
                return c.UpsertMany(operation.Records.Select(r => r.ToRecord()));
            case ModelOperationKind.Delete:
                return c.Delete(operation.Ids[0], operation.Namespace);
            case ModelOperationKind.DeleteMany:
                return c.DeleteMany(operation.Ids, operation.Namespace);
            case ModelOperationKind.DeleteByFilter:
                return c.DeleteByFilter(ModelFilters.All[operation.Filter].Filter, operation.Namespace);
            case ModelOperationKind.DeleteByFilterInAllNamespaces:
                return c.DeleteByFilterInAllNamespaces(ModelFilters.All[operation.Filter].Filter);
            case ModelOperationKind.UpdatePayload:
                return c.UpdatePayload(operation.Ids[0], JsonNode.Parse(operation.Patch!)!.AsObject(), operation.Namespace);
            case ModelOperationKind.SetExpiry:
                return c.SetExpiry(operation.Ids[0], operation.Expiry.ToTime(), operation.Namespace);
            case ModelOperationKind.ClearExpiry:
                return c.ClearExpiry(operation.Ids[0], operation.Namespace);
            case ModelOperationKind.CreatePayloadIndex:
                (string field, PayloadIndexKind kind) = ModelFilters.Indexes[operation.Field];
                c.CreatePayloadIndex(field, kind);
                return null;
            case ModelOperationKind.DropPayloadIndex:
                return c.DropPayloadIndex(ModelFilters.Indexes[operation.Field].Field);
            case ModelOperationKind.Compact:
                c.Compact();
                return null;
            case ModelOperationKind.Flush:
                c.Flush();
                return null;
            case ModelOperationKind.Reopen:
                _database.Dispose();
                OpenWriter();
                return null;
            case ModelOperationKind.ReopenReadOnly:
                _database.Dispose();
                using (Database reader = _temp.Open(ReaderOptions))
                {
                    CheckReadOnly(reader, "read-only reopen");
                }
                OpenWriter();
                return null;
            case ModelOperationKind.OpenReadOnlyBeside:
                using (Database reader = _temp.Open(OtherProcessReaderOptions))
                {
                    CheckReadOnly(reader, "read-only open beside the writer (another process)");
                }
                using (Database view = _temp.Open(ReaderOptions))
                {
                    CheckReadOnly(view, "read-only view of the writer (this process)");
                }
                return null;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "unknown operation");
        }
    }

    private void OpenWriter()
    {
        _database = _temp.Open(WriterOptions);
        _collection = _database.GetCollection(CollectionName);
    }

    /// <summary>A read-only handle sees the same records as the writer and refuses to write.</summary>
    private void CheckReadOnly(Database reader, string what)
    {
        Collection c = reader.GetCollection(CollectionName);
        ModelComparison.Check(c, _model, 0, what);
        Assert.Throws<ReadOnlyDatabaseException>(() => c.Upsert(new Record(0, new float[] { 1, 2, 3, 4 })));
    }
}

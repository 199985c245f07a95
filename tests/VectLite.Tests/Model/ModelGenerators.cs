using CsCheck;

namespace VectLite.Tests.Model;

/// <summary>CsCheck generators for operation sequences over a small key space, so that operations collide often.</summary>
internal static class ModelGenerators
{
    private static readonly Gen<RecordId> Id = Gen.OneOf(ModelComparison.Ids);

    // null and "" both name the default namespace; both are generated so that the two spellings must agree.
    private static readonly Gen<string?> Namespace = Gen.OneOf<string?>(null, "", "t");

    private static readonly Gen<ModelExpiry> Expiry = Gen.Frequency((6, Gen.Const(ModelExpiry.None)), (1, Gen.Const(ModelExpiry.Past)), (1, Gen.Const(ModelExpiry.FarFuture)), (1, Gen.Const(ModelExpiry.Max)));

    private static readonly Gen<string?> Payload = Gen.Frequency(
        (1, Gen.Const<string?>((string?)null)),
        (1, Gen.Const<string?>("{}")),
        (8, Gen.Select(
            Gen.Int[-1, 3], Gen.Int[-1, 1], Gen.Int[-1, 3], Gen.Int[-1, 2],
            (g, tag, tags, n) => (string?)Fields(
                g < 0 ? null : $"\"g\": {g}",
                tag < 0 ? null : tag == 0 ? "\"tag\": \"x\"" : "\"tag\": \"y\"",
                tags < 0 ? null : tags switch { 0 => "\"tags\": []", 1 => "\"tags\": [\"x\", \"y\"]", 2 => "\"tags\": [\"y\"]", _ => "\"tags\": [\"z\"]" },
                n < 0 ? null : n == 2 ? "\"n\": 5" : $"\"n\": {{\"a\": {n}, \"m\": \"k\"}}"))));

    // Patches set, replace (object by scalar and back) and remove members, at the top and one level down.
    private static readonly Gen<string> Patch = Gen.Select(
        Gen.Int[-1, 3], Gen.Int[-1, 2], Gen.Int[-1, 2], Gen.Int[-1, 5],
        (g, tag, tags, n) => Fields(
            g < 0 ? null : g == 3 ? "\"g\": null" : $"\"g\": {g}",
            tag < 0 ? null : tag switch { 0 => "\"tag\": \"x\"", 1 => "\"tag\": \"y\"", _ => "\"tag\": null" },
            tags < 0 ? null : tags switch { 0 => "\"tags\": [\"y\", \"z\"]", 1 => "\"tags\": null", _ => "\"tags\": \"y\"" },
            n < 0 ? null : n switch { 0 => "\"n\": {\"a\": 1, \"b\": {\"c\": null}}", 1 => "\"n\": {\"a\": null}", 2 => "\"n\": 7", 3 => "\"n\": null", 4 => "\"n\": {\"b\": {\"c\": 1}}", _ => "\"n\": {\"a\": 2}" }));

    private static readonly Gen<ModelRecordSpec> Record = Gen.Select(Id, Namespace, Gen.Int[-3, 3].Array[4], Payload, Expiry,
        (id, ns, vector, payload, expiry) => new ModelRecordSpec(id, ns, vector, payload, expiry));

    public static readonly Gen<ModelOperation> Operation = Gen.Frequency(
        (10, Record.Select(ModelOperation.Upsert)),
        (6, Record.Array[1, 6].Select(ModelOperation.UpsertMany)),
        (3, Gen.Select(Id, Namespace, ModelOperation.Delete)),
        (2, Gen.Select(Id.Array[1, 4], Namespace, ModelOperation.DeleteMany)),
        (2, Gen.Select(Gen.Int[0, ModelFilters.All.Count - 1], Namespace, ModelOperation.DeleteByFilter)),
        (1, Gen.Int[0, ModelFilters.All.Count - 1].Select(ModelOperation.DeleteByFilterInAllNamespaces)),
        (5, Gen.Select(Id, Namespace, Patch, ModelOperation.UpdatePayload)),
        (2, Gen.Select(Id, Namespace, Expiry, ModelOperation.SetExpiry)),
        (1, Gen.Select(Id, Namespace, ModelOperation.ClearExpiry)),
        (2, Gen.Int[0, ModelFilters.Indexes.Count - 1].Select(ModelOperation.CreatePayloadIndex)),
        (1, Gen.Int[0, ModelFilters.Indexes.Count - 1].Select(ModelOperation.DropPayloadIndex)),
        (2, Gen.Const(ModelOperation.Simple(ModelOperationKind.Compact))),
        (1, Gen.Const(ModelOperation.Simple(ModelOperationKind.Flush))),
        (2, Gen.Const(ModelOperation.Simple(ModelOperationKind.Reopen))),
        (1, Gen.Const(ModelOperation.Simple(ModelOperationKind.ReopenReadOnly))),
        (1, Gen.Const(ModelOperation.Simple(ModelOperationKind.OpenReadOnlyBeside))));

    public static readonly Gen<ModelOperation[]> Sequence = Operation.Array[1, 40];

    private static string Fields(params string?[] fields) => "{" + string.Join(", ", fields.Where(f => f is not null)) + "}";
}

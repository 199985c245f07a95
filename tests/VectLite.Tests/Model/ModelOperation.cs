using System.Globalization;
using System.Text;

namespace VectLite.Tests.Model;

/// <summary>
/// One step of a model-based test. <see cref="ToString"/> prints the factory call that rebuilds it, so a shrunk
/// counterexample pastes straight into a regression test.
/// </summary>
internal sealed record ModelOperation(
    ModelOperationKind Kind,
    ModelRecordSpec[] Records,
    RecordId[] Ids,
    string? Namespace,
    int Filter,
    string? Patch,
    ModelExpiry Expiry,
    int Field)
{
    public static ModelOperation Upsert(ModelRecordSpec record) => new(ModelOperationKind.Upsert, [record], [], null, -1, null, ModelExpiry.None, -1);

    public static ModelOperation UpsertMany(params ModelRecordSpec[] records) => new(ModelOperationKind.UpsertMany, records, [], null, -1, null, ModelExpiry.None, -1);

    public static ModelOperation Delete(RecordId id, string? @namespace) => new(ModelOperationKind.Delete, [], [id], @namespace, -1, null, ModelExpiry.None, -1);

    public static ModelOperation DeleteMany(RecordId[] ids, string? @namespace) => new(ModelOperationKind.DeleteMany, [], ids, @namespace, -1, null, ModelExpiry.None, -1);

    /// <summary>Deletes in one namespace; <paramref name="namespace"/> null is the default namespace, like "".</summary>
    public static ModelOperation DeleteByFilter(int filter, string? @namespace) => new(ModelOperationKind.DeleteByFilter, [], [], @namespace, filter, null, ModelExpiry.None, -1);

    /// <summary>Deletes across every namespace.</summary>
    public static ModelOperation DeleteByFilterInAllNamespaces(int filter) => new(ModelOperationKind.DeleteByFilterInAllNamespaces, [], [], null, filter, null, ModelExpiry.None, -1);

    public static ModelOperation UpdatePayload(RecordId id, string? @namespace, string patch) => new(ModelOperationKind.UpdatePayload, [], [id], @namespace, -1, patch, ModelExpiry.None, -1);

    public static ModelOperation SetExpiry(RecordId id, string? @namespace, ModelExpiry expiry) => new(ModelOperationKind.SetExpiry, [], [id], @namespace, -1, null, expiry, -1);

    public static ModelOperation ClearExpiry(RecordId id, string? @namespace) => new(ModelOperationKind.ClearExpiry, [], [id], @namespace, -1, null, ModelExpiry.None, -1);

    public static ModelOperation CreatePayloadIndex(int field) => new(ModelOperationKind.CreatePayloadIndex, [], [], null, -1, null, ModelExpiry.None, field);

    public static ModelOperation DropPayloadIndex(int field) => new(ModelOperationKind.DropPayloadIndex, [], [], null, -1, null, ModelExpiry.None, field);

    public static ModelOperation Simple(ModelOperationKind kind) => new(kind, [], [], null, -1, null, ModelExpiry.None, -1);

    public override string ToString() => Kind switch
    {
        ModelOperationKind.Upsert => $"ModelOperation.Upsert({Records[0]})",
        ModelOperationKind.UpsertMany => $"ModelOperation.UpsertMany({string.Join(", ", Records.Select(r => r.ToString()))})",
        ModelOperationKind.Delete => $"ModelOperation.Delete({IdCode(Ids[0])}, {StringCode(Namespace)})",
        ModelOperationKind.DeleteMany => $"ModelOperation.DeleteMany([{string.Join(", ", Ids.Select(IdCode))}], {StringCode(Namespace)})",
        ModelOperationKind.DeleteByFilter => string.Create(CultureInfo.InvariantCulture, $"ModelOperation.DeleteByFilter({Filter}, {StringCode(Namespace)})"),
        ModelOperationKind.DeleteByFilterInAllNamespaces => string.Create(CultureInfo.InvariantCulture, $"ModelOperation.DeleteByFilterInAllNamespaces({Filter})"),
        ModelOperationKind.UpdatePayload => $"ModelOperation.UpdatePayload({IdCode(Ids[0])}, {StringCode(Namespace)}, {StringCode(Patch)})",
        ModelOperationKind.SetExpiry => $"ModelOperation.SetExpiry({IdCode(Ids[0])}, {StringCode(Namespace)}, ModelExpiry.{Expiry})",
        ModelOperationKind.ClearExpiry => $"ModelOperation.ClearExpiry({IdCode(Ids[0])}, {StringCode(Namespace)})",
        ModelOperationKind.CreatePayloadIndex => string.Create(CultureInfo.InvariantCulture, $"ModelOperation.CreatePayloadIndex({Field})"),
        ModelOperationKind.DropPayloadIndex => string.Create(CultureInfo.InvariantCulture, $"ModelOperation.DropPayloadIndex({Field})"),
        _ => $"ModelOperation.Simple(ModelOperationKind.{Kind})",
    };

    /// <summary>A whole sequence as the body of a collection expression.</summary>
    public static string Print(ModelOperation[] operations)
    {
        var text = new StringBuilder("[").AppendLine();
        foreach (ModelOperation operation in operations)
        {
            text.Append("    ").Append(operation).AppendLine(",");
        }
        return text.Append(']').ToString();
    }

    internal static string IdCode(RecordId id) =>
        id.IsString ? StringCode(id.AsString) : id.AsNumber.ToString(CultureInfo.InvariantCulture);

    internal static string StringCode(string? text) =>
        text is null ? "null" : "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

using System.Globalization;

namespace VectLite.Tests.Model;

/// <summary>A record an upsert writes: small integer components keep every distance exact, so scores compare exactly.</summary>
internal sealed record ModelRecordSpec(RecordId Id, string? Namespace, int[] Vector, string? Payload, ModelExpiry Expiry)
{
    public Record ToRecord() => new(Id, Vector.Select(v => (float)v).ToArray(), Payload is null ? null : System.Text.Json.Nodes.JsonNode.Parse(Payload)!.AsObject())
    {
        Namespace = Namespace,
        ExpiresAt = Expiry.ToTime(),
    };

    /// <summary>The C# that builds this spec, for pasting a shrunk counterexample into a regression test.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"new({ModelOperation.IdCode(Id)}, {ModelOperation.StringCode(Namespace)}, [{string.Join(", ", Vector)}], {ModelOperation.StringCode(Payload)}, ModelExpiry.{Expiry})");
}

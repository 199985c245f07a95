using System.Text.Json;

namespace VectLite.Filtering;

/// <summary>
/// Receives the values a <see cref="PayloadPath"/> resolves to. Implemented by structs so
/// <see cref="PayloadPath.Visit{TVisitor}"/> is specialised per visitor: no delegate, no boxing.
/// </summary>
internal interface IPayloadValueVisitor
{
    /// <summary>Handles one resolved value; returns true to stop the walk (the answer is known).</summary>
    bool Visit(JsonElement value);
}

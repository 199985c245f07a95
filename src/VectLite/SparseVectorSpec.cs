namespace VectLite;

/// <summary>One named sparse vector space of a collection's schema (see <see cref="CollectionSchema.AddSparseVector"/>).</summary>
/// <param name="Name">The space's name: the naming rules of vectors; distinct from every dense and sparse name of the schema.</param>
/// <param name="Modifier">How query weights are adjusted before scoring (<see cref="SparseModifier.Idf"/>, or none).</param>
public sealed record SparseVectorSpec(string Name, SparseModifier Modifier)
{
    /// <summary>The most entries one sparse vector may hold (stored or queried).</summary>
    public const int MaxEntries = 65_536;
}

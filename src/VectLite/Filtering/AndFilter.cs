using System.Text.Json;

namespace VectLite.Filtering;

/// <summary><c>$and</c>: matches when every child matches (short-circuits on the first that does not).</summary>
internal sealed class AndFilter : CompositeFilter
{
    /// <summary>Creates the node; <paramref name="children"/> (at least one) is owned by the new node.</summary>
    public AndFilter(Filter[] children)
        : base(children)
    {
    }

    private protected override string OperatorName => "$and";

    internal override bool Matches(JsonElement payload)
    {
        foreach (Filter child in Children)
        {
            if (!child.Matches(payload))
            {
                return false;
            }
        }

        return true;
    }
}

using System.Text.Json;

namespace VectLite.Filtering;

/// <summary><c>$or</c>: matches when at least one child matches (short-circuits on the first that does).</summary>
internal sealed class OrFilter : CompositeFilter
{
    /// <summary>Creates the node; <paramref name="children"/> (at least one) is owned by the new node.</summary>
    public OrFilter(Filter[] children)
        : base(children)
    {
    }

    private protected override string OperatorName => "$or";

    internal override bool Matches(JsonElement payload)
    {
        foreach (Filter child in Children)
        {
            if (child.Matches(payload))
            {
                return true;
            }
        }

        return false;
    }
}

using System.Text.Json;

namespace VectLite.Filtering;

/// <summary>The shared shape of <see cref="AndFilter"/> and <see cref="OrFilter"/>: an operator over a non-empty list of children.</summary>
internal abstract class CompositeFilter : Filter
{
    private readonly Filter[] _children;

    /// <summary>Creates the node; <paramref name="children"/> (at least one) is owned by the new node.</summary>
    private protected CompositeFilter(Filter[] children)
    {
        System.Diagnostics.Debug.Assert(children.Length > 0, "A logical node needs at least one child.");
        _children = children;
    }

    /// <summary>The children, in the order given.</summary>
    public ReadOnlySpan<Filter> Children => _children;

    /// <summary>The JSON operator name, <c>$and</c> or <c>$or</c>.</summary>
    private protected abstract string OperatorName { get; }

    /// <summary>Concatenates two operands of <c>&amp;</c> or <c>|</c>, splicing in the children of any operand that is already a <typeparamref name="TNode"/>.</summary>
    public static Filter[] Flatten<TNode>(Filter left, Filter right)
        where TNode : CompositeFilter
    {
        Filter[] l = left is TNode ? ((CompositeFilter)left)._children : [left];
        Filter[] r = right is TNode ? ((CompositeFilter)right)._children : [right];
        return [.. l, .. r];
    }

    internal override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(OperatorName);
        writer.WriteStartArray();
        foreach (Filter child in _children)
        {
            child.WriteJson(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    internal override bool EqualsCore(Filter other)
    {
        Filter[] theirs = ((CompositeFilter)other)._children;
        if (theirs.Length != _children.Length)
        {
            return false;
        }

        for (int i = 0; i < _children.Length; i++)
        {
            if (!_children[i].Equals(theirs[i]))
            {
                return false;
            }
        }

        return true;
    }

    internal override int ComputeHashCode()
    {
        var hash = new HashCode();
        hash.Add(OperatorName);
        foreach (Filter child in _children)
        {
            hash.Add(child.GetHashCode());
        }

        return hash.ToHashCode();
    }
}

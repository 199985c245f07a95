using System.Diagnostics;
using System.Text.Json;

namespace VectLite.Filtering;

/// <summary>
/// A leaf of the filter tree: one operator applied to the values a <see cref="PayloadPath"/> resolves to.
/// The evaluation rules are in the remarks of <see cref="Filter"/>.
/// </summary>
/// <remarks>
/// <para>How it works: every operator reduces to a positive test plus an optional negation, decided once here.
/// <c>$eq</c> is <c>$in</c> with one operand; <c>$ne</c>/<c>$nin</c> are the negated <c>$eq</c>/<c>$in</c>;
/// <c>$exists: false</c> is the negated <c>$exists: true</c>. The positive test asks "does ANY resolved value pass?",
/// and stops the path walk at the first that does.</para>
/// <para>String operands are encoded to UTF-8 here, so evaluation compares bytes and allocates nothing.</para>
/// <para>Array operands (<c>{"tags": ["a", "b"]}</c>, MongoDB's whole-array equality) are tested against every
/// resolved value that is an array as a whole, and against each element of it (so a nested array element can equal
/// them too, as in MongoDB); a scalar operand never equals an array, and an array operand never equals a scalar.</para>
/// </remarks>
internal sealed class FieldCondition : Filter
{
    private readonly FilterValue[] _values;
    private readonly byte[]?[] _utf8;
    private readonly byte[]?[]?[]? _itemUtf8; // per array operand, its elements' UTF-8; null when no operand is an array
    private readonly FilterOperator _test;
    private readonly bool _negated;
    private readonly bool _matchesMissing;

    /// <summary>
    /// Creates the condition; <paramref name="values"/> is owned by the new node. Callers have validated the operands
    /// (finite numbers, well-formed strings, the kinds the operator accepts); $exists takes one boolean.
    /// </summary>
    public FieldCondition(PayloadPath path, FilterOperator op, FilterValue[] values)
    {
        Debug.Assert(op is FilterOperator.In or FilterOperator.Nin || values.Length == 1, $"{op.Name()} takes exactly one operand.");
        Debug.Assert(op != FilterOperator.Exists || values[0].Kind == FilterValueKind.Boolean, "$exists takes a boolean operand.");
        Debug.Assert(!op.IsRange() || values[0].Kind is FilterValueKind.Number or FilterValueKind.String, "A range operator takes a number or a string.");
        Debug.Assert(op != FilterOperator.Contains || values[0].Kind != FilterValueKind.Array, "$contains takes a scalar operand.");

        Path = path;
        Operator = op;
        _values = values;
        _utf8 = new byte[values.Length][];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i].Kind == FilterValueKind.String)
            {
                bool encoded = Utf8Strings.TryEncode(values[i].StringValue, out _utf8[i]);
                Debug.Assert(encoded, "Operand strings are validated before a condition is built.");
            }
            else if (values[i].Kind == FilterValueKind.Array)
            {
                _itemUtf8 ??= new byte[values.Length][][];
                ReadOnlySpan<FilterValue> items = values[i].Items;
                var encodedItems = new byte[]?[items.Length];
                for (int j = 0; j < items.Length; j++)
                {
                    if (items[j].Kind == FilterValueKind.String)
                    {
                        bool encoded = Utf8Strings.TryEncode(items[j].StringValue, out encodedItems[j]);
                        Debug.Assert(encoded, "Operand strings are validated before a condition is built.");
                    }
                }

                _itemUtf8[i] = encodedItems;
            }
        }

        (_test, _negated) = op switch
        {
            FilterOperator.Eq or FilterOperator.In => (FilterOperator.Eq, false),
            FilterOperator.Ne or FilterOperator.Nin => (FilterOperator.Eq, true),
            FilterOperator.Exists => (FilterOperator.Exists, !values[0].BooleanValue),
            _ => (op, false),
        };

        if (_test == FilterOperator.Eq)
        {
            foreach (FilterValue value in values)
            {
                _matchesMissing |= value.Kind == FilterValueKind.Null;
            }
        }
    }

    /// <summary>The field the condition looks at.</summary>
    public PayloadPath Path { get; }

    /// <summary>The operator as written.</summary>
    public FilterOperator Operator { get; }

    /// <summary>The operands: one, except for $in/$nin which take any number. For $exists, one boolean.</summary>
    public ReadOnlySpan<FilterValue> Values => _values;

    internal override bool Matches(JsonElement payload)
    {
        var visitor = new MatchVisitor(this);
        bool positive = Path.Visit(payload, ref visitor) || (_matchesMissing && !visitor.ResolvedAny);
        return positive != _negated;
    }

    internal override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(Path.Text);
        writer.WriteStartObject();
        writer.WritePropertyName(Operator.Name());
        if (Operator is FilterOperator.In or FilterOperator.Nin)
        {
            writer.WriteStartArray();
            foreach (FilterValue value in _values)
            {
                value.WriteTo(writer);
            }

            writer.WriteEndArray();
        }
        else
        {
            _values[0].WriteTo(writer);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    internal override bool EqualsCore(Filter other)
    {
        var that = (FieldCondition)other;
        return Operator == that.Operator && Path.Equals(that.Path) && _values.AsSpan().SequenceEqual(that._values);
    }

    internal override int ComputeHashCode()
    {
        var hash = new HashCode();
        hash.Add(Operator);
        hash.Add(Path);
        foreach (FilterValue value in _values)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    /// <summary>The positive test on one resolved value (before negation).</summary>
    private bool TestResolved(JsonElement value)
    {
        switch (_test)
        {
            case FilterOperator.Exists:
                return true;

            case FilterOperator.Contains:
                return TestContains(value);

            default:
                if (value.ValueKind == JsonValueKind.Array)
                {
                    // Whole-array equality first (only an array operand can equal an array), then array membership.
                    if (_itemUtf8 is not null && _test == FilterOperator.Eq && TestScalar(value))
                    {
                        return true;
                    }

                    // Array membership: each element is a candidate (one level; a nested array only equals an array operand).
                    foreach (JsonElement element in value.EnumerateArray())
                    {
                        if (TestScalar(element))
                        {
                            return true;
                        }
                    }

                    return false;
                }

                return TestScalar(value);
        }
    }

    private bool TestScalar(JsonElement element)
    {
        if (_test == FilterOperator.Eq)
        {
            for (int i = 0; i < _values.Length; i++)
            {
                if (_values[i].Kind == FilterValueKind.Array
                    ? JsonValueComparer.ArrayEqual(element, _values[i].Items, _itemUtf8![i]!)
                    : JsonValueComparer.Equal(element, _values[i], _utf8[i]))
                {
                    return true;
                }
            }

            return false;
        }

        if (!JsonValueComparer.TryCompare(element, _values[0], _utf8[0], out int comparison))
        {
            return false;
        }

        return _test switch
        {
            FilterOperator.Gt => comparison > 0,
            FilterOperator.Gte => comparison >= 0,
            FilterOperator.Lt => comparison < 0,
            _ => comparison <= 0,
        };
    }

    private bool TestContains(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement element in value.EnumerateArray())
            {
                if (JsonValueComparer.Equal(element, _values[0], _utf8[0]))
                {
                    return true;
                }
            }

            return false;
        }

        return value.ValueKind == JsonValueKind.String
            && _values[0].Kind == FilterValueKind.String
            && JsonValueComparer.ContainsSubstring(value, _utf8[0]!);
    }

    /// <summary>Feeds resolved values to the positive test and records whether any value resolved at all.</summary>
    private struct MatchVisitor(FieldCondition condition) : IPayloadValueVisitor
    {
        public bool ResolvedAny;

        public bool Visit(JsonElement value)
        {
            ResolvedAny = true;
            return condition.TestResolved(value);
        }
    }
}

using System.Text.Json;

namespace VectLite.Filtering;

/// <summary>
/// Turns the Mongo-style JSON form into a <see cref="Filter"/> tree. The accepted grammar is documented on
/// <see cref="Filter"/>; every rejection is a <see cref="FilterParseException"/> whose location is the JSON path of
/// the offending part.
/// </summary>
internal static class FilterParser
{
    /// <summary>How deep filter objects may nest. Bounds the recursion here and in evaluation.</summary>
    public const int MaxNesting = 32;

    /// <summary>Parses JSON text.</summary>
    public static Filter Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            // Room for MaxNesting filter levels, each of which may add an array and an operator object.
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = (MaxNesting * 2) + 4 });
        }
        catch (JsonException ex)
        {
            throw new FilterParseException(FilterLocation.Root, $"the text is not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    /// <summary>Parses an already parsed JSON value. Nothing in the result refers to <paramref name="json"/>.</summary>
    public static Filter Parse(JsonElement json)
    {
        try
        {
            return ParseFilterObject(json, FilterLocation.Root, depth: 1);
        }
        catch (InvalidOperationException ex)
        {
            // System.Text.Json raises this for a "\ud800"-style escape that is not valid UTF-16, in a key or a value.
            throw new FilterParseException(FilterLocation.Root, $"the filter holds a string that is not valid UTF-16 ({ex.Message})", ex);
        }
    }

    private static Filter ParseFilterObject(JsonElement element, string location, int depth)
    {
        if (depth > MaxNesting)
        {
            throw Error(location, $"filters nest more than {MaxNesting} levels deep");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(location, $"expected a filter object, found {Describe(element)}");
        }

        var parts = new List<Filter>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            string name = property.Name;
            string at = FilterLocation.Property(location, name);
            if (!seen.Add(name))
            {
                throw Error(at, $"the key '{name}' appears more than once in the same object");
            }

            if (name.StartsWith('$'))
            {
                parts.Add(ParseLogical(name, property.Value, at, depth));
            }
            else
            {
                if (!PayloadPath.TryCreate(name, out PayloadPath? path, out string? error))
                {
                    throw Error(at, error);
                }

                ParseFieldValue(path, property.Value, at, depth, parts);
            }
        }

        return parts.Count switch
        {
            0 => throw Error(location, "an empty filter object has no condition; to match every record, pass no filter"),
            1 => parts[0],
            _ => new AndFilter([.. parts]),
        };
    }

    private static Filter ParseLogical(string name, JsonElement operand, string location, int depth)
    {
        switch (name)
        {
            case "$and":
            case "$or":
                if (operand.ValueKind != JsonValueKind.Array)
                {
                    throw Error(location, $"{name} expects an array of filter objects, found {Describe(operand)}");
                }

                int count = operand.GetArrayLength();
                if (count == 0)
                {
                    throw Error(location, $"{name} needs at least one filter object");
                }

                var children = new Filter[count];
                int i = 0;
                foreach (JsonElement item in operand.EnumerateArray())
                {
                    children[i] = ParseFilterObject(item, FilterLocation.Index(location, i), depth + 1);
                    i++;
                }

                return name == "$and" ? new AndFilter(children) : new OrFilter(children);

            case "$not":
                if (operand.ValueKind != JsonValueKind.Object)
                {
                    throw Error(location, $"$not expects a filter object, found {Describe(operand)}");
                }

                return new NotFilter(ParseFilterObject(operand, location, depth + 1));

            default:
                throw FilterOperatorNames.TryParse(name, out _)
                    ? Error(location, $"the operator '{name}' applies to a field; write {{\"field\": {{\"{name}\": ...}}}}")
                    : Error(location, $"unknown operator '{name}'; expected $and, $or, $not or a field name");
        }
    }

    private static void ParseFieldValue(PayloadPath path, JsonElement value, string location, int depth, List<Filter> parts)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                ParseOperatorObject(path, value, location, depth, parts);
                return;

            case JsonValueKind.Array:
                // MongoDB's whole-array equality: {"tags": ["a", "b"]} matches a tags array that is exactly ["a", "b"].
                parts.Add(new FieldCondition(path, FilterOperator.Eq, [ReadArray(value, location)]));
                return;

            default:
                parts.Add(new FieldCondition(path, FilterOperator.Eq, [ReadScalar(value, location, "a field value")]));
                return;
        }
    }

    private static void ParseOperatorObject(PayloadPath path, JsonElement value, string location, int depth, List<Filter> parts)
    {
        if (depth > MaxNesting)
        {
            throw Error(location, $"filters nest more than {MaxNesting} levels deep");
        }

        string? firstOperator = null;
        string? firstPlain = null;
        foreach (JsonProperty property in value.EnumerateObject())
        {
            if (property.Name.StartsWith('$'))
            {
                firstOperator ??= property.Name;
            }
            else
            {
                firstPlain ??= property.Name;
            }
        }

        if (firstOperator is null && firstPlain is null)
        {
            throw Error(location, "an empty operator object; write a value, or an operator such as {\"$eq\": value}");
        }

        if (firstOperator is null)
        {
            throw Error(location, $"an object is not a value to compare with; to match the nested field '{firstPlain}', use the dot path \"{path.Text}.{firstPlain}\" as the key");
        }

        if (firstPlain is not null)
        {
            throw Error(location, $"operators ('{firstOperator}') and plain keys ('{firstPlain}') are mixed in one object; for a nested field use the dot path \"{path.Text}.{firstPlain}\"");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in value.EnumerateObject())
        {
            string at = FilterLocation.Property(location, property.Name);
            if (!seen.Add(property.Name))
            {
                throw Error(at, $"the operator '{property.Name}' appears more than once for the same field");
            }

            parts.Add(ParseOperator(path, property.Name, property.Value, at, depth));
        }
    }

    private static Filter ParseOperator(PayloadPath path, string name, JsonElement operand, string location, int depth)
    {
        if (name == "$not")
        {
            if (operand.ValueKind != JsonValueKind.Object)
            {
                throw Error(location, $"$not on a field expects an operator object such as {{\"$gt\": 5}}, found {Describe(operand)}");
            }

            var negated = new List<Filter>();
            ParseOperatorObject(path, operand, location, depth + 1, negated);
            return new NotFilter(negated.Count == 1 ? negated[0] : new AndFilter([.. negated]));
        }

        if (!FilterOperatorNames.TryParse(name, out FilterOperator op))
        {
            throw name is "$and" or "$or"
                ? Error(location, $"{name} must be used at the top level of a filter object, not inside the condition on field '{path.Text}'")
                : Error(location, $"unknown operator '{name}'");
        }

        switch (op)
        {
            case FilterOperator.In:
            case FilterOperator.Nin:
                if (operand.ValueKind != JsonValueKind.Array)
                {
                    throw Error(location, $"{name} expects an array of values, found {Describe(operand)}");
                }

                var values = new FilterValue[operand.GetArrayLength()];
                int i = 0;
                foreach (JsonElement item in operand.EnumerateArray())
                {
                    string at = FilterLocation.Index(location, i);
                    values[i] = item.ValueKind == JsonValueKind.Array ? ReadArray(item, at) : ReadScalar(item, at, $"each value of {name}");
                    i++;
                }

                return new FieldCondition(path, op, values);

            case FilterOperator.Exists:
                if (operand.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw Error(location, $"$exists expects true or false, found {Describe(operand)}");
                }

                return new FieldCondition(path, op, [operand.ValueKind == JsonValueKind.True]);

            case FilterOperator.Gt:
            case FilterOperator.Gte:
            case FilterOperator.Lt:
            case FilterOperator.Lte:
                if (operand.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
                {
                    throw Error(location, $"{name} expects a number or a string, found {Describe(operand)}");
                }

                return new FieldCondition(path, op, [ReadScalar(operand, location, name)]);

            case FilterOperator.Eq:
            case FilterOperator.Ne:
                return new FieldCondition(path, op, [operand.ValueKind == JsonValueKind.Array ? ReadArray(operand, location) : ReadScalar(operand, location, name)]);

            default:
                if (operand.ValueKind == JsonValueKind.Array)
                {
                    throw Error(location, $"{name} expects a single value, found an array; to match an array as a whole use {{\"$eq\": [...]}}");
                }

                return new FieldCondition(path, op, [ReadScalar(operand, location, name)]);
        }
    }

    /// <summary>Reads an array operand of strings, numbers, booleans and nulls (arrays do not nest).</summary>
    private static FilterValue ReadArray(JsonElement element, string location)
    {
        var items = new FilterValue[element.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            items[i] = ReadScalar(item, FilterLocation.Index(location, i), "each element of an array value");
            i++;
        }

        return FilterValue.ArrayOf(items);
    }

    /// <summary>Reads a string, number, boolean or null; <paramref name="what"/> names the expectation in the message.</summary>
    private static FilterValue ReadScalar(JsonElement element, string location, string what)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return JsonValueComparer.TryGetString(element, out string? text)
                    ? text
                    : throw Error(location, "the string contains an unpaired surrogate escape");

            case JsonValueKind.Number:
                if (element.TryGetInt64(out long integer))
                {
                    return integer;
                }

                return element.TryGetDouble(out double number) && double.IsFinite(number)
                    ? number
                    : throw Error(location, $"the number {element.GetRawText()} is out of range");

            case JsonValueKind.True:
                return true;

            case JsonValueKind.False:
                return false;

            case JsonValueKind.Null:
                return FilterValue.Null;

            default:
                throw Error(location, $"{what} must be a string, number, boolean or null, found {Describe(element)}");
        }
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static FilterParseException Error(string location, string message) => new(location, message);
}

using System.Runtime.CompilerServices;
using VectLite.Filtering;

namespace VectLite;

public abstract partial class Filter
{
    /// <summary>Matches records where some value at <paramref name="path"/> equals <paramref name="value"/> (JSON <c>{"path": {"$eq": value}}</c>).</summary>
    /// <param name="path">A dot path such as <c>meta.author.name</c>.</param>
    /// <param name="value">The operand; <see cref="FilterValue.Null"/> also matches a missing field. A scalar also
    /// matches an array holding an equal element; an array (<see cref="FilterValue.ArrayOf"/>) matches an array that
    /// equals it as a whole (same length and order).</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or has an empty segment; <paramref name="value"/> is NaN or infinite.</exception>
    public static Filter Eq(string path, FilterValue value) => Single(path, FilterOperator.Eq, value);

    /// <summary>Matches records where no value at <paramref name="path"/> equals <paramref name="value"/>, including records without the field (<c>$ne</c>).</summary>
    /// <param name="path">A dot path such as <c>meta.author.name</c>.</param>
    /// <param name="value">The operand.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or has an empty segment; <paramref name="value"/> is NaN or infinite.</exception>
    public static Filter Ne(string path, FilterValue value) => Single(path, FilterOperator.Ne, value);

    /// <summary>Matches records where some value at <paramref name="path"/> is greater than <paramref name="value"/> (<c>$gt</c>).</summary>
    /// <param name="path">A dot path such as <c>price</c>.</param>
    /// <param name="value">A number (compared numerically) or a string (compared ordinally).</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is invalid; <paramref name="value"/> is not a finite number or a string.</exception>
    public static Filter Gt(string path, FilterValue value) => Range(path, FilterOperator.Gt, value);

    /// <summary>Matches records where some value at <paramref name="path"/> is greater than or equal to <paramref name="value"/> (<c>$gte</c>).</summary>
    /// <param name="path">A dot path such as <c>price</c>.</param>
    /// <param name="value">A number (compared numerically) or a string (compared ordinally).</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is invalid; <paramref name="value"/> is not a finite number or a string.</exception>
    public static Filter Gte(string path, FilterValue value) => Range(path, FilterOperator.Gte, value);

    /// <summary>Matches records where some value at <paramref name="path"/> is less than <paramref name="value"/> (<c>$lt</c>).</summary>
    /// <param name="path">A dot path such as <c>price</c>.</param>
    /// <param name="value">A number (compared numerically) or a string (compared ordinally).</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is invalid; <paramref name="value"/> is not a finite number or a string.</exception>
    public static Filter Lt(string path, FilterValue value) => Range(path, FilterOperator.Lt, value);

    /// <summary>Matches records where some value at <paramref name="path"/> is less than or equal to <paramref name="value"/> (<c>$lte</c>).</summary>
    /// <param name="path">A dot path such as <c>price</c>.</param>
    /// <param name="value">A number (compared numerically) or a string (compared ordinally).</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is invalid; <paramref name="value"/> is not a finite number or a string.</exception>
    public static Filter Lte(string path, FilterValue value) => Range(path, FilterOperator.Lte, value);

    /// <summary>Matches records where some value at <paramref name="path"/> equals one of <paramref name="values"/> (<c>$in</c>). An empty list matches nothing.</summary>
    /// <param name="path">A dot path such as <c>color</c>.</param>
    /// <param name="values">The accepted values; a <see cref="FilterValue.Null"/> among them also accepts a missing field.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is invalid; a value is NaN or infinite.</exception>
    [OverloadResolutionPriority(1)] // a collection expression ([], ["a", "b"]) fits the sequence overloads too: prefer this one
    public static Filter In(string path, params FilterValue[] values) => Many(path, FilterOperator.In, values);

    /// <summary>Matches records where no value at <paramref name="path"/> equals any of <paramref name="values"/> (<c>$nin</c>), including records without the field.</summary>
    /// <param name="path">A dot path such as <c>color</c>.</param>
    /// <param name="values">The rejected values.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is invalid; a value is NaN or infinite.</exception>
    [OverloadResolutionPriority(1)] // a collection expression ([], ["a", "b"]) fits the sequence overloads too: prefer this one
    public static Filter Nin(string path, params FilterValue[] values) => Many(path, FilterOperator.Nin, values);

    /// <summary>Matches records where some value at <paramref name="path"/> equals one of <paramref name="values"/> (<c>$in</c>). An empty sequence matches nothing; takes the values from a sequence (a list, a set, a LINQ query).</summary>
    /// <param name="path">A dot path such as <c>color</c>.</param>
    /// <param name="values">The values, enumerated once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is invalid; a value is NaN or infinite.</exception>
    public static Filter In(string path, IEnumerable<FilterValue> values) => Many(path, FilterOperator.In, Materialize(values));

    /// <inheritdoc cref="In(string, IEnumerable{FilterValue})"/>
    public static Filter In(string path, IEnumerable<string> values) => Many(path, FilterOperator.In, Materialize(values, static v => v));

    /// <inheritdoc cref="In(string, IEnumerable{FilterValue})"/>
    public static Filter In(string path, IEnumerable<int> values) => Many(path, FilterOperator.In, Materialize(values, static v => v));

    /// <inheritdoc cref="In(string, IEnumerable{FilterValue})"/>
    public static Filter In(string path, IEnumerable<long> values) => Many(path, FilterOperator.In, Materialize(values, static v => v));

    /// <inheritdoc cref="In(string, IEnumerable{FilterValue})"/>
    public static Filter In(string path, IEnumerable<double> values) => Many(path, FilterOperator.In, Materialize(values, static v => v));

    /// <inheritdoc cref="In(string, IEnumerable{FilterValue})"/>
    public static Filter In(string path, IEnumerable<float> values) => Many(path, FilterOperator.In, Materialize(values, static v => v));

    /// <inheritdoc cref="In(string, IEnumerable{FilterValue})"/>
    public static Filter In(string path, IEnumerable<bool> values) => Many(path, FilterOperator.In, Materialize(values, static v => v));

    /// <inheritdoc cref="In(string, IEnumerable{FilterValue})"/>
    public static Filter In(string path, IEnumerable<DateTimeOffset> values) => Many(path, FilterOperator.In, Materialize(values, static v => v));

    /// <summary>Matches records where some value at <paramref name="path"/> equals none of <paramref name="values"/> (<c>$nin</c>), including records without the field; takes the values from a sequence (a list, a set, a LINQ query).</summary>
    /// <param name="path">A dot path such as <c>color</c>.</param>
    /// <param name="values">The values, enumerated once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is invalid; a value is NaN or infinite.</exception>
    public static Filter Nin(string path, IEnumerable<FilterValue> values) => Many(path, FilterOperator.Nin, Materialize(values));

    /// <inheritdoc cref="Nin(string, IEnumerable{FilterValue})"/>
    public static Filter Nin(string path, IEnumerable<string> values) => Many(path, FilterOperator.Nin, Materialize(values, static v => v));

    /// <inheritdoc cref="Nin(string, IEnumerable{FilterValue})"/>
    public static Filter Nin(string path, IEnumerable<int> values) => Many(path, FilterOperator.Nin, Materialize(values, static v => v));

    /// <inheritdoc cref="Nin(string, IEnumerable{FilterValue})"/>
    public static Filter Nin(string path, IEnumerable<long> values) => Many(path, FilterOperator.Nin, Materialize(values, static v => v));

    /// <inheritdoc cref="Nin(string, IEnumerable{FilterValue})"/>
    public static Filter Nin(string path, IEnumerable<double> values) => Many(path, FilterOperator.Nin, Materialize(values, static v => v));

    /// <inheritdoc cref="Nin(string, IEnumerable{FilterValue})"/>
    public static Filter Nin(string path, IEnumerable<float> values) => Many(path, FilterOperator.Nin, Materialize(values, static v => v));

    /// <inheritdoc cref="Nin(string, IEnumerable{FilterValue})"/>
    public static Filter Nin(string path, IEnumerable<bool> values) => Many(path, FilterOperator.Nin, Materialize(values, static v => v));

    /// <inheritdoc cref="Nin(string, IEnumerable{FilterValue})"/>
    public static Filter Nin(string path, IEnumerable<DateTimeOffset> values) => Many(path, FilterOperator.Nin, Materialize(values, static v => v));

    /// <summary>
    /// Matches records where some value at <paramref name="path"/> is an array holding an element equal to
    /// <paramref name="value"/>, or a string holding the string <paramref name="value"/> as an ordinal substring (<c>$contains</c>).
    /// </summary>
    /// <param name="path">A dot path such as <c>tags</c>.</param>
    /// <param name="value">The element or substring to look for.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is invalid; <paramref name="value"/> is NaN, infinite or an array.</exception>
    public static Filter Contains(string path, FilterValue value)
    {
        if (value.Kind == FilterValueKind.Array)
        {
            throw new ArgumentException("$contains takes a single value, not an array; to match an array as a whole use Filter.Eq(path, FilterValue.ArrayOf(...)).", nameof(value));
        }

        return Single(path, FilterOperator.Contains, value);
    }

    /// <summary>Matches records where at least one value resolves at <paramref name="path"/> (JSON <c>null</c> counts), or, with <paramref name="exists"/> false, where none does (<c>$exists</c>).</summary>
    /// <param name="path">A dot path such as <c>meta.author</c>.</param>
    /// <param name="exists">True to require the field, false to require its absence.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or has an empty segment.</exception>
    public static Filter Exists(string path, bool exists = true) =>
        new FieldCondition(PayloadPath.Create(path, nameof(path)), FilterOperator.Exists, [exists]);

    /// <summary>Matches records that match every one of <paramref name="filters"/> (<c>$and</c>). Nested ANDs are kept as given.</summary>
    /// <param name="filters">At least one filter.</param>
    /// <exception cref="ArgumentNullException"><paramref name="filters"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="filters"/> is empty or holds a null.</exception>
    public static Filter And(params Filter[] filters) => new AndFilter(CheckChildren(filters, nameof(filters)));

    /// <summary>Matches records that match at least one of <paramref name="filters"/> (<c>$or</c>). Nested ORs are kept as given.</summary>
    /// <param name="filters">At least one filter.</param>
    /// <exception cref="ArgumentNullException"><paramref name="filters"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="filters"/> is empty or holds a null.</exception>
    public static Filter Or(params Filter[] filters) => new OrFilter(CheckChildren(filters, nameof(filters)));

    /// <summary>Matches records that do not match <paramref name="filter"/> (<c>$not</c>).</summary>
    /// <param name="filter">The filter to negate.</param>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    public static Filter Not(Filter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new NotFilter(filter);
    }

    private static FieldCondition Single(string path, FilterOperator op, FilterValue value)
    {
        PayloadPath parsed = PayloadPath.Create(path, nameof(path));
        CheckOperand(value, nameof(value));
        return new FieldCondition(parsed, op, [value]);
    }

    private static FieldCondition Range(string path, FilterOperator op, FilterValue value)
    {
        PayloadPath parsed = PayloadPath.Create(path, nameof(path));
        if (value.Kind is not (FilterValueKind.Number or FilterValueKind.String))
        {
            throw new ArgumentException($"{op.Name()} needs a number or a string operand, not {value.Kind}.", nameof(value));
        }

        CheckOperand(value, nameof(value));
        return new FieldCondition(parsed, op, [value]);
    }

    private static FieldCondition Many(string path, FilterOperator op, FilterValue[] values)
    {
        PayloadPath parsed = PayloadPath.Create(path, nameof(path));
        ArgumentNullException.ThrowIfNull(values);
        for (int i = 0; i < values.Length; i++)
        {
            CheckOperand(values[i], $"{nameof(values)}[{i}]");
        }

        // Copy: the caller keeps the params array and may change it; filters are immutable.
        return new FieldCondition(parsed, op, (FilterValue[])values.Clone());
    }

    private static FilterValue[] Materialize(IEnumerable<FilterValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return [.. values];
    }

    private static FilterValue[] Materialize<T>(IEnumerable<T> values, Func<T, FilterValue> convert)
    {
        ArgumentNullException.ThrowIfNull(values);
        var operands = new List<FilterValue>(values.TryGetNonEnumeratedCount(out int count) ? count : 4);
        foreach (T value in values)
        {
            operands.Add(convert(value));
        }

        return [.. operands];
    }

    private static void CheckOperand(FilterValue value, string paramName)
    {
        foreach (FilterValue item in value.Items)
        {
            CheckOperand(item, paramName);
        }

        if (value.Kind == FilterValueKind.Number && !double.IsFinite(value.NumberValue))
        {
            throw new ArgumentException($"A filter operand must be a finite number; got {value.NumberValue}.", paramName);
        }

        if (value.Kind == FilterValueKind.String && !Utf8Strings.TryEncode(value.StringValue, out _))
        {
            throw new ArgumentException("A filter operand string contains an unpaired surrogate.", paramName);
        }
    }

    private static Filter[] CheckChildren(Filter[] filters, string paramName)
    {
        ArgumentNullException.ThrowIfNull(filters, paramName);
        if (filters.Length == 0)
        {
            throw new ArgumentException("At least one filter is required.", paramName);
        }

        for (int i = 0; i < filters.Length; i++)
        {
            if (filters[i] is null)
            {
                throw new ArgumentException($"{paramName}[{i}] is null.", paramName);
            }
        }

        return (Filter[])filters.Clone();
    }
}

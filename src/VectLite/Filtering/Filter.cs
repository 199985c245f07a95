using System.Text.Json;
using VectLite.Filtering;

namespace VectLite;

/// <summary>
/// A condition on a record's JSON payload: field comparisons combined with AND, OR and NOT.
/// Build one with the static factories (<see cref="Eq"/>, <see cref="Gt"/>, <see cref="And"/>, the
/// <c>&amp;</c>, <c>|</c> and <c>!</c> operators) or parse the Mongo-style JSON form with <see cref="Parse(string)"/>.
/// </summary>
/// <remarks>
/// <para><b>JSON form.</b> A filter is a JSON object. Each key is either a field path or a logical operator, and
/// several keys are an implicit AND:</para>
/// <list type="bullet">
/// <item><c>{"color": "red"}</c> is <c>$eq</c>; <c>{"price": {"$gt": 5, "$lte": 10}}</c> is an AND of two conditions.</item>
/// <item>Field operators: <c>$eq $ne $gt $gte $lt $lte $in $nin $contains $exists</c>, and <c>$not</c> applied to
/// an operator object (<c>{"price": {"$not": {"$gt": 5}}}</c>).</item>
/// <item>Logical operators: <c>{"$and": [...]}</c>, <c>{"$or": [...]}</c> (non-empty arrays of filter objects),
/// <c>{"$not": {...}}</c>.</item>
/// <item>Field paths use dots into nested objects: <c>"meta.author.name"</c>; a numeric segment indexes an array
/// (<c>"items.0.name"</c>). Paths may not be empty, have empty segments, or start with <c>$</c>.</item>
/// <item>Operands are strings, numbers, booleans or <c>null</c>, or arrays of those (<c>$eq $ne</c>, and members of <c>$in $nin</c>); <c>$in</c>/<c>$nin</c> take an array of operands;
/// <c>$gt $gte $lt $lte</c> take a number or a string; <c>$exists</c> takes a boolean.</item>
/// <item>An object is never a value: <c>{"a": {"b": 1}}</c> is rejected with a message pointing to the dot path
/// <c>{"a.b": 1}</c> (VectLite has no whole-object equality, which would silently depend on key order and
/// completeness). An array of scalars is a value (<c>{"tags": ["a", "b"]}</c>, <c>$eq</c>, <c>$ne</c>, and as a
/// member of <c>$in</c>/<c>$nin</c>): whole-array equality, as in MongoDB; arrays inside it are rejected.</item>
/// <item>The empty object <c>{}</c> is rejected: to match every record, pass no filter.</item>
/// <item>A repeated key in one object is rejected.</item>
/// </list>
/// <para><b>Evaluation.</b> Close to MongoDB:</para>
/// <list type="bullet">
/// <item>A path resolves to zero or more values: it fans out through arrays of objects (<c>items.qty</c> on
/// <c>{"items":[{"qty":1},{"qty":2}]}</c> gives 1 and 2), and a numeric segment indexes an array.</item>
/// <item>A condition holds when ANY resolved value satisfies it; when a resolved value is an array, its elements
/// are candidates too, so <c>{"tags": "x"}</c> matches <c>{"tags": ["x", "y"]}</c> and
/// <c>{"scores": {"$gt": 5}}</c> matches <c>{"scores": [1, 9]}</c>.</item>
/// <item>An array operand matches a resolved array that equals it as a whole, same length, equal elements in the
/// same order: <c>{"tags": ["a", "b"]}</c> matches <c>["a", "b"]</c>, not <c>["b", "a"]</c> or <c>["a", "b", "c"]</c>
/// (use <c>$contains</c> or <c>$in</c> for membership). It also matches an array that holds such an array as an element.</item>
/// <item><c>$eq</c>/<c>$in</c>: numbers by numeric value (1 equals 1.0; integers compare exactly), strings
/// ordinally, booleans, and <c>null</c> matches JSON <c>null</c>. A path that resolves to no value at all (missing
/// field, record without payload) also matches <c>null</c>, as in MongoDB.</item>
/// <item><c>$ne</c>/<c>$nin</c> are exactly the negation of <c>$eq</c>/<c>$in</c>: a missing field matches
/// <c>{"$ne": "red"}</c>, and <c>{"tags": {"$ne": "x"}}</c> rejects <c>["x", "y"]</c>.</item>
/// <item><c>$gt $gte $lt $lte</c>: numbers numerically, strings ordinally by Unicode code point; values of another
/// type never match.</item>
/// <item><c>$contains</c>: a resolved value that is an array holding an element equal to the operand, or a string
/// holding the (string) operand as an ordinal substring. Strings inside an array are not searched for substrings.</item>
/// <item><c>$exists</c>: true when at least one value resolves; JSON <c>null</c> and empty arrays exist.</item>
/// </list>
/// <para><b>Equality and text.</b> Filters compare by structure (<see cref="Equals(Filter)"/>): the same node
/// types, paths, operators and operands in the same order. <see cref="ToJson"/> writes a canonical form that
/// <see cref="Parse(string)"/> turns back into an equal filter.</para>
/// <para><b>Thread safety.</b> Filters are immutable and safe to share between threads.</para>
/// </remarks>
public abstract partial class Filter : IEquatable<Filter>
{
    private int _hashCode;

    private protected Filter()
    {
    }

    /// <summary>Parses the Mongo-style JSON form described in the class remarks.</summary>
    /// <param name="json">The filter as JSON text.</param>
    /// <returns>The parsed filter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="FilterParseException">The text is not valid JSON or not a valid filter; <see cref="FilterParseException.Location"/> says where.</exception>
    public static Filter Parse(string json) => FilterParser.Parse(json);

    /// <summary>Parses the Mongo-style JSON form from an already parsed JSON value. The element is not retained.</summary>
    /// <param name="json">The filter as a JSON object.</param>
    /// <returns>The parsed filter.</returns>
    /// <exception cref="FilterParseException">The value is not a valid filter; <see cref="FilterParseException.Location"/> says where.</exception>
    public static Filter Parse(JsonElement json) => FilterParser.Parse(json);

    /// <summary>The AND of two filters; nested ANDs are flattened, so <c>a &amp; b &amp; c</c> equals <c>Filter.And(a, b, c)</c>.</summary>
    /// <exception cref="ArgumentNullException">Either operand is null.</exception>
    public static Filter operator &(Filter left, Filter right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new AndFilter(CompositeFilter.Flatten<AndFilter>(left, right));
    }

    /// <summary>The OR of two filters; nested ORs are flattened, so <c>a | b | c</c> equals <c>Filter.Or(a, b, c)</c>.</summary>
    /// <exception cref="ArgumentNullException">Either operand is null.</exception>
    public static Filter operator |(Filter left, Filter right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new OrFilter(CompositeFilter.Flatten<OrFilter>(left, right));
    }

    /// <summary>The negation of a filter; same as <see cref="Not"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    public static Filter operator !(Filter filter) => Not(filter);

    /// <summary>Writes the canonical JSON form: every condition as <c>{"path": {"$op": operand}}</c>, logic as <c>$and</c>/<c>$or</c>/<c>$not</c>.</summary>
    /// <returns>Compact JSON text that <see cref="Parse(string)"/> turns back into an equal filter.</returns>
    public string ToJson() => FilterJson.ToJson(this);

    /// <summary>Writes the canonical JSON form (see <see cref="ToJson"/>) to <paramref name="writer"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteJson(writer);
    }

    /// <summary>The canonical JSON form, as <see cref="ToJson"/>.</summary>
    public override string ToString() => ToJson();

    /// <summary>True when <paramref name="other"/> has the same structure: node types, paths, operators and operands, in the same order.</summary>
    public bool Equals(Filter? other) =>
        ReferenceEquals(this, other)
        || (other is not null && other.GetType() == GetType() && GetHashCode() == other.GetHashCode() && EqualsCore(other));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Filter);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        // Immutable, so the hash is computed once; a race only computes the same value twice.
        int hash = _hashCode;
        if (hash == 0)
        {
            hash = ComputeHashCode();
            hash = hash == 0 ? 1 : hash;
            _hashCode = hash;
        }

        return hash;
    }

    /// <summary>
    /// Evaluates the filter against a record's payload. <paramref name="payload"/> is the payload object, or
    /// <c>default(JsonElement)</c> for a record without one, which behaves like <c>{}</c>.
    /// </summary>
    /// <remarks>Allocates nothing for unescaped strings and numbers; safe to call from many threads.</remarks>
    internal abstract bool Matches(JsonElement payload);

    /// <summary>Writes this node's canonical JSON.</summary>
    internal abstract void WriteJson(Utf8JsonWriter writer);

    /// <summary>Structural equality against a node of the same type.</summary>
    internal abstract bool EqualsCore(Filter other);

    /// <summary>A structural hash consistent with <see cref="EqualsCore"/>.</summary>
    internal abstract int ComputeHashCode();
}

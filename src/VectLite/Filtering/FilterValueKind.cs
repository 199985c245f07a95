namespace VectLite;

/// <summary>The JSON type of a <see cref="FilterValue"/>.</summary>
public enum FilterValueKind
{
    /// <summary>JSON <c>null</c>. This is the kind of <c>default(FilterValue)</c>.</summary>
    Null = 0,

    /// <summary>A string. Strings compare ordinally, by Unicode code point.</summary>
    String = 1,

    /// <summary>A finite number.</summary>
    Number = 2,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean = 3,

    /// <summary>
    /// An array of strings, numbers, booleans and nulls (<see cref="FilterValue.ArrayOf"/>), compared as a whole:
    /// equal to a JSON array of the same length with equal elements in the same order.
    /// </summary>
    Array = 4,
}

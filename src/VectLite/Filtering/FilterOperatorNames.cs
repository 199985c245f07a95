namespace VectLite.Filtering;

/// <summary>The JSON spelling of each <see cref="FilterOperator"/>.</summary>
internal static class FilterOperatorNames
{
    /// <summary>The operator as written in a filter, e.g. <c>$gte</c>.</summary>
    public static string Name(this FilterOperator op) => op switch
    {
        FilterOperator.Eq => "$eq",
        FilterOperator.Ne => "$ne",
        FilterOperator.Gt => "$gt",
        FilterOperator.Gte => "$gte",
        FilterOperator.Lt => "$lt",
        FilterOperator.Lte => "$lte",
        FilterOperator.In => "$in",
        FilterOperator.Nin => "$nin",
        FilterOperator.Contains => "$contains",
        FilterOperator.Exists => "$exists",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown filter operator."),
    };

    /// <summary>Maps a field operator's JSON spelling back to the enum; false for anything else (including <c>$and</c>).</summary>
    public static bool TryParse(string name, out FilterOperator op)
    {
        switch (name)
        {
            case "$eq": op = FilterOperator.Eq; return true;
            case "$ne": op = FilterOperator.Ne; return true;
            case "$gt": op = FilterOperator.Gt; return true;
            case "$gte": op = FilterOperator.Gte; return true;
            case "$lt": op = FilterOperator.Lt; return true;
            case "$lte": op = FilterOperator.Lte; return true;
            case "$in": op = FilterOperator.In; return true;
            case "$nin": op = FilterOperator.Nin; return true;
            case "$contains": op = FilterOperator.Contains; return true;
            case "$exists": op = FilterOperator.Exists; return true;
            default: op = default; return false;
        }
    }

    /// <summary>True for <c>$gt</c>, <c>$gte</c>, <c>$lt</c> and <c>$lte</c>.</summary>
    public static bool IsRange(this FilterOperator op) =>
        op is FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte;
}

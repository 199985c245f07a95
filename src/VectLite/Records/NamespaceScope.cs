namespace VectLite.Records;

/// <summary>
/// Which namespaces a read or a delete covers: exactly one, or all of them. "All" exists only where the caller asked for
/// it by name (<see cref="SearchOptions.AllNamespaces"/>, <see cref="ScrollOptions.AllNamespaces"/>,
/// <see cref="Collection.CountAllNamespaces"/>, <see cref="Collection.DeleteByFilterInAllNamespaces"/>).
/// </summary>
/// <remarks>
/// <c>default(NamespaceScope)</c> is the default namespace, not "all": a scope nobody set reads one tenant, never every
/// tenant. The name is already normalised (null spelled "") by <see cref="CollectionEngine.NormalizeNamespace"/>.
/// </remarks>
internal readonly struct NamespaceScope
{
    private readonly string? _name;

    private NamespaceScope(string? name, bool all)
    {
        _name = name;
        IsAll = all;
    }

    /// <summary>Every namespace.</summary>
    public static NamespaceScope All { get; } = new(null, all: true);

    /// <summary>One namespace, by its normalised name ("" is the default namespace).</summary>
    public static NamespaceScope One(string normalizedName) => new(normalizedName, all: false);

    /// <summary>True for <see cref="All"/>.</summary>
    public bool IsAll { get; }

    /// <summary>The namespace's name ("" is the default); "" for <see cref="All"/>, which has none.</summary>
    public string Name => _name ?? "";

    /// <summary>
    /// The namespace id a <see cref="VisibleRowFilter"/> tests rows against (-1: no namespace test), or false when the
    /// namespace was never used, so nothing can match. Call it after taking the snapshot the read works on.
    /// </summary>
    /// <remarks>
    /// When the table knows no namespace but this one, every row of the snapshot is in it (a row's namespace is interned
    /// before the row is published), so no per-row test is needed: a collection that never uses namespaces keeps the
    /// unfiltered fast paths (no test per row, the planner's shortcut to the graph) for its default-namespace reads.
    /// </remarks>
    public bool TryResolve(NamespaceTable table, out int namespaceId)
    {
        if (IsAll)
        {
            namespaceId = -1;
            return true;
        }
        namespaceId = table.Find(Name);
        if (namespaceId < 0)
        {
            return false;
        }
        if (table.Count == 1)
        {
            namespaceId = -1;
        }
        return true;
    }

    /// <summary>"all namespaces", "the default namespace" or "namespace 'name'", for messages.</summary>
    public override string ToString() => IsAll ? "all namespaces" : Name.Length == 0 ? "the default namespace" : $"namespace '{Name}'";
}

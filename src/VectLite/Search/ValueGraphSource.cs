using VectLite.Filtering;
using VectLite.Indexing.ValueGraphs;
using VectLite.Records;

namespace VectLite.Search;

/// <summary>
/// The values a search's passing rows are confined to, whose value graphs may answer it: the values of a keyword
/// condition the filter implies (a field with a keyword index), or the one namespace the search is scoped to (each
/// namespace is a value of the collection's namespace graphs, <see cref="ValueGraphField.Namespaces"/>).
/// </summary>
internal readonly struct ValueGraphSource
{
    private readonly CollectionState _state;
    private readonly FieldCondition? _keyword;
    private readonly KeywordIndex? _index;
    private readonly int _namespaceId;

    private ValueGraphSource(CollectionState state, FieldCondition? keyword, KeywordIndex? index, int namespaceId)
    {
        _state = state;
        _keyword = keyword;
        _index = index;
        _namespaceId = namespaceId;
    }

    /// <summary>The values of <paramref name="keyword"/> (strings, on a field with a complete keyword index).</summary>
    public static ValueGraphSource? ForKeyword(CollectionState state, FieldCondition keyword) =>
        state.Indexes.KeywordIndexOn(keyword.Path.Text) is { } index ? new ValueGraphSource(state, keyword, index, -1) : null;

    /// <summary>The namespace <paramref name="namespaceId"/>, when the collection has more than one (with one, it holds every row).</summary>
    public static ValueGraphSource? ForNamespace(CollectionState state, int namespaceId) =>
        namespaceId >= 0 && state.Namespaces.Count > 1 ? new ValueGraphSource(state, null, null, namespaceId) : null;

    /// <summary>The field whose value graphs answer (<see cref="ValueGraphField.Namespaces"/> for a namespace).</summary>
    public string Field => _keyword?.Path.Text ?? ValueGraphField.Namespaces;

    /// <summary>How many values.</summary>
    public int Count => _keyword?.Values.Length ?? 1;

    /// <summary>Value <paramref name="i"/>: a keyword, or the namespace's name.</summary>
    public string Value(int i) => _keyword is { } keyword ? keyword.Values[i].StringValue : _state.Namespaces.NameOf(_namespaceId);

    /// <summary>The rows (live or not) holding value <paramref name="i"/>.</summary>
    public int RowCount(int i) => _keyword is null ? _state.NamespaceRows(_namespaceId).Count : _index!.RowCount(Value(i));

    /// <summary>Appends the rows (live or not) below <paramref name="rowLimit"/> holding value <paramref name="i"/> to <paramref name="into"/>.</summary>
    public void CopyRows(int i, int rowLimit, RowBuffer into)
    {
        if (_keyword is null)
        {
            _state.NamespaceRows(_namespaceId).CopyBelow(rowLimit, into);
        }
        else
        {
            _index!.CopyRows(Value(i), rowLimit, into);
        }
    }
}

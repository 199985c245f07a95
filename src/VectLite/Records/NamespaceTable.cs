using System.Collections.Concurrent;

namespace VectLite.Records;

/// <summary>Interns namespace names to small ints so a row stores 4 bytes, not a string. "" (the default) is id 0.</summary>
internal sealed class NamespaceTable
{
    private readonly ConcurrentDictionary<string, int> _ids = new(StringComparer.Ordinal);
    private string[] _names = [""];

    public NamespaceTable() => _ids[""] = 0;

    public int Count => Volatile.Read(ref _names).Length;

    public string NameOf(int id) => Volatile.Read(ref _names)[id];

    /// <summary>The id of a namespace, or -1 if no record ever used it (readers: nothing to find).</summary>
    public int Find(string name) => _ids.TryGetValue(name, out int id) ? id : -1;

    /// <summary>The id of a namespace, adding it if new. Writer only.</summary>
    public int Intern(string name)
    {
        if (_ids.TryGetValue(name, out int id))
        {
            return id;
        }
        string[] names = _names;
        var grown = new string[names.Length + 1];
        names.CopyTo(grown, 0);
        grown[^1] = name;
        id = names.Length;
        Volatile.Write(ref _names, grown); // publish the name before the id can be found
        _ids[name] = id;
        return id;
    }
}

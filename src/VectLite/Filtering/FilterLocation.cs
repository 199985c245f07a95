using System.Globalization;
using System.Text;

namespace VectLite.Filtering;

/// <summary>
/// Builds the JSON paths that <see cref="FilterParseException.Location"/> reports: <c>$.price.$gt</c>,
/// <c>$.$or[1]</c>, and <c>$['meta.author']</c> for keys that are not plain identifiers (so a dotted key is not
/// mistaken for nesting).
/// </summary>
internal static class FilterLocation
{
    /// <summary>The location of the whole filter.</summary>
    public const string Root = "$";

    /// <summary>The location of property <paramref name="name"/> inside the object at <paramref name="parent"/>.</summary>
    public static string Property(string parent, string name)
    {
        if (IsPlain(name))
        {
            return parent + "." + name;
        }

        var builder = new StringBuilder(parent.Length + name.Length + 4);
        builder.Append(parent).Append("['");
        foreach (char c in name)
        {
            if (c is '\'' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append("']").ToString();
    }

    /// <summary>The location of element <paramref name="index"/> of the array at <paramref name="parent"/>.</summary>
    public static string Index(string parent, int index) =>
        parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    private static bool IsPlain(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '$' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}

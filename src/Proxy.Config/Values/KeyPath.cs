namespace MeshEdge.Config.Values;

/// <summary>Builds the key paths used in errors: <c>listeners[0].tcp_proxy.cluster</c>.</summary>
internal static class KeyPath
{
    public static string Child(string parent, string key)
    {
        // A key that is not bare (has a dot, a space...) is quoted so the path stays unambiguous.
        var segment = IsBare(key) ? key : Tree.ConfigScalar.Quote(key);
        return parent.Length == 0 ? segment : $"{parent}.{segment}";
    }

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    private static bool IsBare(string key)
    {
        if (key.Length == 0)
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}

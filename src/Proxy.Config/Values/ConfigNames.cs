namespace MeshEdge.Config.Values;

/// <summary>The rule for listener and cluster names: they appear in logs, metrics labels and admin
/// paths, so only characters that need no escaping anywhere are allowed.</summary>
internal static class ConfigNames
{
    public const string Rule = "use letters, digits, '_', '.' and '-'";

    public static bool IsValid(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}

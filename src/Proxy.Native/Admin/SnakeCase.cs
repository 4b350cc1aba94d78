using System.Text;

namespace MeshEdge.Native.Admin;

/// <summary>Enum names as the config file spells them: RoundRobin → round_robin.</summary>
internal static class SnakeCase
{
    public static string Of(string pascal)
    {
        var text = new StringBuilder(pascal.Length + 4);
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}

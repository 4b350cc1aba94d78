using System.Text;

namespace MeshEdge.Config.Envoy;

/// <summary>
/// MeshEdge names (listeners, clusters, virtual hosts) keep to letters, digits, '_', '.' and '-' so
/// they need no escaping in logs, metrics and admin output; Envoy's may hold anything (Istio writes
/// <c>outbound|9080||reviews.default.svc.cluster.local</c>). Every other character becomes '_', the
/// same way wherever the name appears, so references still meet.
/// </summary>
internal static class EnvoyNames
{
    public static string Safe(string name)
    {
        if (name.Length == 0)
        {
            return name;
        }

        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_');
        }

        return builder.ToString();
    }
}

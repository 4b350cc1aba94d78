using MeshEdge.Config.Model;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Admin;

/// <summary>
/// /mode: GET shows the mode (as /stats "mode" does); POST /mode?value=standby or ?value=active switches
/// and answers once the switch is complete, with the state after it. The admin API's only POST.
/// </summary>
internal static class ModeEndpoint
{
    public const string Path = "/mode";

    public static AdminResponse Get(AdminState state) => AdminResponse.Json(ModeJson.Document(state));

    public static AdminResponse Post(string query, AdminState state)
    {
        if (state.Standby is not { } controller)
        {
            return AdminResponse.Text(503, "not running yet\n");
        }

        RuntimeMode mode;
        switch (ValueOf(query))
        {
            case "standby":
                mode = RuntimeMode.Standby;
                break;
            case "active":
                mode = RuntimeMode.Active;
                break;
            default:
                return AdminResponse.Text(400, "expected POST /mode?value=standby or /mode?value=active\n");
        }

        controller.Switch(mode);
        return Get(state);
    }

    private static string? ValueOf(string query)
    {
        foreach (var pair in query.Split('&'))
        {
            if (pair.StartsWith("value=", StringComparison.Ordinal))
            {
                return pair["value=".Length..];
            }
        }

        return null;
    }
}

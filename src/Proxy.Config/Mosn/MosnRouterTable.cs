using MeshEdge.Config.Translation;

namespace MeshEdge.Config.Mosn;

/// <summary>
/// The router configs a MOSN server names (<c>router_config_name</c>): those in the server's
/// <c>routers</c> array and those written inside a <c>connection_manager</c> network filter.
/// </summary>
internal sealed class MosnRouterTable
{
    private readonly Dictionary<string, SourceTable> _byName = new(StringComparer.Ordinal);

    public static MosnRouterTable Collect(SourceTable server)
    {
        var table = new MosnRouterTable();
        foreach (var router in server.Children("routers"))
        {
            table.Add(router);
        }

        return table;
    }

    public void Add(SourceTable router)
    {
        if (router.String("router_config_name") is { } name)
        {
            _byName.TryAdd(name, router);
        }
    }

    public SourceTable? Find(string name) => _byName.GetValueOrDefault(name);
}

using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>
/// The one binder both formats share: walks the format-neutral tree into the immutable model,
/// recording every error on the way, then runs the checks that span entries.
/// </summary>
internal static class ProxyConfigBinder
{
    /// <summary>The configuration, or null when <paramref name="errors"/> received anything.</summary>
    /// <param name="listenersRequired">False for a bootstrap whose listeners come from a control plane (ADS).</param>
    public static ProxyConfig? Bind(ConfigTable root, ConfigErrorList errors, bool listenersRequired = true)
    {
        var errorsBefore = errors.Count;
        var reader = new TableReader(root, "", errors);

        var runtimeTable = reader.OptionalTable("runtime");
        var runtime = runtimeTable is null ? RuntimeConfig.Default : RuntimeBinder.Bind(runtimeTable, "runtime", errors);
        var listeners = BindArray(reader, "listeners", ListenerBinder.Bind, required: listenersRequired ? "at least one listener is required" : null);
        var clusters = BindArray(reader, "clusters", ClusterBinder.Bind, required: null);
        var admin = reader.OptionalTableReader("admin") is { } adminReader ? BindAdmin(adminReader) : null;
        var standby = reader.OptionalTableReader("standby") is { } standbyReader
            ? StandbyBinder.Bind(standbyReader, [.. clusters.Select(c => c.Config.Name)])
            : null;
        var secrets = BindArray(reader, "secrets", SecretBinder.Bind, required: null);
        reader.ReportUnknownKeys();
        (listeners, clusters) = SecretBinder.Resolve(listeners, clusters, secrets, errors);

        CrossReferenceValidator.Validate(listeners, clusters, errors);
        if (admin is not null)
        {
            foreach (var listener in listeners.Where(l => l.Config.Name == "admin"))
            {
                errors.Add(KeyPath.Child(KeyPath.Index("listeners", listener.Index), "name"), listener.Table.PositionOf("name"),
                    "\"admin\" is the admin listener's name; choose another");
            }
        }

        if (errors.Count > errorsBefore)
        {
            return null;
        }

        return new ProxyConfig(
            errors.Source,
            runtime,
            [.. listeners.Select(l => l.Config)],
            [.. clusters.Select(c => c.Config)])
        {
            Admin = admin,
            Standby = standby,
            Secrets = [.. secrets.Select(s => s.Config)],
        };
    }

    private static AdminConfig BindAdmin(TableReader reader)
    {
        var address = reader.Find("address") is { } node && NodeConverter.TryEndpoint(node, reader.ChildPath("address"), reader.Errors, 0, out var endpoint)
            ? endpoint
            : AdminConfig.DefaultAddress;
        reader.ReportUnknownKeys();
        return new AdminConfig(address);
    }

    /// <summary>Binds an array of tables; <paramref name="required"/> is the error for an absent or
    /// empty array, or null when it may be left out.</summary>
    private static List<BoundItem<T>> BindArray<T>(TableReader reader, string key,
        Func<ConfigTable, string, ConfigErrorList, T> bind, string? required)
    {
        var bound = new List<BoundItem<T>>();
        var path = reader.ChildPath(key);
        var node = reader.Find(key);
        if (node is null)
        {
            if (required is not null)
            {
                reader.Errors.Add(path, SourcePosition.None, required);
            }

            return bound;
        }

        if (!NodeConverter.TryArray(node, path, reader.Errors, out var array))
        {
            return bound;
        }

        if (array.Items.Count == 0 && required is not null)
        {
            reader.Errors.Add(path, array.Position, required);
        }

        for (var i = 0; i < array.Items.Count; i++)
        {
            var itemPath = KeyPath.Index(path, i);
            if (NodeConverter.TryTable(array.Items[i], itemPath, reader.Errors, out var table))
            {
                bound.Add(new BoundItem<T>(i, bind(table, itemPath, reader.Errors), table));
            }
        }

        return bound;
    }
}

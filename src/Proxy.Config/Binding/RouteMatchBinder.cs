using System.Collections.Immutable;
using MeshEdge.Config.Model;

namespace MeshEdge.Config.Binding;

/// <summary>Binds a route's <c>match</c>: one of prefix, path or regex, plus header and query conditions.</summary>
internal static class RouteMatchBinder
{
    public static RouteMatchConfig Bind(TableReader reader)
    {
        var prefix = reader.OptionalString("prefix");
        var path = reader.OptionalString("path");
        var regex = reader.Find("regex") is { } regexNode && NodeConverter.TryRegex(regexNode, reader.ChildPath("regex"), reader.Errors, out var pattern)
            ? pattern
            : null;
        var given = (prefix is not null ? 1 : 0) + (path is not null ? 1 : 0) + (regex is not null ? 1 : 0);
        if (given > 1)
        {
            reader.Errors.Add(reader.Path, reader.Table.Position, "give only one of prefix, path and regex");
        }

        foreach (var (key, value) in new[] { ("prefix", prefix), ("path", path) })
        {
            if (value is not null && !value.StartsWith('/'))
            {
                reader.Errors.Add(reader.ChildPath(key), reader.Table.PositionOf(key), $"{Tree.ConfigScalar.Quote(value)} must start with \"/\"");
            }
        }

        var (kind, text) = path is not null ? (PathMatchKind.Exact, path)
            : regex is not null ? (PathMatchKind.Regex, regex)
            : (PathMatchKind.Prefix, prefix ?? "/");
        var headers = BindValueMatches(reader, "headers", lowerCaseNames: true);
        var query = BindValueMatches(reader, "query_parameters", lowerCaseNames: false);
        var tls = RouteTlsMatchBinder.BindOptional(reader);
        reader.ReportUnknownKeys();
        return new RouteMatchConfig(kind, text) { Headers = headers, QueryParameters = query, Tls = tls };
    }

    /// <summary>[{ name = "x-canary", exact = "1" }]: a name and one of exact, prefix, regex, present = true, absent = true.</summary>
    private static ImmutableArray<ValueMatchConfig> BindValueMatches(TableReader reader, string key, bool lowerCaseNames)
    {
        var builder = ImmutableArray.CreateBuilder<ValueMatchConfig>();
        foreach (var item in reader.TableArray(key))
        {
            var name = item.RequiredString("name");
            var exact = item.OptionalString("exact");
            var prefix = item.OptionalString("prefix");
            var regex = item.Find("regex") is { } node && NodeConverter.TryRegex(node, item.ChildPath("regex"), item.Errors, out var pattern) ? pattern : null;
            var present = item.Bool("present", false);
            var absent = item.Bool("absent", false);
            item.ReportUnknownKeys();
            var conditions = (exact is not null ? 1 : 0) + (prefix is not null ? 1 : 0) + (regex is not null ? 1 : 0) + (present ? 1 : 0) + (absent ? 1 : 0);
            if (conditions != 1)
            {
                item.Errors.Add(item.Path, item.Table.Position, "give exactly one of exact, prefix, regex, present = true and absent = true");
                continue;
            }

            if (name is null)
            {
                continue;
            }

            var (kind, value) = exact is not null ? (ValueMatchKind.Exact, exact)
                : prefix is not null ? (ValueMatchKind.Prefix, prefix)
                : regex is not null ? (ValueMatchKind.Regex, regex)
                : present ? (ValueMatchKind.Present, "")
                : (ValueMatchKind.Absent, "");
            builder.Add(new ValueMatchConfig(lowerCaseNames ? name.ToLowerInvariant() : name, kind, value));
        }

        return builder.ToImmutable();
    }
}

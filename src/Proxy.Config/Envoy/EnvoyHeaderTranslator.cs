using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Envoy;

/// <summary>A route's header additions and removals (<c>[{ header: { key, value } }]</c> becomes <c>{ key = value }</c>).</summary>
internal static class EnvoyHeaderTranslator
{
    public static void Mutations(SourceTable route, TargetTable target)
    {
        Add(route, "request_headers_to_add", target);
        Add(route, "response_headers_to_add", target);
        target.Copy("request_headers_to_remove", route, "request_headers_to_remove");
        target.Copy("response_headers_to_remove", route, "response_headers_to_remove");
    }

    private static void Add(SourceTable route, string key, TargetTable target)
    {
        TargetTable? table = null;
        foreach (var option in route.Children(key))
        {
            if (option.Child("header") is { } header && header.String("key") is { } name && header.Find("value") is { } value)
            {
                table ??= target.Child(key, route.PathOf(key));
                if (table.Table.TryGet(name, out _))
                {
                    option.Context.Unsupported(option.Path, option.Position, "a header added twice is not supported; the first value is kept");
                }

                table.Set(name, value, header.PathOf("value"));
                header.Finish();
            }

            option.Ignore("append", "append_action", "keep_empty_value");
            option.Finish();
        }
    }
}

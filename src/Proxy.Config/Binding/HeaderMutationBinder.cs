using System.Collections.Immutable;
using MeshEdge.Config.Model;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>Binds a pair of keys like <c>request_headers_to_add = { x-env = "prod" }</c> and <c>request_headers_to_remove = ["x-debug"]</c>.</summary>
internal static class HeaderMutationBinder
{
    public static HeaderMutationConfig Bind(TableReader reader, string addKey, string removeKey)
    {
        var add = ImmutableArray.CreateBuilder<HeaderValueConfig>();
        if (reader.OptionalTable(addKey) is { } table)
        {
            foreach (var entry in table.Entries)
            {
                var path = KeyPath.Child(reader.ChildPath(addKey), entry.Key);
                if (!IsToken(entry.Key))
                {
                    reader.Errors.Add(path, entry.KeyPosition, "not a valid header name");
                }
                else if (NodeConverter.TryString(entry.Value, path, reader.Errors, out var value))
                {
                    if (value.AsSpan().ContainsAny('\r', '\n', '\0'))
                    {
                        reader.Errors.Add(path, entry.Value.Position, "a header value cannot hold CR, LF or NUL");
                    }
                    else
                    {
                        add.Add(new HeaderValueConfig(entry.Key.ToLowerInvariant(), value));
                    }
                }
            }
        }

        var remove = reader.StringArray(removeKey) ?? [];
        if (add.Count == 0 && remove.Count == 0)
        {
            return HeaderMutationConfig.None;
        }

        return new HeaderMutationConfig([.. remove.Select(r => r.ToLowerInvariant())], add.ToImmutable());
    }

    private static bool IsToken(string name) =>
        name.Length > 0 && !name.AsSpan().ContainsAnyExcept("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
}

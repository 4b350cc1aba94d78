using MeshEdge.Config.Model;

namespace MeshEdge.Config.Binding;

/// <summary>
/// A certificate, key or CA bundle given as a file (<c>certificate_chain = "/etc/certs/a.pem"</c>)
/// or as the PEM itself (<c>certificate_chain_pem = "-----BEGIN ..."</c>): the model holds a file
/// source either way (<see cref="PemSource"/>): inline PEM stays in memory, nothing is written.
/// </summary>
internal static class PemKeys
{
    /// <summary>What a key's name ends with when it carries the PEM itself.</summary>
    public const string InlineSuffix = "_pem";

    /// <summary>The file given by <paramref name="key"/> or the PEM given by <paramref name="key"/>_pem; null when neither is set (or either is wrong: reported).</summary>
    public static PemSource? Optional(TableReader reader, string key)
    {
        var file = reader.OptionalString(key);
        var inlineKey = key + InlineSuffix;
        var pem = reader.OptionalString(inlineKey);
        if (pem is null)
        {
            return file is null ? null : PemSource.File(file);
        }

        if (file is not null)
        {
            reader.Errors.Add(reader.ChildPath(inlineKey), reader.Table.PositionOf(inlineKey), $"give either {key} (a file) or {inlineKey} (the PEM itself), not both");
            return PemSource.File(file);
        }

        if (!pem.Contains("-----BEGIN ", StringComparison.Ordinal))
        {
            reader.Errors.Add(reader.ChildPath(inlineKey), reader.Table.PositionOf(inlineKey), "is not PEM (no \"-----BEGIN\" line)");
            return null;
        }

        return PemSource.Inline(pem);
    }

    /// <summary>Like <see cref="Optional"/>, but one of the two keys must be set.</summary>
    public static PemSource? Required(TableReader reader, string key)
    {
        if (reader.Table.TryGet(key, out _) || reader.Table.TryGet(key + InlineSuffix, out _))
        {
            return Optional(reader, key);
        }

        reader.Find(key + InlineSuffix);
        reader.Errors.Add(reader.ChildPath(key), reader.Table.Position, "missing required key");
        return null;
    }

    /// <summary>Whether either spelling of <paramref name="key"/> is set.</summary>
    public static bool Has(TableReader reader, string key) =>
        reader.Table.TryGet(key, out _) || reader.Table.TryGet(key + InlineSuffix, out _);

    /// <summary>The key that is set, for errors about it.</summary>
    public static string SetKey(TableReader reader, string key) =>
        reader.Table.TryGet(key, out _) ? key : key + InlineSuffix;
}

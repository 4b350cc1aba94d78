using System.Collections.Immutable;
using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>The keys a listener's and a cluster's <c>tls</c> tables share: versions, ciphers and ALPN names.</summary>
internal static class TlsCommonKeys
{
    private static readonly (string Name, TlsVersion Value)[] Versions = [("1.2", TlsVersion.Tls12), ("1.3", TlsVersion.Tls13)];

    /// <summary><c>min_version</c> and <c>max_version</c> ("1.2" and "1.3" by default; the minimum may not pass the maximum).</summary>
    public static (TlsVersion Min, TlsVersion Max) BindVersions(TableReader reader)
    {
        var minVersion = reader.Choice("min_version", TlsVersion.Tls12, "TLS version", Versions);
        var maxVersion = reader.Choice("max_version", TlsVersion.Tls13, "TLS version", Versions);
        if (minVersion > maxVersion)
        {
            reader.Errors.Add(reader.ChildPath("min_version"), reader.Table.PositionOf("min_version"), "min_version is above max_version");
        }

        return (minVersion, maxVersion);
    }

    /// <summary><c>ciphers</c> (TLS 1.2) and <c>ciphersuites</c> (TLS 1.3), Mozilla's "intermediate" by default.</summary>
    public static (string Ciphers, string Suites) BindCiphers(TableReader reader) =>
        (reader.OptionalString("ciphers") ?? TlsConfig.IntermediateCiphers, reader.OptionalString("ciphersuites") ?? TlsConfig.IntermediateCipherSuites);

    /// <summary>The <c>alpn</c> list: each name 1 to 255 visible ASCII characters.</summary>
    public static ImmutableArray<string> BindAlpn(TableReader reader, ImmutableArray<string> fallback)
    {
        if (reader.StringArray("alpn") is not { } alpn)
        {
            return fallback;
        }

        for (var i = 0; i < alpn.Count; i++)
        {
            if (alpn[i].Length is 0 or > 255 || alpn[i].Any(c => c > 0x7E || c <= 0x20))
            {
                reader.Errors.Add(KeyPath.Index(reader.ChildPath("alpn"), i), reader.Table.PositionOf("alpn"),
                    $"{ConfigScalar.Quote(alpn[i])} is not a protocol name (1 to 255 visible ASCII characters)");
            }
        }

        return [.. alpn];
    }
}

using System.Text;
using MeshEdge.Codecs.Tls;

namespace MeshEdge.Codecs.Tests.Tls;

/// <summary>A read's verdict and facts as plain values, comparable across reads and printable in a failure.</summary>
internal sealed record ClientHelloOutcome(TlsClientHelloStatus Status, string? ServerName, string Alpn, ushort LegacyVersion, ushort VersionsMax, int Length)
{
    public static ClientHelloOutcome Read(ReadOnlySpan<byte> input, int maxBytes = TlsClientHelloReader.DefaultMaxBytes)
    {
        var scratch = new byte[maxBytes];
        var status = TlsClientHelloReader.Read(input, scratch, maxBytes, out var hello);
        if (status != TlsClientHelloStatus.Complete)
        {
            return new ClientHelloOutcome(status, null, "", 0, 0, 0);
        }

        var alpn = new List<string>();
        foreach (var name in hello.Alpn)
        {
            alpn.Add(Encoding.Latin1.GetString(name));
        }

        return new ClientHelloOutcome(
            status,
            hello.ServerName.IsEmpty ? null : Encoding.Latin1.GetString(hello.ServerName),
            string.Join(",", alpn),
            hello.LegacyVersion,
            hello.SupportedVersionsMax,
            hello.Length);
    }
}

using MeshEdge.Codecs.Tls;
using static MeshEdge.Codecs.Tests.Tls.ClientHelloBuilder;

namespace MeshEdge.Codecs.Tests.Tls;

/// <summary>Not TLS at all, and TLS whose hello breaks a rule: each named, each with the verdict it must get.</summary>
public class TlsClientHelloMalformedTests
{
    public static TheoryData<string, byte[]> NotTls => new()
    {
        { "http/1.1", "GET / HTTP/1.1\r\n"u8.ToArray() },
        { "h2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray() },
        { "application data record", [0x17, 0x03, 0x03, 0x00, 0x10] },
        { "SSL 2 hello", [0x80, 0x2e, 0x01, 0x00, 0x02] },
        { "handshake type but not major version 3", [0x16, 0x02] },
    };

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "empty record", [0x16, 0x03, 0x01, 0x00, 0x00] },
        { "record over 2^14", [0x16, 0x03, 0x01, 0x40, 0x01] },
        { "server hello", [0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00] },
        { "empty hello", Records(Message(null)[..4].Select((b, i) => i == 3 ? (byte)0 : b).ToArray()) },
        { "session id over 32", Records(Message(null, sessionIdLength: 33)) },
        { "odd cipher suites length", Records(Patch(Message(null), 4 + 2 + 32 + 1 + 32 + 1, 5)) },
        { "no cipher suites", Records(Message(null, suites: 0)) },
        { "extensions shorter than declared", Records(Truncated(Message([ServerName("a.b")]), 1)) },
        { "bytes after the extensions", Records(Grown(Message([ServerName("a.b")]), [0])) },
        { "duplicate server_name", Records(Message([ServerName("a.b"), ServerName("c.d")])) },
        { "duplicate alpn", Records(Message([Alpn("h2"), Alpn("h2")])) },
        { "empty server name", Records(Message([ServerName("")])) },
        { "empty server_name list", Records(Message([Extension(0, [0, 0])])) },
        { "server_name list longer than its extension", Records(Message([Extension(0, [0, 9, 0, 0, 1, (byte)'a'])])) },
        { "empty alpn list", Records(Message([Extension(16, [0, 0])])) },
        { "empty alpn name", Records(Message([Extension(16, [0, 3, 0, 1, (byte)'a'])])) },
        { "alpn name overruns its list", Records(Message([Extension(16, [0, 2, 5, (byte)'a'])])) },
        { "odd supported_versions", Records(Message([Extension(43, [3, 3, 4, 3])])) },
        { "empty supported_versions", Records(Message([Extension(43, [0])])) },
        { "extension data overruns", Records(Message([[0, 0x0a, 0, 9, 0, 1]])) },
        { "second record not a handshake", [.. Records(Message([ServerName("a.b")]), 20)[..25], 0x17, 0x03, 0x03, 0x00, 0x01, 0x00] },
    };

    [Theory]
    [MemberData(nameof(NotTls))]
    public void Other_protocols_are_not_tls(string what, byte[] bytes)
    {
        Assert.True(ClientHelloOutcome.Read(bytes).Status == TlsClientHelloStatus.NotTls, what);
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Broken_hellos_are_malformed(string what, byte[] bytes)
    {
        var outcome = ClientHelloOutcome.Read(bytes);
        Assert.True(outcome.Status == TlsClientHelloStatus.Malformed, $"{what}: {outcome}");
    }

    [Fact]
    public void The_first_bytes_wait_only_while_they_could_still_be_tls()
    {
        Assert.Equal(TlsClientHelloStatus.NeedMoreData, ClientHelloOutcome.Read([]).Status);
        Assert.Equal(TlsClientHelloStatus.NeedMoreData, ClientHelloOutcome.Read([0x16]).Status);
        Assert.Equal(TlsClientHelloStatus.NeedMoreData, ClientHelloOutcome.Read([0x16, 0x03, 0x01, 0x02]).Status);
        Assert.Equal(TlsClientHelloStatus.NotTls, ClientHelloOutcome.Read([0x15]).Status);
    }

    [Fact]
    public void Hellos_without_extensions_and_with_unknown_ones_are_sound()
    {
        Assert.Equal(TlsClientHelloStatus.Complete, ClientHelloOutcome.Read(Records(Message(null))).Status);
        var outcome = ClientHelloOutcome.Read(Records(Message([Extension(0xfe0d, [1, 2, 3]), Extension(0x0a0a, []), ServerName("x.y")])));
        Assert.Equal((TlsClientHelloStatus.Complete, "x.y"), (outcome.Status, outcome.ServerName));
    }

    [Fact]
    public void Grease_versions_are_not_the_maximum_and_other_name_types_are_skipped()
    {
        byte[] names = [.. U16(11), 7, .. U16(1), (byte)'q', 0, .. U16(4), .. "a.bc"u8.ToArray()];
        var outcome = ClientHelloOutcome.Read(Records(Message([SupportedVersions(0x7a7a, 0x0304, 0xfafa, 0x0303), Extension(0, names)])));

        Assert.Equal((TlsClientHelloStatus.Complete, (ushort)0x0304, "a.bc"), (outcome.Status, outcome.VersionsMax, outcome.ServerName));
    }

    private static byte[] Patch(byte[] bytes, int at, byte value)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] = value;
        return copy;
    }

    /// <summary>The message with its last <paramref name="count"/> bytes gone, the handshake length fixed up (the extensions' own length is not).</summary>
    private static byte[] Truncated(byte[] message, int count) => WithLength(message[..^count]);

    private static byte[] Grown(byte[] message, byte[] extra) => WithLength([.. message, .. extra]);

    private static byte[] WithLength(byte[] message)
    {
        var length = message.Length - 4;
        message[1] = (byte)(length >> 16);
        message[2] = (byte)(length >> 8);
        message[3] = (byte)length;
        return message;
    }
}

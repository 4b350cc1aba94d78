using System.Text;
using CsCheck;
using MeshEdge.Codecs.Tests.TestSupport;
using MeshEdge.Codecs.Tls;
using static MeshEdge.Codecs.Tests.Tls.ClientHelloBuilder;

namespace MeshEdge.Codecs.Tests.Tls;

/// <summary>
/// Generated hellos (random server names, ALPN lists, other extensions in any order, any record
/// framing) read back as built; and damaged or random bytes never throw, never point outside the
/// input or the scratch, and get a verdict that does not depend on how the bytes arrive.
/// </summary>
public class TlsClientHelloPropertyTests
{
    private const int MaxBytes = 4096;

    internal sealed record GeneratedHello(string? ServerName, string[] Alpn, ushort[] Versions, (ushort Type, byte[] Data)[] Others, int[] Fragments, int SessionId)
    {
        public byte[] Encode()
        {
            var extensions = Others.Select(o => Extension(o.Type, o.Data)).ToList();
            if (ServerName is not null)
            {
                extensions.Insert(Others.Length == 0 ? 0 : Fragments.Length % (Others.Length + 1), ClientHelloBuilder.ServerName(ServerName));
            }

            if (Alpn.Length > 0)
            {
                extensions.Insert(SessionId % (extensions.Count + 1), ClientHelloBuilder.Alpn(Alpn));
            }

            if (Versions.Length > 0)
            {
                extensions.Add(SupportedVersions(Versions));
            }

            return Records(Message([.. extensions], sessionIdLength: SessionId), Fragments);
        }

        public ClientHelloOutcome Expected(int length) => new(
            TlsClientHelloStatus.Complete,
            ServerName,
            string.Join(",", Alpn),
            0x0303,
            Versions.Where(v => (v & 0x0f0f) != 0x0a0a || (v >> 8) != (v & 0xff)).DefaultIfEmpty((ushort)0).Max(),
            length);
    }

    private static readonly Gen<string> Label = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"].Array[1, 20].Select(c => new string(c));

    private static readonly Gen<string> HostNames = Label.Array[1, 5].Select(labels => string.Join(".", labels));

    private static readonly Gen<string> Protocols = Gen.OneOf(Gen.Const("h2"), Gen.Const("http/1.1"), Gen.Char[(char)0x21, (char)0x7e].Array[1, 30].Select(c => new string(c)));

    // Any version, GREASE ones (0x0a0a ... 0xfafa) as often as the rest.
    private static readonly Gen<ushort> Versions = Gen.OneOf(Gen.UShort, Gen.Int[0, 15].Select(i => (ushort)(0x0a0a + (i * 0x1010))));

    // Types other than the three the reader reads (0, 16, 43).
    private static readonly Gen<ushort> OtherTypes = Gen.UShort.Where(t => t is not (0 or 16 or 43));

    internal static readonly Gen<GeneratedHello> Hellos =
        from serverName in Gen.Frequency((3, HostNames.Select(h => (string?)h)), (1, Gen.Const((string?)null)))
        from alpn in Protocols.Array[0, 4]
        from versions in Versions.Array[0, 6]
        from others in Gen.Select(OtherTypes, Gen.Byte.Array[0, 60]).Array[0, 6]
        from fragments in Gen.Int[1, 300].Array[0, 6]
        from sessionId in Gen.Int[0, 32]
        select new GeneratedHello(serverName, alpn, versions.Length == 0 ? versions : [.. versions, 0x0303], others, fragments, sessionId);

    [Fact]
    public void Generated_hellos_read_back_as_built_whole_and_in_any_framing()
    {
        Hellos.Sample(hello =>
        {
            var bytes = hello.Encode();
            var expected = hello.Expected(bytes.Length);
            var outcome = ClientHelloOutcome.Read(bytes, MaxBytes);
            Assert.True(expected == outcome, $"expected {expected}, got {outcome}");
        }, iter: 3000);
    }

    [Fact]
    public void Every_prefix_of_a_generated_hello_needs_more()
    {
        Hellos.Sample(hello =>
        {
            var bytes = hello.Encode();
            for (var length = 0; length < bytes.Length; length++)
            {
                Assert.Equal(TlsClientHelloStatus.NeedMoreData, ClientHelloOutcome.Read(bytes.AsSpan(0, length), MaxBytes).Status);
            }
        }, iter: 200);
    }

    private static readonly byte[][] Seeds =
    [
        Bytes.FromHex(ClientHelloCaptures.CurlH2),
        Bytes.FromHex(ClientHelloCaptures.OpenSslTls13SniAlpn),
        ClientHelloBuilder.Refragment(Bytes.FromHex(ClientHelloCaptures.OpenSslTls12Sni), 37),
    ];

    /// <summary>A seed with bytes flipped, inserted, dropped or cut off, and sometimes extra bytes after it.</summary>
    internal static readonly Gen<byte[]> Mutated = Gen.Select(
        Gen.Int[0, Seeds.Length - 1],
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 100_000], Gen.Byte).Array[1, 6],
        (seed, edits) =>
        {
            var bytes = Seeds[seed].ToList();
            foreach (var (kind, at, value) in edits)
            {
                if (bytes.Count == 0)
                {
                    break;
                }

                var index = at % bytes.Count;
                switch (kind)
                {
                    case 0: bytes[index] = value; break;
                    case 1: bytes.Insert(index, value); break;
                    case 2: bytes.RemoveAt(index); break;
                    default: bytes.RemoveRange(index, bytes.Count - index); break;
                }
            }

            return bytes.ToArray();
        });

    /// <summary>Random bytes, most of them behind a plausible record and handshake header so that the reader gets past its first checks.</summary>
    internal static readonly Gen<byte[]> Random = Gen.Frequency(
        (1, Gen.Byte.Array[0, 600]),
        (4, Gen.Select(Gen.Byte[0, 3], Gen.Int[0, 700], Gen.Byte.Array[0, 600], (hi, length, rest) =>
            new byte[] { 0x16, 0x03, 0x01, (byte)(length >> 8), (byte)length, 0x01, 0x00, hi, (byte)length }.Concat(rest).ToArray())));

    [Fact]
    public void Fuzz_damaged_hellos_never_throw_and_their_views_stay_in_bounds()
    {
        Mutated.Sample(AssertSound, iter: 100_000);
    }

    [Fact]
    public void Fuzz_random_bytes_never_throw_and_their_views_stay_in_bounds()
    {
        Random.Sample(AssertSound, iter: 100_000);
    }

    [Fact]
    public void Damaged_hellos_get_the_same_verdict_however_they_arrive()
    {
        Mutated.Sample(bytes =>
        {
            var whole = ClientHelloOutcome.Read(bytes, MaxBytes);
            for (var length = 0; length < bytes.Length; length++)
            {
                var prefix = ClientHelloOutcome.Read(bytes.AsSpan(0, length), MaxBytes);
                if (prefix.Status == TlsClientHelloStatus.NeedMoreData)
                {
                    continue;
                }

                // Decided early: the rest of the bytes cannot change the verdict.
                Assert.True(prefix == whole, $"{length} of {bytes.Length} bytes: {prefix}, all of them: {whole}");
                break;
            }
        }, iter: 2000);
    }

    /// <summary>The reader's contract on any input: no exception, and every view inside the input or the scratch.</summary>
    internal static void AssertSound(byte[] bytes)
    {
        var scratch = new byte[MaxBytes];
        var status = TlsClientHelloReader.Read(bytes, scratch, MaxBytes, out var hello);
        Assert.True(Enum.IsDefined(status));
        if (status != TlsClientHelloStatus.Complete)
        {
            return;
        }

        Assert.InRange(hello.Length, 9, Math.Min(bytes.Length, MaxBytes));
        AssertInside(hello.ServerName, bytes, scratch);
        AssertInside(hello.Alpn.Wire, bytes, scratch);
        foreach (var name in hello.Alpn)
        {
            AssertInside(name, bytes, scratch);
            Assert.NotEqual(0, name.Length);
        }
    }

    private static void AssertInside(ReadOnlySpan<byte> view, byte[] input, byte[] scratch)
    {
        if (view.IsEmpty)
        {
            return;
        }

        Assert.True(view.Overlaps(input, out var at) && at + view.Length <= input.Length
            || view.Overlaps(scratch, out at) && at + view.Length <= scratch.Length,
            $"a view of {view.Length} bytes ({Encoding.Latin1.GetString(view)}) lies outside the input and the scratch");
    }
}

using System.Buffers;
using System.Text;
using CsCheck;
using MeshEdge.Codecs.Http1;
using MeshEdge.Codecs.Tests.Http1.TestSupport;

namespace MeshEdge.Codecs.Tests.Http1;

/// <summary>Whatever the writer produces from valid parts, the parser reads back unchanged, however it is cut.</summary>
public class RoundTripProperties
{
    private const string TokenChars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string TargetChars = "abcxyz0123456789-._~%!$&'()*+,;=:@/?";

    private static readonly Gen<string> Token = Gen.String[Gen.Char[TokenChars], 1, 12];

    private static readonly Gen<string> FieldValue = Gen.String[Gen.Char[ValueChars()], 0, 40]
        .Select(v => v.Trim(' ', '\t'));

    private static readonly Gen<(string Name, string Value)[]> Fields =
        Gen.Select(Token, FieldValue, (name, value) => ("X-" + name, value)).Array[0, 8];

    private static readonly Gen<RandomRequest> Requests = Gen.Select(
        Gen.OneOf("GET", "POST", "PUT", "DELETE", "PATCH").Select(Token, (known, custom) => (known, custom)).Select(Gen.Bool, (m, useKnown) => useKnown ? m.known : m.custom.ToUpperInvariant()),
        Gen.String[Gen.Char[TargetChars], 0, 30].Select(path => "/" + path),
        Gen.Bool,
        Fields,
        Gen.Int[0, 2],
        Gen.Byte.Array[0, 200],
        Gen.Int[1, 64],
        Gen.Int[0, 1 << 20],
        (method, target, http10, fields, framing, body, chunkSize, cutSeed) =>
            new RandomRequest(method, target, http10 ? Http1Version.Http10 : Http1Version.Http11, fields, http10 ? Math.Min(framing, 1) : framing, body, chunkSize, cutSeed));

    [Fact]
    public void Written_requests_parse_back_to_the_same_parts()
    {
        Requests.Sample(request =>
        {
            var bytes = request.Write();
            var random = new Random(request.CutSeed);
            var cuts = Enumerable.Range(0, 3).Select(_ => random.Next(1, bytes.Length)).ToArray();

            var outcome = Http1Driver.Requests(bytes, arrivals: cuts[..1], cuts: cuts[1..]);

            Assert.Equal(Http1Error.None, outcome.Error);
            var message = outcome.Single;
            Assert.Equal($"{request.Method} {request.Target} {request.Version}", message.StartLine);
            Assert.Equal(request.ExpectedFields(), message.Fields);
            Assert.Equal(request.Framing == 0 ? "" : Encoding.Latin1.GetString(request.Body), message.Body);
            Assert.True(message.BodyComplete);
        }, iter: 2000);
    }

    private static string ValueChars()
    {
        var chars = new StringBuilder(" \t");
        for (var c = 0x21; c <= 0xFF; c++)
        {
            if (c != 0x7F)
            {
                chars.Append((char)c);
            }
        }

        return chars.ToString();
    }

    private sealed record RandomRequest(
        string Method,
        string Target,
        Http1Version Version,
        (string Name, string Value)[] Fields,
        int Framing,
        byte[] Body,
        int ChunkSize,
        int CutSeed)
    {
        public byte[] Write()
        {
            var output = new ArrayBufferWriter<byte>();
            Http1Writer.WriteRequestLine(output, Encoding.ASCII.GetBytes(Method), Encoding.ASCII.GetBytes(Target), Version);
            Http1Writer.WriteHeader(output, "Host"u8, "example.com"u8);
            foreach (var (name, value) in Fields)
            {
                Http1Writer.WriteHeader(output, Encoding.ASCII.GetBytes(name), Encoding.Latin1.GetBytes(value));
            }

            if (Framing == 1)
            {
                Http1Writer.WriteHeader(output, "Content-Length"u8, Body.Length);
            }
            else if (Framing == 2)
            {
                Http1Writer.WriteHeader(output, "Transfer-Encoding"u8, "chunked"u8);
            }

            Http1Writer.WriteEndOfHeaders(output);
            if (Framing == 1)
            {
                Http1Writer.Write(output, Body);
            }
            else if (Framing == 2)
            {
                foreach (var chunk in Body.Chunk(ChunkSize))
                {
                    Http1Writer.WriteChunk(output, chunk);
                }

                Http1Writer.WriteLastChunk(output);
                Http1Writer.WriteEndOfHeaders(output);
            }

            return output.WrittenSpan.ToArray();
        }

        public string ExpectedFields()
        {
            var fields = new List<string> { "Host=example.com" };
            fields.AddRange(Fields.Select(f => $"{f.Name}={f.Value}"));
            if (Framing == 1)
            {
                fields.Add($"Content-Length={Body.Length}");
            }
            else if (Framing == 2)
            {
                fields.Add("Transfer-Encoding=chunked");
            }

            return string.Join("|", fields);
        }
    }
}

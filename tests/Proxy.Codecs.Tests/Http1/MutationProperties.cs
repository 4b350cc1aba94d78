using System.Text;
using CsCheck;
using MeshEdge.Codecs.Http1;
using MeshEdge.Codecs.Tests.Http1.TestSupport;

namespace MeshEdge.Codecs.Tests.Http1;

/// <summary>
/// Damaged input (bytes flipped, inserted, dropped) must never throw, and the verdict must not depend
/// on how the bytes arrived: if it did, a peer could steer the parser by timing its writes.
/// </summary>
public class MutationProperties
{
    private static readonly byte[][] Seeds =
    [
        Encoding.ASCII.GetBytes("POST /a?b=c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n4;x\r\nabcd\r\n0\r\nT: 1\r\n\r\n"),
        Encoding.ASCII.GetBytes("PUT /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: keep-alive, upgrade\r\n\r\nhelloGET / HTTP/1.0\r\n\r\n"),
    ];

    private static readonly Gen<byte[]> Mutated = Gen.Select(
        Gen.Int[0, Seeds.Length - 1],
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1000], Gen.OneOf<byte>(0, 9, 10, 13, 32, 44, 58, 59, 48, 65, 127, 255)).Array[1, 4],
        (seed, edits) =>
        {
            var bytes = Seeds[seed].ToList();
            foreach (var (kind, at, value) in edits)
            {
                var index = at % bytes.Count;
                switch (kind)
                {
                    case 0: bytes[index] = value; break;
                    case 1: bytes.Insert(index, value); break;
                    default: bytes.RemoveAt(index); break;
                }
            }

            return bytes.ToArray();
        });

    [Fact]
    public void Damaged_requests_get_the_same_verdict_however_they_arrive()
    {
        Mutated.Sample(bytes =>
        {
            var whole = Http1Driver.Requests(bytes).Describe();
            var byteByByte = Http1Driver.Requests(bytes, arrivals: SegmentedSequence.EveryByte(bytes.Length)).Describe();
            var everySegment = Http1Driver.Requests(bytes, cuts: SegmentedSequence.EveryByte(bytes.Length)).Describe();

            Assert.Equal(whole, byteByByte);
            Assert.Equal(whole, everySegment);
        }, iter: 3000);
    }

    [Fact]
    public void Damaged_responses_get_the_same_verdict_however_they_arrive()
    {
        var response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        Gen.Select(Gen.Int[0, response.Length - 1], Gen.Byte).Sample((at, value) =>
        {
            var bytes = (byte[])response.Clone();
            bytes[at] = value;
            var text = Encoding.Latin1.GetString(bytes);

            Assert.Equal(
                Http1Driver.Responses(text).Describe(),
                Http1Driver.Responses(text, arrivals: SegmentedSequence.EveryByte(bytes.Length)).Describe());
        }, iter: 2000);
    }
}

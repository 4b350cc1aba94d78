using MeshEdge.Codecs.Http1;
using MeshEdge.Codecs.Tests.Http1.TestSupport;

namespace MeshEdge.Codecs.Tests.Http1;

public class MalformedRequestTests
{
    public static TheoryData<string, string, int> Corpus => MalformedRequestCorpus.Cases;

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Is_rejected_with_reason_and_status(string request, string reason, int status)
    {
        var error = Enum.Parse<Http1Error>(reason);
        var outcome = Http1Driver.Requests(request);

        Assert.Equal(error, outcome.Error);
        Assert.Equal(status, outcome.StatusToSend);
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Is_rejected_wherever_the_input_is_cut(string request, string reason, int status)
    {
        var error = Enum.Parse<Http1Error>(reason);
        for (var cut = 1; cut < request.Length; cut++)
        {
            var asSegments = Http1Driver.Requests(request, cuts: [cut]);
            var asArrivals = Http1Driver.Requests(request, arrivals: [cut]);

            Assert.True(error == asSegments.Error, $"cut at {cut}: {asSegments.Error}");
            Assert.True(error == asArrivals.Error, $"arrival at {cut}: {asArrivals.Error}");
            Assert.Equal(status, asArrivals.StatusToSend);
        }

        var byteByByte = Http1Driver.Requests(request, arrivals: SegmentedSequence.EveryByte(request.Length));
        Assert.Equal(error, byteByByte.Error);
    }
}

using MeshEdge.Codecs.Http1;

namespace MeshEdge.Native.Http;

/// <summary>
/// A response head as the exchange hands it downstream, whichever version brought it or will carry
/// it: the status, HTTP/1's reason phrase when there was one, and the end-to-end fields (hop-by-hop
/// ones already left out by the codec that read it), in storage rented per response.
/// </summary>
internal sealed class ResponseHead : HeaderBlock
{
    private int _reasonOffset;
    private int _reasonLength;

    public int Status { get; private set; }

    public ReadOnlySpan<byte> Reason => Stored(_reasonOffset, _reasonLength);

    /// <summary>100 Continue, 103 Early Hints: passed on, and the final response follows.</summary>
    public bool IsInterim => Status is >= 100 and < 200 && Status != 101;

    public override void Begin()
    {
        base.Begin();
        Status = 0;
        _reasonLength = 0;
    }

    public void SetStatus(int status, ReadOnlySpan<byte> reason)
    {
        Status = status;
        _reasonOffset = Store(reason);
        _reasonLength = reason.Length;
    }
}

using MeshEdge.Native.Stats;

namespace MeshEdge.Native.Proxy;

/// <summary>
/// What one worker's ClientHello inspections on one listener share: the buffer peeks land in and
/// the scratch a hello split over records is gathered in (each max_client_hello_size, made once,
/// used by one inspection at a time since a worker runs one handler at a time), and the counters.
/// </summary>
internal sealed class SniWorkerContext(int maxHelloBytes, int routeCount)
{
    public byte[] PeekBuffer { get; } = new byte[maxHelloBytes];

    public byte[] Scratch { get; } = new byte[maxHelloBytes];

    public SniStats Stats { get; } = new(routeCount);
}

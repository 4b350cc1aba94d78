namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>Bolt response status codes, as SOFA numbers them (the tests' expectations, written out independently of the codec).</summary>
internal static class BoltStatus
{
    public const int Success = 0;
    public const int ServerException = 2;

    /// <summary>SERVER_THREADPOOL_BUSY: the server (or the proxy's circuit breaker) is overloaded.</summary>
    public const int ServerThreadpoolBusy = 4;
    public const int NoProcessor = 6;
    public const int Timeout = 7;
    public const int ConnectionClosed = 0x10;
}

namespace MeshEdge.Native.Tls;

/// <summary>
/// Where a listener's newest <see cref="TlsServerContext"/> is published: a reload builds a whole
/// new one and swaps it in; a worker reads it once per accept (and once in the SNI callback), a
/// plain volatile read, never a lock. Connections already made keep the OpenSSL context they took:
/// <c>SSL_new</c> and <c>SSL_set_SSL_CTX</c> hold a reference to it, so the old generation's own
/// references can be dropped once no worker can still be between reading it and taking one.
/// </summary>
internal sealed class TlsContextSlot
{
    private volatile TlsServerContext _current;

    public TlsContextSlot(TlsServerContext first)
    {
        _current = first;
        first.Slot = this;
    }

    public TlsServerContext Current => _current;

    /// <summary>Publishes <paramref name="next"/> for new handshakes; returns the generation it replaced.</summary>
    public TlsServerContext Swap(TlsServerContext next)
    {
        next.Slot = this;
        return Interlocked.Exchange(ref _current, next);
    }
}

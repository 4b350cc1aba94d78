using MeshEdge.Native.Tls.Interop;

namespace MeshEdge.Native.Tls;

/// <summary>
/// Generations: the context a listener was built with stays its handle for the process's life (its
/// settings do not change), while a certificate reload publishes newer ones through its <see cref="Slot"/>.
/// </summary>
internal sealed partial class TlsServerContext
{
    private bool _released;

    /// <summary>Set once the listener's certificates can be reloaded; null before.</summary>
    public TlsContextSlot? Slot { get; set; }

    /// <summary>The generation new handshakes use: the newest published one.</summary>
    public TlsServerContext Current => Slot?.Current ?? this;

    /// <summary>
    /// Drops this generation's references to its OpenSSL contexts (connections using one keep it
    /// alive through their own). Call only when no worker can still read this generation's table:
    /// after a command posted to every worker after the swap has run. The managed part and its
    /// callback handle stay alive: a connection accepted earlier may still call back into it.
    /// </summary>
    public void Release()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        foreach (var ctx in _byName.Values.Append(DefaultContext).Distinct())
        {
            LibSsl.SSL_CTX_free(ctx);
        }
    }
}

using System.Runtime.InteropServices;
using System.Text;
using MeshEdge.Config.Model;
using MeshEdge.Native.Tls.Interop;
using static MeshEdge.Native.Tls.Interop.SslConstants;

namespace MeshEdge.Native.Tls;

/// <summary>
/// A TLS listener's server side: one OpenSSL context per certificate, all with the same versions,
/// ciphers and ALPN list, and the SNI table that picks one during the ClientHello (exact name, then
/// <c>*.</c> plus the name without its first label, else the first certificate). Built once on the
/// main thread and shared read-only by every worker; OpenSSL contexts are safe to share.
/// </summary>
internal sealed unsafe partial class TlsServerContext
{
    private readonly Dictionary<string, nint> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, nint>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly byte* _alpnWire;
    private readonly uint _alpnLength;

    private TlsServerContext(TlsConfig config)
    {
        Config = config;
        HandshakeTimeoutMs = (long)config.HandshakeTimeout.TotalMilliseconds;
        _lookup = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
        var wire = new List<byte>();
        foreach (var protocol in config.Alpn)
        {
            wire.Add((byte)protocol.Length);
            wire.AddRange(Encoding.ASCII.GetBytes(protocol));
        }

        // Lives as long as the process: OpenSSL's ALPN callback hands out pointers into it.
        _alpnLength = (uint)wire.Count;
        _alpnWire = (byte*)NativeMemory.Alloc((nuint)Math.Max(1, wire.Count));
        wire.ToArray().CopyTo(new Span<byte>(_alpnWire, wire.Count));
    }

    public TlsConfig Config { get; }

    public long HandshakeTimeoutMs { get; }

    /// <summary>An HTTP listener's: a plaintext request gets a 400 before the close (<see cref="PlainHttpOnTlsPort"/>).</summary>
    public bool AnswersPlainHttp { get; set; }

    /// <summary>What each connection's x-forwarded-client-cert element carries (an HTTP listener that appends or sets one); null: none is made.</summary>
    public ClientCertDetails? ClientCertElement { get; set; }

    /// <summary>The first certificate's context: every connection starts on it, SNI may move it to another.</summary>
    public nint DefaultContext { get; private set; }

    /// <summary>
    /// Loads every certificate of <paramref name="config"/>; on any failure returns null with the
    /// problems in <paramref name="errors"/> (key path and reason, as config errors are), having freed
    /// the contexts made for the certificates before the one that failed.
    /// </summary>
    public static TlsServerContext? Load(TlsConfig config, string listenerPath, List<(string Path, string Reason)> errors)
    {
        var context = new TlsServerContext(config);
        var handle = GCHandle.Alloc(context);
        var self = GCHandle.ToIntPtr(handle);
        var before = errors.Count;
        var made = new List<nint>();
        foreach (var group in TlsCertificateGroups.Of(config.Certificates))
        {
            var certificate = group[0];
            var ctx = TlsContextBuilder.Create(config, listenerPath, certificate, errors);
            if (ctx != 0)
            {
                made.Add(ctx);
            }

            if (!TlsContextBuilder.AddAlternatives(ctx, group, errors))
            {
                continue;
            }

            TlsServerOptions.Apply(ctx, config);

            LibSsl.SSL_CTX_set_alpn_select_cb(ctx, (nint)(delegate* unmanaged<nint, byte**, byte*, byte*, uint, nint, int>)&SelectAlpn, self);
            LibSsl.SSL_CTX_callback_ctrl(ctx, SSL_CTRL_SET_TLSEXT_SERVERNAME_CB, (nint)(delegate* unmanaged<nint, int*, nint, int>)&SelectCertificate);
            LibSsl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG, 0, self);
            if (context.DefaultContext == 0)
            {
                context.DefaultContext = ctx;
            }

            foreach (var name in certificate.ServerNames)
            {
                context._byName.TryAdd(name, ctx);
            }
        }

        if (errors.Count == before && context.DefaultContext != 0)
        {
            return context;
        }

        // Never published: no connection holds these, so they go now, with the callbacks' handle.
        foreach (var ctx in made)
        {
            LibSsl.SSL_CTX_free(ctx);
        }

        handle.Free();
        return null;
    }

    /// <summary>The context serving <paramref name="serverName"/>; the default when no certificate lists it.</summary>
    public nint ContextFor(ReadOnlySpan<char> serverName)
    {
        if (_lookup.TryGetValue(serverName, out var exact))
        {
            return exact;
        }

        var dot = serverName.IndexOf('.');
        if (dot > 0)
        {
            Span<char> wildcard = stackalloc char[serverName.Length - dot + 1];
            wildcard[0] = '*';
            serverName[dot..].CopyTo(wildcard[1..]);
            if (_lookup.TryGetValue(wildcard, out var matched))
            {
                return matched;
            }
        }

        return DefaultContext;
    }

    /// <summary>OpenSSL's servername callback: moves the connection to the certificate its SNI names.</summary>
    [UnmanagedCallersOnly]
    private static int SelectCertificate(nint ssl, int* alert, nint arg)
    {
        var name = LibSsl.SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
        if (name is null)
        {
            return SSL_TLSEXT_ERR_OK;
        }

        var length = 0;
        while (length < 256 && name[length] != 0)
        {
            length++;
        }

        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)name[i];
        }

        // The newest certificates (a reload may have come since this connection was accepted).
        var context = ((TlsServerContext)GCHandle.FromIntPtr(arg).Target!).Current;
        var chosen = context.ContextFor(chars);
        if (chosen != LibSsl.SSL_get_SSL_CTX(ssl))
        {
            LibSsl.SSL_set_SSL_CTX(ssl, chosen);
        }

        return SSL_TLSEXT_ERR_OK;
    }

    /// <summary>OpenSSL's ALPN callback: the first of our protocols the client offers; none in common is not an error.</summary>
    [UnmanagedCallersOnly]
    private static int SelectAlpn(nint ssl, byte** output, byte* outputLength, byte* offered, uint offeredLength, nint arg)
    {
        var context = (TlsServerContext)GCHandle.FromIntPtr(arg).Target!;
        return LibSsl.SSL_select_next_proto(output, outputLength, context._alpnWire, context._alpnLength, offered, offeredLength) == OPENSSL_NPN_NEGOTIATED
            ? SSL_TLSEXT_ERR_OK
            : SSL_TLSEXT_ERR_NOACK;
    }
}

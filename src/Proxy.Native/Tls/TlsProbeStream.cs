using System.Net.Sockets;
using System.Runtime.InteropServices;
using MeshEdge.Native.Tls.Interop;
using static MeshEdge.Native.Tls.Interop.SslClientConstants;
using static MeshEdge.Native.Tls.Interop.SslConstants;

namespace MeshEdge.Native.Tls;

/// <summary>
/// TLS for a health check probe, off the data path: the cluster's own client context (so the probe
/// verifies the server and presents the client certificate exactly as the workers' connections do),
/// over a managed socket through two memory BIOs. A handshake or record that fails is an
/// <see cref="IOException"/>, which fails the check.
/// </summary>
internal sealed class TlsProbeStream : Stream, ITlsClientPeer
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private GCHandle _self;
    private nint _ssl;
    private readonly nint _input;
    private readonly nint _output;

    private unsafe TlsProbeStream(Socket socket, TlsClientTarget target)
    {
        _socket = socket;
        Client = target;
        _self = GCHandle.Alloc(this);
        _ssl = LibSsl.SSL_new(target.Context.Context);
        _input = LibCrypto.BIO_new(LibCrypto.BIO_s_mem());
        _output = LibCrypto.BIO_new(LibCrypto.BIO_s_mem());
        LibSsl.SSL_set_bio(_ssl, _input, _output);
        LibSslClient.SSL_set_connect_state(_ssl);
        LibSslClient.SSL_set_ex_data(_ssl, TlsClientCallbacks.PeerIndex, GCHandle.ToIntPtr(_self));
        if (target.ServerName is { } name)
        {
            fixed (byte* serverName = name)
            {
                LibSslClient.SSL_ctrl(_ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, (nint)serverName);
            }
        }
    }

    public TlsClientTarget? Client { get; }

    public bool ServerNameMismatch { get; set; }

    /// <summary>Runs the handshake on the connected <paramref name="socket"/>; throws <see cref="IOException"/> when it fails.</summary>
    public static async Task<TlsProbeStream> HandshakeAsync(Socket socket, TlsClientTarget target, CancellationToken cancel)
    {
        var stream = new TlsProbeStream(socket, target);
        try
        {
            while (true)
            {
                var (result, error) = stream.Step(static ssl => LibSsl.SSL_do_handshake(ssl));
                await stream.SendPendingAsync(cancel);
                if (result == 1)
                {
                    return stream;
                }

                if (error != SSL_ERROR_WANT_READ)
                {
                    throw new IOException(stream.ServerNameMismatch ? "the server certificate names none of the expected names"
                        : "TLS handshake failed: " + OpenSslError.DrainMessage("refused"));
                }

                if (!await stream.ReceiveAsync(cancel))
                {
                    throw new IOException("the server closed the connection during the TLS handshake");
                }
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var (result, error) = Decrypt(buffer.Span);
            await SendPendingAsync(cancellationToken);
            if (result > 0)
            {
                return result;
            }

            if (error == SSL_ERROR_ZERO_RETURN)
            {
                return 0;
            }

            if (error != SSL_ERROR_WANT_READ)
            {
                throw new IOException("TLS record refused: " + OpenSslError.DrainMessage("broken"));
            }

            if (!await ReceiveAsync(cancellationToken))
            {
                return 0;
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Encrypt(buffer.Span) != buffer.Length)
        {
            throw new IOException("TLS write refused: " + OpenSslError.DrainMessage("broken"));
        }

        await SendPendingAsync(cancellationToken);
    }

    private (int Result, int Error) Step(Func<nint, int> call)
    {
        var result = call(_ssl);
        return (result, result == 1 ? SSL_ERROR_NONE : LibSsl.SSL_get_error(_ssl, result));
    }

    private unsafe (int Result, int Error) Decrypt(Span<byte> buffer)
    {
        fixed (byte* data = buffer)
        {
            var result = LibSsl.SSL_read(_ssl, data, buffer.Length);
            return (result, result > 0 ? SSL_ERROR_NONE : LibSsl.SSL_get_error(_ssl, result));
        }
    }

    private unsafe int Encrypt(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* data = buffer)
        {
            return LibSsl.SSL_write(_ssl, data, buffer.Length);
        }
    }

    /// <summary>What libssl wrote into the output BIO goes to the socket.</summary>
    private async Task SendPendingAsync(CancellationToken cancel)
    {
        while (LibCrypto.BIO_ctrl_pending(_output) > 0)
        {
            var count = TakeOutput();
            await _socket.SendAsync(_buffer.AsMemory(0, count), SocketFlags.None, cancel);
        }
    }

    private unsafe int TakeOutput()
    {
        fixed (byte* data = _buffer)
        {
            return LibCrypto.BIO_read(_output, data, _buffer.Length);
        }
    }

    /// <summary>One socket read into the input BIO; false at end of stream.</summary>
    private async Task<bool> ReceiveAsync(CancellationToken cancel)
    {
        var count = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cancel);
        if (count == 0)
        {
            return false;
        }

        FeedInput(count);
        return true;
    }

    private unsafe void FeedInput(int count)
    {
        fixed (byte* data = _buffer)
        {
            LibCrypto.BIO_write(_input, data, count);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_ssl != 0)
        {
            LibSsl.SSL_free(_ssl); // frees both BIOs
            _ssl = 0;
            _self.Free();
            Client?.ForgetSession();
            LibCrypto.ERR_clear_error();
        }

        base.Dispose(disposing);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

using System.Buffers;
using System.Net.Sockets;
using System.Text;
using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;

namespace MeshEdge.Native.Xds.Grpc;

/// <summary>
/// One bidirectional gRPC call on an HTTP/2 connection of its own (h2c over TCP or a Unix socket),
/// driven by the caller's thread with a blocking socket: the xDS client's, off the data path. Built
/// on MeshEdge's HTTP/2 connection layer in the client role (HPACK, windows, defences), so no
/// HttpClient stack is linked. <see cref="Send"/> frames a message and waits for window when the
/// peer's is closed; <see cref="Receive"/> returns the next whole message. The receive window is
/// given back as messages are taken, so a reader that falls behind makes the server wait instead of
/// buffering without bound; a message larger than the window streams through. Keepalive PINGs find
/// a control plane that went away without a word.
/// </summary>
internal sealed partial class GrpcDuplexCall : IDisposable
{
    /// <summary>An xDS push of 10,000 clusters is tens of MB: windows wide enough to stream it without a stall per 64 KiB.</summary>
    private static readonly Http2ConnectionOptions Options = new()
    {
        MaxConcurrentStreams = 1,
        InitialStreamWindowSize = 4 << 20,
        ConnectionWindowSize = 8 << 20,
    };

    private const int MaxMessageSize = 512 << 20;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly Socket _socket;
    private readonly Http2Connection _connection = new(Http2ConnectionRole.Client, Options);
    private readonly ArrayBufferWriter<byte> _output = new(16 * 1024);
    private readonly GrpcMessageReader _messages = new(MaxMessageSize);
    private readonly GrpcKeepAlive _keepAlive;
    private readonly CancellationToken _cancel;
    private readonly CancellationTokenRegistration _cancelRegistration;
    private byte[] _input = new byte[64 * 1024];
    private int _inputLength;
    private uint _streamId;

    /// <summary>DATA bytes taken in while whole messages wait to be read: given back to the peer once the reader has caught up.</summary>
    private int _heldBytes;
    private bool _ended;
    private GrpcCallException? _failure;

    private GrpcDuplexCall(Socket socket, TimeSpan keepAliveAfter, TimeSpan keepAliveTimeout, CancellationToken cancel)
    {
        _socket = socket;
        _cancel = cancel;
        _keepAlive = new GrpcKeepAlive(keepAliveAfter, keepAliveTimeout, Environment.TickCount64);

        // A blocked read or write ends at once when the client stops.
        _cancelRegistration = cancel.Register(static s => ((Socket)s!).Dispose(), socket);
    }

    /// <summary>Whole messages received and not yet read.</summary>
    public int Pending => _messages.Count;

    /// <summary>Counters of the connection beneath (frames, resets, defences).</summary>
    public ref readonly Http2ConnectionCounters Counters => ref _connection.Counters;

    /// <summary>
    /// Connects to <paramref name="endpoint"/>, opens the connection and starts the call
    /// <paramref name="path"/> (/package.Service/Method): HEADERS with :method POST, content-type
    /// application/grpc and te trailers, no END_STREAM (the request stream stays open).
    /// </summary>
    public static GrpcDuplexCall Open(XdsEndpoint endpoint, string path, TimeSpan connectTimeout, CancellationToken cancel,
        TimeSpan? keepAliveAfter = null, TimeSpan? keepAliveTimeout = null)
    {
        var socket = XdsSocket.Connect(endpoint, connectTimeout, cancel);
        var call = new GrpcDuplexCall(socket, keepAliveAfter ?? TimeSpan.FromSeconds(30), keepAliveTimeout ?? TimeSpan.FromSeconds(10), cancel);
        try
        {
            call.Start(Authority(endpoint), path);
            return call;
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    /// <summary>Sends one message (the 5-byte prefix added); blocks, reading meanwhile, while the peer's window is closed.</summary>
    public void Send(ReadOnlySpan<byte> message)
    {
        var framed = ArrayPool<byte>.Shared.Rent(GrpcMessageReader.PrefixLength + message.Length);
        try
        {
            framed[0] = 0;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
            message.CopyTo(framed.AsSpan(GrpcMessageReader.PrefixLength));
            var length = GrpcMessageReader.PrefixLength + message.Length;
            var sent = 0;
            while (true)
            {
                ThrowIfFailed();
                var taken = _connection.SendData(_streamId, framed.AsSpan(sent, length - sent), endStream: false, _output);
                WriteOutput();
                if (taken < 0)
                {
                    throw _failure ?? new GrpcCallException(GrpcStatusCode.Unavailable, _ended ? "the control plane ended the call" : "the stream is closed");
                }

                sent += taken;
                if (sent == length)
                {
                    return;
                }

                // The peer's window is shut: what opens it (WINDOW_UPDATE) comes in with whatever else it sends.
                ReadOnce();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(framed);
        }
    }

    /// <summary>
    /// The next whole message, waiting for it; null when the server ended the call with grpc-status 0.
    /// Any other end throws <see cref="GrpcCallException"/> (messages received before it come first).
    /// </summary>
    public byte[]? Receive()
    {
        while (true)
        {
            if (_messages.TryTake(out var message))
            {
                if (_messages.Count == 0 && _heldBytes > 0)
                {
                    // The reader has caught up: the peer may send a window's worth again.
                    _connection.ReleaseReceived(_streamId, _heldBytes);
                    _heldBytes = 0;
                    WriteOutput();
                }

                return message;
            }

            ThrowIfFailed();
            if (_ended)
            {
                return null;
            }

            ReadOnce();
        }
    }

    public void Dispose()
    {
        _cancelRegistration.Dispose();
        _socket.Dispose();
        _connection.Dispose();
    }

    private void Start(string authority, string path)
    {
        _connection.Start(_output);
        if (!_connection.TryOpenStream(out _streamId))
        {
            throw new InvalidOperationException("a new HTTP/2 connection refused its first stream");
        }

        _connection.AddHeader(":method"u8, "POST"u8);
        _connection.AddHeader(":scheme"u8, "http"u8);
        _connection.AddHeader(":path"u8, Encoding.ASCII.GetBytes(path));
        _connection.AddHeader(":authority"u8, Encoding.ASCII.GetBytes(authority));
        _connection.AddHeader("content-type"u8, "application/grpc"u8);
        _connection.AddHeader("te"u8, "trailers"u8);
        _connection.AddHeader("user-agent"u8, "meshedge-xds"u8);
        _connection.SendHeaders(_streamId, endStream: false, _output);
        WriteOutput();
    }

    /// <summary>Waits up to a poll interval for bytes, takes in every whole frame, and answers what the connection queued (acks, window updates).</summary>
    private void ReadOnce()
    {
        _cancel.ThrowIfCancellationRequested();
        if (_input.Length - _inputLength < 16 * 1024)
        {
            Array.Resize(ref _input, _input.Length * 2);
        }

        int read;
        try
        {
            if (!_socket.Poll(PollInterval, SelectMode.SelectRead))
            {
                KeepAlive();
                return;
            }

            read = _socket.Receive(_input.AsSpan(_inputLength));
        }
        catch (SocketException e)
        {
            throw Lost(e);
        }

        if (read == 0)
        {
            Fail(GrpcStatusCode.Unavailable, "the control plane closed the connection");
            throw _failure!;
        }

        _keepAlive.Received(Environment.TickCount64);
        _inputLength += read;
        var events = new Events(this);
        var taken = _connection.Receive(_input.AsSpan(0, _inputLength), ref events);
        _input.AsSpan(taken, _inputLength - taken).CopyTo(_input);
        _inputLength -= taken;
        if (_connection.State == Http2ConnectionState.Closed)
        {
            // Our connection error: its GOAWAY is queued; send it, then give up the call.
            Fail(GrpcStatusCode.Internal, $"HTTP/2 connection error {_connection.CloseError.Code} ({_connection.CloseError.Reason})");
        }

        WriteOutput();
    }

    private void KeepAlive()
    {
        switch (_keepAlive.Due(Environment.TickCount64))
        {
            case GrpcKeepAlive.Action.Ping:
                var span = _output.GetSpan(Http2Constants.FrameHeaderLength + Http2Constants.PingPayloadLength);
                _output.Advance(Http2FrameWriter.WritePing(span, (ulong)Environment.TickCount64, ack: false));
                WriteOutput();
                break;
            case GrpcKeepAlive.Action.GiveUp:
                Fail(GrpcStatusCode.Unavailable, "the control plane did not answer a keepalive PING");
                throw _failure!;
        }
    }

    /// <summary>Writes what the connection has for the peer: frames we asked for, then its queued control frames.</summary>
    private void WriteOutput()
    {
        _connection.Flush(_output);
        var bytes = _output.WrittenSpan;
        while (!bytes.IsEmpty)
        {
            int written;
            try
            {
                written = _socket.Send(bytes);
            }
            catch (SocketException e)
            {
                throw Lost(e);
            }

            bytes = bytes[written..];
        }

        _output.ResetWrittenCount();
    }

    /// <summary>A lost connection (reset, broken pipe) ends the call as UNAVAILABLE.</summary>
    private GrpcCallException Lost(SocketException e)
    {
        Fail(GrpcStatusCode.Unavailable, "the connection to the control plane broke: " + e.Message);
        return _failure!;
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw _failure;
        }
    }

    private void Fail(GrpcStatusCode status, string detail) => _failure ??= new GrpcCallException(status, detail);

    private static string Authority(XdsEndpoint endpoint) => endpoint.UnixSocket is not null
        ? "localhost"
        : endpoint.Host!.Contains(':') ? $"[{endpoint.Host}]:{endpoint.Port}" : $"{endpoint.Host}:{endpoint.Port}";
}

using System.Buffers;
using MeshEdge.Codecs.Http2.Hpack;

namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>
/// One HTTP/2 connection's state machine, for either role, as nghttp2's session is but without an
/// object per stream or frame: bytes in through <see cref="Receive"/>, events out to a handler
/// struct, frames out into the caller's <see cref="IBufferWriter{T}"/>. No sockets, no timers, no
/// threads: the session moves bytes, owns the clock's timeouts (it reads <see cref="IdleSince"/>,
/// <see cref="StalledSince"/> and <see cref="SettingsPendingSince"/>), and maps events to exchanges.
/// Frames the connection answers with by itself (acks, WINDOW_UPDATE, RST_STREAM, GOAWAY) wait in a
/// bounded queue until <see cref="Flush"/>; frames the session asks for (HEADERS, DATA) are written
/// at once. Memory: the stream table is allocated with the connection; every other buffer is
/// rented for the moment it is needed and given back.
/// </summary>
internal sealed partial class Http2Connection : IDisposable
{
    private readonly Http2ConnectionRole _role;
    private readonly Http2ConnectionOptions _options;
    private readonly ArrayPool<byte> _pool;
    private readonly Func<long> _clock;
    private readonly HpackDecoder _decoder;
    private readonly HpackEncoder _encoder;
    private readonly Http2FieldBlockBuffer _blockBuffer;
    private readonly Http2StreamTable _streams;
    private readonly Http2ControlQueue _control;
    private Http2ConnectionCounters _counters;
    private Http2FrameReader _reader;
    private bool _prefaceReceived;

    // The peer's settings, as they stand (§6.5.2 initial values).
    private uint _peerMaxConcurrentStreams = uint.MaxValue;
    private int _peerInitialWindowSize = Http2Constants.DefaultWindowSize;
    private int _peerMaxFrameSize = Http2Constants.DefaultMaxFrameSize;

    // Connection windows: what we may send, what the peer may send, what the consumer released and we have not announced.
    private Http2FlowWindow _sendWindow = new(Http2Constants.DefaultWindowSize);
    private Http2FlowWindow _receiveWindow = new(Http2Constants.DefaultWindowSize);
    private int _pendingConnectionWindowUpdate;

    private uint _lastPeerStreamId;
    private uint _lastLocalStreamId;
    private uint _goAwaySentLastId = uint.MaxValue;
    private bool _goAwayReceived;

    public Http2Connection(Http2ConnectionRole role, Http2ConnectionOptions? options = null, ArrayPool<byte>? pool = null, Func<long>? clock = null)
    {
        _role = role;
        _options = options ?? Http2ConnectionOptions.Default;
        _pool = pool ?? ArrayPool<byte>.Shared;
        _clock = clock ?? (static () => Environment.TickCount64);
        _decoder = new HpackDecoder(_options.HeaderLimits, _pool);
        _encoder = new HpackEncoder(Http2Constants.DefaultHeaderTableSize, _pool);
        _blockBuffer = new Http2FieldBlockBuffer(_pool, _options.MaxFieldBlockSize);
        _streams = new Http2StreamTable(_options.MaxConcurrentStreams, _options.ClosedStreamMemory);
        _control = new Http2ControlQueue(_pool, _options.MaxQueuedControlFrames);
        _reader = new Http2FrameReader(_options.MaxFrameSize, expectSettingsFirst: true);
        _prefaceReceived = role == Http2ConnectionRole.Client;
    }

    public Http2ConnectionRole Role => _role;

    public Http2ConnectionState State { get; private set; }

    /// <summary>The connection error that closed it (its GOAWAY is queued), or none.</summary>
    public Http2Error CloseError { get; private set; }

    public ref readonly Http2ConnectionCounters Counters => ref _counters;

    /// <summary>Streams in the table: open, half-closed, or reserved by <see cref="TryOpenStream"/>.</summary>
    public int ActiveStreams => _streams.Count;

    /// <summary>The id of the stream in table slot <paramref name="slot"/> (0..<see cref="ActiveStreams"/>-1), to end every exchange when the connection closes.</summary>
    public uint StreamIdAt(int slot) => _streams[slot].Id;

    /// <summary>The highest stream id the peer opened (and we processed): what a final GOAWAY carries.</summary>
    public uint LastPeerStreamId => _lastPeerStreamId;

    /// <summary>Since when no stream is active (the idle timeout's start), or -1 while one is.</summary>
    public long IdleSince { get; private set; } = -1;

    /// <summary>When our SETTINGS went out unacknowledged (the settings timeout's start), or -1.</summary>
    public long SettingsPendingSince { get; private set; } = -1;

    /// <summary>Frames queued for <see cref="Flush"/>.</summary>
    public int QueuedControlFrames => _control.Frames;

    public bool HasQueuedOutput => _control.Length > 0;

    /// <summary>Nothing left to do: closed by an error, or going away with no stream left. Flush, then close the transport.</summary>
    public bool CanClose => State == Http2ConnectionState.Closed
        || (State == Http2ConnectionState.GoingAway && _streams.Count == 0);

    /// <summary>What we may still send on the connection's window.</summary>
    public int SendWindow => _sendWindow.Sendable;

    /// <summary>The peer's SETTINGS_MAX_CONCURRENT_STREAMS (unbounded until it says).</summary>
    public uint PeerMaxConcurrentStreams => _peerMaxConcurrentStreams;

    /// <summary>
    /// The oldest moment a stream has been waiting on a zero window with data to send (the
    /// zero-window stall timeout's start), or -1 when none waits.
    /// </summary>
    public long StalledSince
    {
        get
        {
            var oldest = -1L;
            for (var i = 0; i < _streams.Count; i++)
            {
                ref var stream = ref _streams[i];
                if (stream.Blocked && (oldest < 0 || stream.BlockedSince < oldest))
                {
                    oldest = stream.BlockedSince;
                }
            }

            return oldest;
        }
    }

    /// <summary>
    /// Writes what opens the connection: the client preface (client role), our SETTINGS, and a
    /// WINDOW_UPDATE raising the connection's receive window to the configured size.
    /// </summary>
    public void Start(IBufferWriter<byte> output)
    {
        if (State != Http2ConnectionState.New)
        {
            throw new InvalidOperationException("an HTTP/2 connection starts once");
        }

        var span = output.GetSpan(Http2Preface.Length + Http2Constants.FrameHeaderLength + (7 * Http2Constants.SettingLength) + 13);
        var at = 0;
        if (_role == Http2ConnectionRole.Client)
        {
            Http2Preface.Bytes.CopyTo(span);
            at = Http2Preface.Length;
        }

        Span<Http2Setting> settings = stackalloc Http2Setting[6];
        var count = 0;
        settings[count++] = new(Http2SettingId.MaxConcurrentStreams, (uint)_options.MaxConcurrentStreams);
        settings[count++] = new(Http2SettingId.InitialWindowSize, (uint)_options.InitialStreamWindowSize);
        settings[count++] = new(Http2SettingId.MaxFrameSize, (uint)_options.MaxFrameSize);
        settings[count++] = new(Http2SettingId.MaxHeaderListSize, (uint)_options.HeaderLimits.MaxHeaderListSize);
        if (_options.HeaderLimits.MaxTableSize != Http2Constants.DefaultHeaderTableSize)
        {
            settings[count++] = new(Http2SettingId.HeaderTableSize, (uint)_options.HeaderLimits.MaxTableSize);
        }

        if (_role == Http2ConnectionRole.Client)
        {
            settings[count++] = new(Http2SettingId.EnablePush, 0);
        }

        at += Http2FrameWriter.WriteSettings(span[at..], settings[..count]);
        var raise = _options.ConnectionWindowSize - Http2Constants.DefaultWindowSize;
        if (raise > 0)
        {
            at += Http2FrameWriter.WriteWindowUpdate(span[at..], 0, raise);
            _receiveWindow.Grow(raise, 0);
        }

        output.Advance(at);
        var now = _clock();
        SettingsPendingSince = now;
        IdleSince = now;
        State = Http2ConnectionState.Open;
    }

    /// <summary>Moves the queued control frames into <paramref name="output"/>; call when the transport can take more.</summary>
    public int Flush(IBufferWriter<byte> output)
    {
        // Sessions flush once per loop turn: the field list's array, kept across the heads of one
        // turn (rented once, not per head), goes back here, so an idle connection holds none.
        if (_sendFieldCount == 0)
        {
            ClearSendFields();
        }

        return _control.Drain(output);
    }

    /// <summary>The session's settings timer fired: no ACK came for our SETTINGS (§6.5.3).</summary>
    public void OnSettingsTimeout()
    {
        if (SettingsPendingSince >= 0)
        {
            _counters.SettingsTimeouts++;
            Fail(Http2Error.Connection(Http2ErrorCode.SettingsTimeout, Http2ErrorReason.SettingsTimeout));
        }
    }

    public void Dispose()
    {
        _decoder.Dispose();
        _encoder.Dispose();
        _blockBuffer.Dispose();
        _control.Dispose();
        ClearSendFields();
        ReturnReceiveFieldBytes();
    }

    /// <summary>A connection error: GOAWAY with the last stream we processed, and nothing more is read (§5.4.1).</summary>
    private void Fail(Http2Error error)
    {
        if (State == Http2ConnectionState.Closed)
        {
            return;
        }

        _counters.ConnectionErrors += error.Code == Http2ErrorCode.NoError ? 0 : 1;
        CloseError = error;
        QueueGoAway(Math.Min(_lastPeerStreamId, _goAwaySentLastId), error.Code);
        _blockBuffer.Clear();
        State = Http2ConnectionState.Closed;
    }

    private void QueueGoAway(uint lastStreamId, Http2ErrorCode code)
    {
        var span = _control.Reserve(Http2ControlQueue.MaxFrameLength);
        _control.Commit(Http2FrameWriter.WriteGoAway(span, lastStreamId, code));
        _counters.GoAwaysSent++;
    }

    private void QueueRstStream(uint streamId, Http2ErrorCode code)
    {
        var span = _control.Reserve(Http2Constants.FrameHeaderLength + Http2Constants.RstStreamPayloadLength);
        _control.Commit(Http2FrameWriter.WriteRstStream(span, streamId, code));
        _counters.ResetsSent++;
    }

    private void QueueWindowUpdate(uint streamId, int increment)
    {
        var span = _control.Reserve(Http2Constants.FrameHeaderLength + Http2Constants.WindowUpdatePayloadLength);
        _control.Commit(Http2FrameWriter.WriteWindowUpdate(span, streamId, increment));
    }

    private bool IsPeerInitiated(uint streamId) => ((streamId & 1) == 1) == (_role == Http2ConnectionRole.Server);

    /// <summary>Where an id stands: in the table (its slot), idle (above the highest opened on its side), or closed.</summary>
    private Http2StreamStatus Classify(uint streamId, out int slot)
    {
        slot = _streams.Find(streamId);
        if (slot >= 0)
        {
            return Http2StreamStatus.Active;
        }

        var last = IsPeerInitiated(streamId) ? _lastPeerStreamId : _lastLocalStreamId;
        return streamId > last ? Http2StreamStatus.Idle : Http2StreamStatus.Closed;
    }

    /// <summary>Takes a stream out of the table; the last one out starts the idle clock.</summary>
    private void RemoveStream(int slot, bool byOurReset)
    {
        _streams.Remove(slot, byOurReset);
        _counters.StreamsClosed++;
        _closedStreams++;
        if (_streams.Count == 0)
        {
            IdleSince = _clock();
        }
    }
}

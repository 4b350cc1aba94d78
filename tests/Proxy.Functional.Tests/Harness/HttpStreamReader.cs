using System.Net.Sockets;
using System.Text;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// Buffered reads of HTTP/1.1 messages off a socket, for both the test backend and raw test clients:
/// a head up to its blank line, then a body by Content-Length, chunked framing or the close. Deliberately
/// lenient about what it accepts, since it is the proxy's strictness that is under test.
/// </summary>
internal sealed class HttpStreamReader(Socket socket)
{
    private const int MaxHeadBytes = 1024 * 1024;

    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public Socket Socket => socket;

    /// <summary>Bytes received but not yet read.</summary>
    public int Buffered => _end - _start;

    /// <summary>A head including its final CRLFCRLF, or null when the peer closed before sending a byte of it.</summary>
    public async Task<HttpHead?> ReadHeadAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var text = Encoding.Latin1.GetString(_buffer, _start, end + 4);
                _start += end + 4;
                return HttpHead.Parse(text);
            }

            if (_end - _start > MaxHeadBytes)
            {
                throw new InvalidDataException("head larger than 1 MiB");
            }

            if (await FillAsync(cancellation) == 0)
            {
                return _end == _start ? null : throw new EndOfStreamException($"closed inside a head after {_end - _start} bytes");
            }
        }
    }

    /// <summary>The body that <paramref name="head"/> announces; <paramref name="untilClose"/> for a response without framing.</summary>
    public async Task<byte[]> ReadBodyAsync(HttpHead head, bool untilClose, CancellationToken cancellation)
    {
        if (head.IsChunked)
        {
            return await ReadChunkedAsync(cancellation);
        }

        if (head.ContentLength is { } length)
        {
            return await ReadExactlyAsync(checked((int)length), cancellation);
        }

        return untilClose ? await ReadToEndAsync(cancellation) : [];
    }

    public async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellation)
    {
        while (_end - _start < count)
        {
            if (await FillAsync(cancellation) == 0)
            {
                throw new EndOfStreamException($"closed after {_end - _start} of {count} body bytes");
            }
        }

        var bytes = _buffer.AsSpan(_start, count).ToArray();
        _start += count;
        return bytes;
    }

    public async Task<byte[]> ReadToEndAsync(CancellationToken cancellation)
    {
        while (await FillAsync(cancellation) > 0)
        {
        }

        var bytes = _buffer.AsSpan(_start, _end - _start).ToArray();
        _start = _end;
        return bytes;
    }

    /// <summary>Whatever is buffered, or the next bytes to arrive; empty at end of stream.</summary>
    public async Task<byte[]> ReadSomeAsync(CancellationToken cancellation)
    {
        if (_end == _start && await FillAsync(cancellation) == 0)
        {
            return [];
        }

        var bytes = _buffer.AsSpan(_start, _end - _start).ToArray();
        _start = _end;
        return bytes;
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellation)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var line = await ReadLineAsync(cancellation);
            var semicolon = line.IndexOf(';');
            var size = Convert.ToInt32(semicolon < 0 ? line : line[..semicolon], 16);
            if (size == 0)
            {
                // Trailers, then the blank line that ends the message.
                while ((await ReadLineAsync(cancellation)).Length > 0)
                {
                }

                return body.ToArray();
            }

            body.Write(await ReadExactlyAsync(size, cancellation));
            await ReadLineAsync(cancellation);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (end >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, end);
                _start += end + 2;
                return line;
            }

            if (await FillAsync(cancellation) == 0)
            {
                throw new EndOfStreamException("closed inside chunk framing");
            }
        }
    }

    private async Task<int> FillAsync(CancellationToken cancellation)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var n = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellation);
        _end += n;
        return n;
    }
}

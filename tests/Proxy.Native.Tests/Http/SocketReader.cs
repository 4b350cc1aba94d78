using System.Net.Sockets;
using System.Text;

namespace MeshEdge.Native.Tests.Http;

/// <summary>Reads HTTP/1.1 messages off a blocking socket for test peers: heads as text, bodies by Content-Length or chunked framing.</summary>
internal sealed class SocketReader(Socket socket) : IDisposable
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next head (up to and including the blank line), or null when the peer closed.</summary>
    public string? ReadHead()
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var head = Encoding.ASCII.GetString(_buffer, _start, end + 4);
                _start += end + 4;
                return head;
            }

            if (!Fill())
            {
                return null;
            }
        }
    }

    /// <summary>Reads past the body the head announces and returns its decoded bytes.</summary>
    public byte[] SkipBody(string head)
    {
        var lower = head.ToLowerInvariant();
        if (lower.Contains("transfer-encoding: chunked", StringComparison.Ordinal))
        {
            var body = new List<byte>();
            while (true)
            {
                var sizeLine = ReadLine();
                var size = Convert.ToInt32(sizeLine.Split(';')[0].Trim(), 16);
                if (size == 0)
                {
                    while (ReadLine().Length > 0)
                    {
                    }

                    return [.. body];
                }

                body.AddRange(ReadExactly(size));
                ReadLine();
            }
        }

        var at = lower.IndexOf("content-length:", StringComparison.Ordinal);
        if (at < 0)
        {
            return [];
        }

        var valueEnd = lower.IndexOf("\r\n", at, StringComparison.Ordinal);
        return ReadExactly(int.Parse(lower[(at + 15)..valueEnd].Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose() => socket.Dispose();

    private string ReadLine()
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (end >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, _start, end);
                _start += end + 2;
                return line;
            }

            if (!Fill())
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }
        }
    }

    private byte[] ReadExactly(int count)
    {
        while (_end - _start < count)
        {
            if (!Fill())
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }
        }

        var bytes = _buffer.AsSpan(_start, count).ToArray();
        _start += count;
        return bytes;
    }

    private bool Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        var n = socket.Receive(_buffer.AsSpan(_end));
        _end += n;
        return n > 0;
    }
}

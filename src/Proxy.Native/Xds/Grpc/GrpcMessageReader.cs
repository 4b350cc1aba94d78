using System.Buffers.Binary;

namespace MeshEdge.Native.Xds.Grpc;

/// <summary>
/// Cuts a gRPC response stream (the DATA of one HTTP/2 stream) into messages: each is a 5-byte
/// prefix (a compressed flag, then the length, big-endian) and that many bytes. DATA frames and
/// messages do not line up: a message may span many frames, a frame may hold several messages and
/// end inside a prefix. Each whole message is a fresh array (off the data path; the xDS reader keeps
/// slices of it as resources), queued until taken.
/// </summary>
internal sealed class GrpcMessageReader(int maxMessageSize)
{
    public const int PrefixLength = 5;

    private readonly byte[] _prefix = new byte[PrefixLength];
    private readonly Queue<byte[]> _complete = new();
    private int _prefixFilled;
    private byte[]? _message;
    private int _messageFilled;

    /// <summary>Whole messages not yet taken.</summary>
    public int Count => _complete.Count;

    /// <summary>Bytes of a message begun and not finished: the stream must not end here.</summary>
    public bool InsideMessage => _prefixFilled > 0;

    /// <summary>Takes in a piece of the stream; null, or why the stream cannot be read (then nothing more should be appended).</summary>
    public string? Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_prefixFilled < PrefixLength)
            {
                var take = Math.Min(PrefixLength - _prefixFilled, data.Length);
                data[..take].CopyTo(_prefix.AsSpan(_prefixFilled));
                _prefixFilled += take;
                data = data[take..];
                if (_prefixFilled < PrefixLength)
                {
                    break;
                }

                if (_prefix[0] != 0)
                {
                    // We announce no grpc-accept-encoding, so a compressed message is the server's error.
                    return "a compressed message, though the client accepts none";
                }

                var length = BinaryPrimitives.ReadUInt32BigEndian(_prefix.AsSpan(1));
                if (length > (uint)maxMessageSize)
                {
                    return $"a message of {length} bytes, over the limit of {maxMessageSize}";
                }

                _message = length == 0 ? [] : new byte[length];
                _messageFilled = 0;
            }

            var copy = Math.Min(_message!.Length - _messageFilled, data.Length);
            data[..copy].CopyTo(_message.AsSpan(_messageFilled));
            _messageFilled += copy;
            data = data[copy..];
            if (_messageFilled == _message.Length)
            {
                _complete.Enqueue(_message);
                _message = null;
                _prefixFilled = 0;
            }
        }

        return null;
    }

    public bool TryTake(out byte[] message) => _complete.TryDequeue(out message!);
}

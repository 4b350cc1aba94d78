using System.Buffers;
using MeshEdge.Codecs.Http1;

namespace MeshEdge.Native.Http;

/// <summary>Request fields as HTTP/1.1 header lines.</summary>
internal readonly struct Http1RequestFieldSink(IBufferWriter<byte> output) : IRequestFieldSink
{
    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => Http1Writer.WriteHeader(output, name, value);
}

using System.Text;
using MeshEdge.Codecs.Http2.Hpack;

namespace MeshEdge.Codecs.Tests.Http2.Hpack;

/// <summary>Copies every field it is handed, as "name: value" (with a "!" for never-indexed ones).</summary>
internal struct CollectingHandler() : IHpackHeaderHandler
{
    public List<string> Fields { get; } = [];

    public readonly void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed) =>
        Fields.Add($"{Encoding.Latin1.GetString(name)}: {Encoding.Latin1.GetString(value)}{(neverIndexed ? " !" : "")}");

    public static (HpackDecodeResult Result, List<string> Fields) Decode(HpackDecoder decoder, byte[] block)
    {
        var handler = new CollectingHandler();
        var result = decoder.Decode(block, ref handler);
        return (result, handler.Fields);
    }

    /// <summary>The table's entries, newest first, in the same form.</summary>
    public static List<string> Entries(HpackDynamicTable table)
    {
        var entries = new List<string>();
        for (var index = 1; index <= table.Count; index++)
        {
            table.Get(index, out var name, out var value);
            entries.Add($"{Encoding.Latin1.GetString(name)}: {Encoding.Latin1.GetString(value)}");
        }

        return entries;
    }
}

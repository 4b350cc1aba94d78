using MeshEdge.Codecs.Rpc;

namespace MeshEdge.Codecs.Bolt;

/// <summary>
/// Recognises Bolt from a connection's first bytes: the protocol code (0x01 or 0x02), then a known
/// type and command code. Checking beyond the first byte keeps a stray 0x01 or 0x02 from another
/// protocol from being taken for Bolt; four (v1) or five (v2) bytes settle it.
/// </summary>
internal static class BoltDetector
{
    public static RpcDetection Detect(ReadOnlySpan<byte> prefix)
    {
        if (prefix.IsEmpty)
        {
            return RpcDetection.NeedMoreData;
        }

        var version = (BoltVersion)prefix[0];
        if (version is not (BoltVersion.V1 or BoltVersion.V2))
        {
            return RpcDetection.NoMatch;
        }

        var typeOffset = BoltLayout.TypeOffset(version);
        if (prefix.Length > typeOffset && prefix[typeOffset] > (byte)BoltCommandType.Oneway)
        {
            return RpcDetection.NoMatch;
        }

        var codeOffset = BoltLayout.CommandCodeOffset(version);
        if (prefix.Length > codeOffset && prefix[codeOffset] != 0)
        {
            return RpcDetection.NoMatch;
        }

        if (prefix.Length <= codeOffset + 1)
        {
            return RpcDetection.NeedMoreData;
        }

        return prefix[codeOffset + 1] <= (byte)BoltCommandCode.Response ? RpcDetection.Match : RpcDetection.NoMatch;
    }
}

using System.Text;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Http.Routing;

/// <summary>A route's header changes as bytes: lower-case names to drop, then fields to add.</summary>
internal sealed class HeaderMutation(HeaderMutationConfig config)
{
    public static readonly HeaderMutation None = new(HeaderMutationConfig.None);

    public byte[][] Remove { get; } = [.. config.Remove.Select(Encoding.ASCII.GetBytes)];

    public (byte[] Name, byte[] Value)[] Add { get; } =
        [.. config.Add.Select(h => (Encoding.ASCII.GetBytes(h.Name), Encoding.UTF8.GetBytes(h.Value)))];

    public bool IsEmpty => Remove.Length == 0 && Add.Length == 0;

    /// <summary>Whether a field of this name is to be dropped (names compared case-insensitively).</summary>
    public bool Removes(ReadOnlySpan<byte> name)
    {
        foreach (var removed in Remove)
        {
            if (removed.Length == name.Length && Ascii.EqualsIgnoreCase(name, removed))
            {
                return true;
            }
        }

        return false;
    }
}

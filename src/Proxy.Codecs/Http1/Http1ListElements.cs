namespace MeshEdge.Codecs.Http1;

/// <summary>
/// Walks a comma-separated field value (RFC 9110 §5.6.1): OWS around elements is dropped and empty
/// elements are skipped, as recipients must.
/// </summary>
internal static class Http1ListElements
{
    public static bool TryNext(ref ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> element)
    {
        while (!rest.IsEmpty)
        {
            var comma = rest.IndexOf((byte)',');
            var raw = comma < 0 ? rest : rest[..comma];
            rest = comma < 0 ? default : rest[(comma + 1)..];
            element = Http1Chars.TrimWhitespace(raw);
            if (!element.IsEmpty)
            {
                return true;
            }
        }

        element = default;
        return false;
    }
}

using System.Text;

namespace MeshEdge.Codecs.Http1;

/// <summary>
/// What the framing and connection decisions need from a head, gathered field by field as the lines
/// go past, so nothing has to be kept or re-read once the head ends.
/// </summary>
internal struct Http1HeadFacts
{
    public int HostCount;
    public bool HostInvalid;
    public long ContentLength;
    public Http1TransferCodings TransferCodings;
    public Http1ConnectionOptions ConnectionOptions;
    public bool ExpectContinue;
    public bool HasUpgradeField;

    public static Http1HeadFacts Empty => new() { ContentLength = -1 };

    public Http1Error Observe(Http1KnownHeader header, ReadOnlySpan<byte> value)
    {
        switch (header)
        {
            case Http1KnownHeader.Host:
                HostCount++;
                HostInvalid |= value.ContainsAny(" \t/\\@?#"u8);
                return Http1Error.None;
            case Http1KnownHeader.ContentLength:
                return Http1ContentLength.Merge(value, ref ContentLength);
            case Http1KnownHeader.TransferEncoding:
                return TransferCodings.Merge(value);
            case Http1KnownHeader.Connection:
                ConnectionOptions |= Http1ConnectionTokens.Parse(value);
                return Http1Error.None;
            case Http1KnownHeader.Expect:
                ExpectContinue |= Ascii.EqualsIgnoreCase(value, "100-continue"u8);
                return Http1Error.None;
            case Http1KnownHeader.Upgrade:
                HasUpgradeField = true;
                return Http1Error.None;
            default:
                return Http1Error.None;
        }
    }

    /// <summary>RFC 9112 §9.3: HTTP/1.1 persists unless told to close; HTTP/1.0 only when asked to keep alive.</summary>
    public readonly bool WantsKeepAlive(Http1Version version) =>
        (ConnectionOptions & Http1ConnectionOptions.Close) == 0
        && (version == Http1Version.Http11 || (ConnectionOptions & Http1ConnectionOptions.KeepAlive) != 0);

    /// <summary>An upgrade needs both the Upgrade field and the "upgrade" connection option (RFC 9110 §7.8).</summary>
    public readonly bool AsksForUpgrade => HasUpgradeField && (ConnectionOptions & Http1ConnectionOptions.Upgrade) != 0;
}

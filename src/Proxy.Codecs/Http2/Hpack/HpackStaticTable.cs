namespace MeshEdge.Codecs.Http2.Hpack;

/// <summary>
/// The static table of RFC 7541 Appendix A, indices 1..61, as constant bytes (no array per entry).
/// </summary>
internal static class HpackStaticTable
{
    public const int Count = 61;

    public static ReadOnlySpan<byte> Name(int index) => index switch
    {
        1 => ":authority"u8,
        2 => ":method"u8,
        3 => ":method"u8,
        4 => ":path"u8,
        5 => ":path"u8,
        6 => ":scheme"u8,
        7 => ":scheme"u8,
        8 => ":status"u8,
        9 => ":status"u8,
        10 => ":status"u8,
        11 => ":status"u8,
        12 => ":status"u8,
        13 => ":status"u8,
        14 => ":status"u8,
        15 => "accept-charset"u8,
        16 => "accept-encoding"u8,
        17 => "accept-language"u8,
        18 => "accept-ranges"u8,
        19 => "accept"u8,
        20 => "access-control-allow-origin"u8,
        21 => "age"u8,
        22 => "allow"u8,
        23 => "authorization"u8,
        24 => "cache-control"u8,
        25 => "content-disposition"u8,
        26 => "content-encoding"u8,
        27 => "content-language"u8,
        28 => "content-length"u8,
        29 => "content-location"u8,
        30 => "content-range"u8,
        31 => "content-type"u8,
        32 => "cookie"u8,
        33 => "date"u8,
        34 => "etag"u8,
        35 => "expect"u8,
        36 => "expires"u8,
        37 => "from"u8,
        38 => "host"u8,
        39 => "if-match"u8,
        40 => "if-modified-since"u8,
        41 => "if-none-match"u8,
        42 => "if-range"u8,
        43 => "if-unmodified-since"u8,
        44 => "last-modified"u8,
        45 => "link"u8,
        46 => "location"u8,
        47 => "max-forwards"u8,
        48 => "proxy-authenticate"u8,
        49 => "proxy-authorization"u8,
        50 => "range"u8,
        51 => "referer"u8,
        52 => "refresh"u8,
        53 => "retry-after"u8,
        54 => "server"u8,
        55 => "set-cookie"u8,
        56 => "strict-transport-security"u8,
        57 => "transfer-encoding"u8,
        58 => "user-agent"u8,
        59 => "vary"u8,
        60 => "via"u8,
        61 => "www-authenticate"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Only the fourteen entries with a value have one; the rest are empty.</summary>
    public static ReadOnlySpan<byte> Value(int index) => index switch
    {
        2 => "GET"u8,
        3 => "POST"u8,
        4 => "/"u8,
        5 => "/index.html"u8,
        6 => "http"u8,
        7 => "https"u8,
        8 => "200"u8,
        9 => "204"u8,
        10 => "206"u8,
        11 => "304"u8,
        12 => "400"u8,
        13 => "404"u8,
        14 => "500"u8,
        16 => "gzip, deflate"u8,
        _ => default,
    };

    // Find's index (built once): the first entry of each distinct name, chained by a hash of the
    // name's length and end bytes, and the last entry sharing that name (entries with one name are
    // adjacent). A linear scan of all 61 names per field was a fifth of the proxy's CPU under h2load.
    private const int BucketCount = 128;
    private static readonly byte[] Chains = BuildChains();

    /// <summary>
    /// The index of the entry with this name and value, else 0; <paramref name="nameIndex"/> is the
    /// first entry with this name (0 when none), for a literal with an indexed name.
    /// </summary>
    public static int Find(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, out int nameIndex)
    {
        nameIndex = 0;
        if (name.IsEmpty)
        {
            return 0;
        }

        var chains = Chains;
        int first = chains[Bucket(name)];
        while (first != 0 && !name.SequenceEqual(Name(first)))
        {
            first = chains[BucketCount + first];
        }

        if (first == 0)
        {
            return 0;
        }

        nameIndex = first;
        var last = chains[BucketCount + Count + 1 + first];
        for (var index = first; index <= last; index++)
        {
            if (value.SequenceEqual(Value(index)))
            {
                return index;
            }
        }

        return 0;
    }

    private static int Bucket(ReadOnlySpan<byte> name) => ((name.Length * 7) + (name[0] * 3) + name[^1]) & (BucketCount - 1);

    /// <summary>
    /// One array: [0, 128) the first name of each bucket; then, by index, the next first-of-its-name
    /// in the same bucket; then, by index, the last entry with the same name. 0 ends a chain.
    /// </summary>
    private static byte[] BuildChains()
    {
        var chains = new byte[BucketCount + (2 * (Count + 1))];
        for (var index = Count; index >= 1; index--)
        {
            var name = Name(index);
            if (index > 1 && name.SequenceEqual(Name(index - 1)))
            {
                continue;
            }

            var last = index;
            while (last < Count && Name(last + 1).SequenceEqual(name))
            {
                last++;
            }

            var bucket = Bucket(name);
            chains[BucketCount + index] = chains[bucket];
            chains[bucket] = (byte)index;
            chains[BucketCount + Count + 1 + index] = (byte)last;
        }

        return chains;
    }
}

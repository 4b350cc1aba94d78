using System.Globalization;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>A request or response head as text: its start line and its fields in order.</summary>
internal sealed class HttpHead
{
    private HttpHead(string raw, string startLine, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        Raw = raw;
        StartLine = startLine;
        Fields = fields;
    }

    /// <summary>The head exactly as received, CRLFs and all.</summary>
    public string Raw { get; }

    public string StartLine { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

    /// <summary>Request method (first token of the start line).</summary>
    public string Method => StartLine.Split(' ')[0];

    /// <summary>Request target (second token of the start line).</summary>
    public string Target => StartLine.Split(' ')[1];

    /// <summary>Request version (third token) or response version (first token).</summary>
    public string Version => StartLine.StartsWith("HTTP/", StringComparison.Ordinal) ? StartLine.Split(' ')[0] : StartLine.Split(' ')[2];

    /// <summary>Response status code (second token of the start line).</summary>
    public int Status => int.Parse(StartLine.Split(' ')[1], CultureInfo.InvariantCulture);

    public bool IsChunked => Get("transfer-encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;

    public long? ContentLength => Get("content-length") is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : null;

    /// <summary>The first field named <paramref name="name"/> (any case), or null.</summary>
    public string? Get(string name) => Fields.FirstOrDefault(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public IEnumerable<string> GetAll(string name) =>
        Fields.Where(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value);

    public bool Has(string name) => Get(name) is not null;

    public static HttpHead Parse(string raw)
    {
        var lines = raw.Split("\r\n");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':');
            fields.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }

        return new HttpHead(raw, lines[0], fields);
    }

    public override string ToString() => Raw;
}

using System.Globalization;
using System.Text;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// One logfmt line from meshedge's stderr: <c>key=value</c> pairs separated by spaces, values optionally
/// double-quoted with backslash escapes. Lines that are not logfmt parse to whatever pairs they hold,
/// so a stray stack trace line simply has no <c>msg</c>.
/// </summary>
internal sealed class LogLine
{
    private readonly Dictionary<string, string> _fields;

    private LogLine(string raw, Dictionary<string, string> fields)
    {
        Raw = raw;
        _fields = fields;
    }

    public string Raw { get; }

    public string? Message => Get("msg");

    public string? Level => Get("level");

    public IReadOnlyDictionary<string, string> Fields => _fields;

    public string? Get(string key) => _fields.TryGetValue(key, out var value) ? value : null;

    public string Require(string key) =>
        Get(key) ?? throw new Xunit.Sdk.XunitException($"log line has no '{key}': {Raw}");

    public long RequireLong(string key)
    {
        var text = Require(key);
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new Xunit.Sdk.XunitException($"log field '{key}' is not an integer: {Raw}");
    }

    public override string ToString() => Raw;

    public static LogLine Parse(string raw)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < raw.Length)
        {
            while (i < raw.Length && raw[i] == ' ')
            {
                i++;
            }

            var keyStart = i;
            while (i < raw.Length && raw[i] != '=' && raw[i] != ' ')
            {
                i++;
            }

            var key = raw[keyStart..i];
            if (i >= raw.Length || raw[i] != '=')
            {
                if (key.Length > 0)
                {
                    fields.TryAdd(key, "");
                }

                continue;
            }

            i++; // '='
            var value = i < raw.Length && raw[i] == '"' ? ReadQuoted(raw, ref i) : ReadBare(raw, ref i);
            if (key.Length > 0)
            {
                fields.TryAdd(key, value);
            }
        }

        return new LogLine(raw, fields);
    }

    private static string ReadBare(string raw, ref int i)
    {
        var start = i;
        while (i < raw.Length && raw[i] != ' ')
        {
            i++;
        }

        return raw[start..i];
    }

    private static string ReadQuoted(string raw, ref int i)
    {
        var value = new StringBuilder();
        i++; // opening quote
        while (i < raw.Length && raw[i] != '"')
        {
            if (raw[i] == '\\' && i + 1 < raw.Length)
            {
                i++;
                value.Append(raw[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
            }
            else
            {
                value.Append(raw[i]);
            }

            i++;
        }

        i++; // closing quote (or end of a truncated line)
        return value.ToString();
    }
}

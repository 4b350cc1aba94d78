using System.Net;
using System.Text;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>One request on a fresh connection, for tests about what a single request does.</summary>
internal static class HttpExchange
{
    /// <summary>Sends <c>GET path</c> with Host <paramref name="host"/> and the extra header lines, and reads the response.</summary>
    public static async Task<RawResponse> GetAsync(IPEndPoint proxy, string path, string host = "test", params string[] headers)
    {
        using var client = await RawHttpClient.ConnectAsync(proxy);
        await client.SendAsync(Request("GET", path, host, headers));
        return await client.ReadResponseAsync();
    }

    public static string Request(string method, string path, string host, params string[] headers)
    {
        var text = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: {host}\r\n");
        foreach (var header in headers)
        {
            text.Append(header).Append("\r\n");
        }

        return text.Append("\r\n").ToString();
    }
}

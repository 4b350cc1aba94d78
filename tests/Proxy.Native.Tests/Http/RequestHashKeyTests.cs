using System.Text;
using MeshEdge.Codecs.Http1;
using MeshEdge.Native.Http;
using MeshEdge.Native.Http.Routing;

namespace MeshEdge.Native.Tests.Http;

public sealed class RequestHashKeyTests
{
    private static RequestHead Head(params (string Name, string Value)[] fields)
    {
        var head = new RequestHead();
        head.Begin();
        head.SetRequestLine(Http1Method.Get, "GET"u8, "/"u8, Http1Version.Http11);
        foreach (var (name, value) in fields)
        {
            head.AddField(Http1KnownHeader.Unknown, Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value));
        }

        return head;
    }

    private static string? Cookie(RequestHead head, string name) =>
        RequestHashKey.TryFindCookie(head, Encoding.ASCII.GetBytes(name), out var value) ? Encoding.ASCII.GetString(value) : null;

    [Fact]
    public void A_cookie_is_found_by_its_whole_name_in_any_cookie_field()
    {
        var head = Head(("cookie", "xsession=wrong; theme=dark"), ("Cookie", "lang=en;session=abc ; other=1"));
        Assert.Equal("abc", Cookie(head, "session"));
        Assert.Equal("wrong", Cookie(head, "xsession"));
        Assert.Equal("dark", Cookie(head, "theme"));
        Assert.Null(Cookie(head, "sess"));
        head.End();
    }

    [Fact]
    public void Missing_or_malformed_cookies_are_not_found()
    {
        var head = Head(("cookie", "session"), ("cookie", "; =x; ;"), ("x-session", "session=no"));
        Assert.Null(Cookie(head, "session"));
        head.End();
    }
}

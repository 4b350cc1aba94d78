using System.Text;
using MeshEdge.Config.Model;
using MeshEdge.Native.Tls;

namespace MeshEdge.Native.Tests.Tls;

/// <summary>SAN conditions: DNS names without regard to ASCII case, URIs (SPIFFE ids) byte for byte; exact or prefix.</summary>
public sealed class SubjectAltNameMatcherTests
{
    [Theory]
    [InlineData(SubjectAltNameType.Uri, false, "spiffe://cluster.local/ns/prod/sa/web", "spiffe://cluster.local/ns/prod/sa/web", true)]
    [InlineData(SubjectAltNameType.Uri, false, "spiffe://cluster.local/ns/prod/sa/web", "spiffe://cluster.local/ns/prod/sa/web2", false)]
    [InlineData(SubjectAltNameType.Uri, false, "spiffe://cluster.local/ns/prod/sa/web", "SPIFFE://cluster.local/ns/prod/sa/web", false)]
    [InlineData(SubjectAltNameType.Uri, true, "spiffe://cluster.local/ns/prod/", "spiffe://cluster.local/ns/prod/sa/web", true)]
    [InlineData(SubjectAltNameType.Uri, true, "spiffe://cluster.local/ns/prod/", "spiffe://cluster.local/ns/production/sa/web", false)]
    [InlineData(SubjectAltNameType.Uri, true, "spiffe://cluster.local/ns/prod/", "spiffe://cluster.local/ns/", false)]
    [InlineData(SubjectAltNameType.Dns, false, "web.prod.svc", "WEB.Prod.svc", true)]
    [InlineData(SubjectAltNameType.Dns, false, "web.prod.svc", "web.prod.svc.evil", false)]
    [InlineData(SubjectAltNameType.Dns, true, "web.", "Web.prod.svc", true)]
    [InlineData(SubjectAltNameType.Dns, true, "web.", "webx.prod.svc", false)]
    public void Matches(SubjectAltNameType type, bool prefix, string value, string san, bool expected)
    {
        var matcher = new SubjectAltNameMatcher(new SubjectAltNameMatch(type, prefix, value));

        Assert.Equal(expected, matcher.Matches(Encoding.UTF8.GetBytes(san)));
        Assert.Equal(expected, matcher.MatchesAny([Encoding.UTF8.GetBytes("unrelated"), Encoding.UTF8.GetBytes(san)]));
    }

    [Fact]
    public void No_sans_match_nothing()
    {
        var matcher = new SubjectAltNameMatcher(new SubjectAltNameMatch(SubjectAltNameType.Uri, true, "spiffe://"));

        Assert.False(matcher.MatchesAny([]));
    }
}

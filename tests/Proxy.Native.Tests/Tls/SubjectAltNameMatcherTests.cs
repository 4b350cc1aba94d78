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

    [Theory]
    [InlineData("api.example.test", "API.example.test", true)]
    [InlineData("api.example.test", "*.example.test", true)]
    [InlineData("api.example.test", "*.EXAMPLE.test", true)]
    [InlineData("a.api.example.test", "*.example.test", false)]
    [InlineData("example.test", "*.example.test", false)]
    [InlineData("api.example.test", "api.example.test.evil", false)]
    [InlineData("api.example.test", "*.", false)]
    [InlineData("*.example.test", "*.example.test", true)]
    [InlineData("spiffe://cluster.local/ns/prod/sa/db", "spiffe://cluster.local/ns/prod/sa/db", true)]
    [InlineData("spiffe://cluster.local/ns/prod/sa/db", "spiffe://cluster.local/ns/prod/sa/db2", false)]
    [InlineData("spiffe://cluster.local/ns/prod/sa/db", "SPIFFE://cluster.local/ns/prod/sa/db", false)]
    public void A_server_name_matches_exactly_or_under_a_one_label_wildcard(string expected, string san, bool matches)
    {
        var matcher = SubjectAltNameMatcher.ForServerName(expected);

        Assert.Equal(matches, matcher.Matches(Encoding.UTF8.GetBytes(san)));
    }

    [Fact]
    public void A_server_name_reads_dns_names_and_a_spiffe_id_reads_uris()
    {
        Assert.Equal(2, SubjectAltNameMatcher.ForServerName("api.example.test").GeneralNameType);
        Assert.Equal(6, SubjectAltNameMatcher.ForServerName("spiffe://cluster.local/ns/prod/sa/db").GeneralNameType);
    }

    [Fact]
    public void A_listener_condition_takes_no_wildcard_from_the_certificate()
    {
        var matcher = new SubjectAltNameMatcher(new SubjectAltNameMatch(SubjectAltNameType.Dns, false, "web.prod.svc"));

        Assert.False(matcher.Matches("*.prod.svc"u8));
    }

    [Fact]
    public void No_sans_match_nothing()
    {
        var matcher = new SubjectAltNameMatcher(new SubjectAltNameMatch(SubjectAltNameType.Uri, true, "spiffe://"));

        Assert.False(matcher.MatchesAny([]));
    }
}

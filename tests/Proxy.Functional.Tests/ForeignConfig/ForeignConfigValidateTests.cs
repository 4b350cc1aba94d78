using System.Reflection;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;
using static MeshEdge.Functional.Tests.ForeignConfig.EnvoyConfigText;

namespace MeshEdge.Functional.Tests.ForeignConfig;

/// <summary><c>meshedge validate</c> on Envoy configs: the support report on stdout, exit 0 when the config
/// would run (parts left out are listed), exit 2 with the key path when something cannot be honoured.</summary>
public sealed class ForeignConfigValidateTests(ITestOutputHelper output) : IDisposable
{
    private static readonly System.Net.IPEndPoint SomeHost = new(System.Net.IPAddress.Loopback, 9001);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ABootstrapWithUnsupportedPartsGetsTheReportAndExitZero()
    {
        var fault = """{ "name": "envoy.filters.http.fault", "typed_config": { "@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault" } },""";
        var path = _directory.Write("envoy.json", Bootstrap(HttpListener("web", "web", fault), Cluster("web", SomeHost), extra: """, "tracing": { "http": { "name": "envoy.tracers.zipkin" } }"""));

        var result = await MeshEdgeCli.RunAsync(output, "validate", "-c", path);

        Assert.True(result.ExitCode == 0, result.Description);
        Assert.Equal(
            [
                $"{path}: read as Envoy v3 bootstrap",
                "  listeners:    1 total, 0 supported, 1 partly supported, 0 unsupported",
                "  routes:       2 total, 2 supported, 0 partly supported, 0 unsupported",
                "  clusters:     1 total, 1 supported, 0 partly supported, 0 unsupported",
                "  unsupported keys: 2",
                "    static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters[0]: HTTP filter envoy.extensions.filters.http.fault.v3.HTTPFault is not supported; left out",
                "    tracing: not supported; left out",
                $"{path}: ok",
            ],
            result.Stdout);
    }

    [Fact]
    public async Task ASecurityFilterThatCannotBeHonouredIsAnErrorWithItsKeyPath()
    {
        var rbac = """{ "name": "envoy.filters.http.rbac", "typed_config": { "@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC" } },""";
        var path = _directory.Write("envoy.json", Bootstrap(HttpListener("web", "web", rbac), Cluster("web", SomeHost)));

        foreach (var command in new[] { "validate", "run" })
        {
            var result = await MeshEdgeCli.RunAsync(output, command, "-c", path);

            Assert.True(result.ExitCode == 2, result.Description);
            Assert.Contains(
                $"{path}: static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters[0]: HTTP filter envoy.extensions.filters.http.rbac.v3.RBAC enforces security and is not supported; leaving it out would let through what it stops, so the config is refused",
                result.Stderr);
        }
    }

    [Fact]
    public async Task AnIstioConfigDumpGetsTheSupportReport()
    {
        var path = Path.Combine(IstioTestData(), "config_dump.json");

        var result = await MeshEdgeCli.RunAsync(output, "validate", "-c", path);

        Assert.True(result.ExitCode == 0, result.Description);
        Assert.Equal($"{path}: read as Envoy config dump", result.Stdout[0]);
        Assert.Contains("  listeners:    2 total, 1 supported, 0 partly supported, 1 unsupported", result.Stdout);
        Assert.Contains("  clusters:     3 total, 2 supported, 1 partly supported, 0 unsupported", result.Stdout);
        Assert.Contains("    configs[3].dynamic_listeners[0].active_state.listener: internal listeners (no address) are not supported; the listener is left out", result.Stdout);
    }

    private static string IstioTestData() =>
        typeof(ForeignConfigValidateTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "IstioTestData").Value!;
}

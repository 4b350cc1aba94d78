using MeshEdge.Bench.Xds;

// bench/xds: one run of one ADS variant against the AOT binary; prints one TSV row (see bench/README.md).
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine("XdsBench: " + e.Message);
    Console.Error.WriteLine("usage: XdsBench --meshedge BIN --variant sotw|delta --clusters N --backend-port P --new-endpoint-port P --new-endpoint-body TEXT --work DIR [--endpoint-changes N] [--proxy-cpu CPU] [--hook SCRIPT]");
    return 2;
}

try
{
    var result = await XdsPushScenario.RunAsync(options);
    Console.WriteLine(result.ToTsv());
    return 0;
}
catch (BenchFailure e)
{
    Console.Error.WriteLine("XdsBench: " + e.Message);
    return 1;
}

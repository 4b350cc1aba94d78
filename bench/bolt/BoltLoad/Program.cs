using System.Globalization;
using System.Net;
using MeshEdge.Bench.BoltLoad;

// bolt-load server PORT [RESPONSE_BYTES]
// bolt-load load HOST:PORT CONNECTIONS INFLIGHT SECONDS [REQUEST_BYTES]
//   prints one line: requests=N seconds=S rps=R p50_us=X p99_us=Y errors=E
var invariant = CultureInfo.InvariantCulture;
switch (args.FirstOrDefault())
{
    case "server":
        await EchoServer.RunAsync(int.Parse(args[1], invariant), args.Length > 2 ? int.Parse(args[2], invariant) : 64);
        return 0;
    case "load":
        var result = await LoadGenerator.RunAsync(
            IPEndPoint.Parse(args[1]),
            int.Parse(args[2], invariant),
            int.Parse(args[3], invariant),
            TimeSpan.FromSeconds(double.Parse(args[4], invariant)),
            "com.meshedge.Bench:1.0",
            args.Length > 5 ? int.Parse(args[5], invariant) : 64);
        Console.WriteLine(string.Create(invariant,
            $"requests={result.Requests} seconds={result.Seconds:0.00} rps={result.Requests / result.Seconds:0} p50_us={result.P50Us:0} p99_us={result.P99Us:0} errors={result.Errors}"));
        return 0;
    default:
        Console.Error.WriteLine("usage: bolt-load server PORT [RESPONSE_BYTES] | load HOST:PORT CONNECTIONS INFLIGHT SECONDS [REQUEST_BYTES]");
        return 2;
}

using MeshEdge.Fuzz;
using SharpFuzz;

// Usage: Proxy.Fuzz TARGET             run under afl-fuzz (scripts/fuzz.sh sets it up)
//        Proxy.Fuzz TARGET FILE...     run the target once on each file: reproduce a crash, check a corpus
//        Proxy.Fuzz --list             the target names
if (args.Length == 0 || args[0] == "--list")
{
    Console.WriteLine(string.Join('\n', FuzzTargets.Names));
    return args.Length == 0 ? 2 : 0;
}

if (!FuzzTargets.TryGet(args[0], out var target))
{
    Console.Error.WriteLine($"unknown target '{args[0]}'; targets: {string.Join(", ", FuzzTargets.Names)}");
    return 2;
}

if (args.Length > 1)
{
    foreach (var file in args[1..])
    {
        target(File.ReadAllBytes(file));
        Console.WriteLine($"ok {file}");
    }

    return 0;
}

var buffer = new MemoryStream();
Fuzzer.Run(stream =>
{
    buffer.SetLength(0);
    stream.CopyTo(buffer);
    target(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
});
return 0;

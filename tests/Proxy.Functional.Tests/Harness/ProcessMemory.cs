using System.Globalization;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>Reads a process's resident set size from /proc, the number the flow-control tests bound.</summary>
internal static class ProcessMemory
{
    public static long ReadResidentSetBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                // "VmRSS:     12345 kB"
                var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS line");
    }
}

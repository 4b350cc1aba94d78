using System.Globalization;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>One thread of a process as /proc shows it: its id, its name (comm) and its nice value.</summary>
internal readonly record struct ThreadPriority(int Tid, string Name, int Nice)
{
    public override string ToString() => Invariant($"{Tid} \"{Name}\" nice {Nice}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The kernel's view of how much a process yields: the nice value of each of its threads (Linux keeps
/// nice per thread) and the process's oom_score_adj.
/// </summary>
internal static class ThreadPriorities
{
    /// <summary>Every thread of <paramref name="pid"/>; a thread that ends during the listing is left out.</summary>
    public static IReadOnlyList<ThreadPriority> Read(int pid)
    {
        var threads = new List<ThreadPriority>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                threads.Add(new ThreadPriority(int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture), name, ParseNice(stat)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The thread ended between the listing and the read.
            }
        }

        return threads;
    }

    public static int ReadOomScoreAdj(int pid) =>
        int.Parse(File.ReadAllText($"/proc/{pid}/oom_score_adj").Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    /// <summary>The calling thread's nice: a process it starts inherits this one.</summary>
    public static int ReadOwnNice() => ParseNice(File.ReadAllText("/proc/thread-self/stat"));

    // The name sits in parentheses and may hold spaces (".NET Finalizer"): count the fields after the
    // last ')'. The one after it is field 3 (state), so nice (field 19) is index 16.
    private static int ParseNice(string stat) =>
        int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], CultureInfo.InvariantCulture);
}

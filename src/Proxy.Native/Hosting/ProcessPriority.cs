using System.Globalization;
using MeshEdge.Config.Model;
using MeshEdge.Interop;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// runtime.priority = "low": the sidecar gives way to the application beside it. Every thread runs
/// at nice <see cref="LowNice"/>, so under CPU contention the application's threads win, and the
/// process's oom_score_adj is <see cref="LowOomScoreAdj"/>, so under memory pressure the kernel
/// kills the sidecar before the application. Both are changes any process may make to itself
/// (lowering either needs privilege), and both pass on to a hot upgrade's successor (fork and exec
/// keep them). "normal" touches nothing: it neither raises nor lowers what the process inherited.
/// </summary>
internal static class ProcessPriority
{
    public const int LowNice = 10;
    public const int LowOomScoreAdj = 500;

    private const string OomScoreAdjPath = "/proc/self/oom_score_adj";
    private const string TasksPath = "/proc/self/task";

    /// <summary>Runs on the main thread before any worker exists. A failure is a warning, never fatal:
    /// the proxy works the same at any priority.</summary>
    public static void Apply(RuntimePriority priority)
    {
        if (priority != RuntimePriority.Low)
        {
            return;
        }

        LowerCpuPriority();
        RaiseOomScore();
    }

    /// <summary>The config's spelling, for logs, /stats and /config_dump.</summary>
    public static string Name(RuntimePriority priority) => priority == RuntimePriority.Low ? "low" : "normal";

    /// <summary>The calling thread's nice value (per thread on Linux), or null if it cannot be read.</summary>
    public static int? ReadNice()
    {
        Libc.Errno = 0;
        var nice = Libc.GetPriority(LinuxConstants.PRIO_PROCESS, 0);
        return nice == -1 && Libc.Errno != 0 ? null : nice;
    }

    /// <summary>The process's oom_score_adj, or null if /proc cannot be read.</summary>
    public static int? ReadOomScoreAdj()
    {
        try
        {
            return int.TryParse(File.ReadAllText(OomScoreAdjPath).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Linux keeps nice per thread: setpriority(PRIO_PROCESS, 0) would change the calling thread
    /// alone, and a new thread inherits its creator's value. Threads started from here on (the
    /// workers, the admin and hand-off threads) come from threads set here, but the runtime started
    /// some before Main (the finalizer thread among them) and those start others later (the thread
    /// pool's, the signal handler's that launches the SIGHUP successor). So every task in
    /// /proc/self/task is set by its id, and the listing is read again until a pass finds none new,
    /// in case one was being created meanwhile.
    /// </summary>
    private static void LowerCpuPriority()
    {
        var seen = new HashSet<int>();
        for (var pass = 0; pass < 5; pass++)
        {
            var found = false;
            if (ListTasks() is not { } tasks)
            {
                return;
            }

            foreach (var tid in tasks)
            {
                if (!seen.Add(tid))
                {
                    continue;
                }

                found = true;
                if (!LowerThread(tid))
                {
                    return;
                }
            }

            if (!found)
            {
                return;
            }
        }
    }

    /// <summary>False when the kernel refused (EPERM under a seccomp filter that denies setpriority):
    /// the others would be refused too, and one warning says it.</summary>
    private static bool LowerThread(int tid)
    {
        Libc.Errno = 0;
        var current = Libc.GetPriority(LinuxConstants.PRIO_PROCESS, (uint)tid);
        if (current == -1 && Libc.Errno != 0)
        {
            // The thread has exited since the listing: nothing left to set.
            return true;
        }

        // Already as low or lower (an inherited nice, systemd's Nice=): leave it, since raising it
        // back up would need privilege and would not yield more.
        if (current >= LowNice || Libc.SetPriority(LinuxConstants.PRIO_PROCESS, (uint)tid, LowNice) == 0)
        {
            return true;
        }

        var errno = Libc.Errno;
        if (errno == LinuxConstants.ESRCH)
        {
            return true; // The thread exited between the two calls.
        }

        Log.Warn("runtime.priority: cannot lower the CPU priority, going on at the current one",
            ("call", $"setpriority(PRIO_PROCESS, {tid}, {LowNice})"), ("errno", errno), ("error", Libc.Describe(errno)), ("nice", current));
        return false;
    }

    private static void RaiseOomScore()
    {
        var current = ReadOomScoreAdj();
        if (current >= LowOomScoreAdj)
        {
            return;
        }

        try
        {
            File.WriteAllText(OomScoreAdjPath, LowOomScoreAdj.ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.Warn("runtime.priority: cannot raise the OOM score, going on at the current one",
                ("file", OomScoreAdjPath), ("value", LowOomScoreAdj), ("error", ex.Message), ("oom_score_adj", current));
        }
    }

    /// <summary>The process's thread ids, or null (with a warning) when /proc is not there to list them.</summary>
    private static List<int>? ListTasks()
    {
        try
        {
            var tids = new List<int>();
            foreach (var directory in Directory.EnumerateDirectories(TasksPath))
            {
                if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var tid))
                {
                    tids.Add(tid);
                }
            }

            return tids;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.Warn("runtime.priority: cannot list the threads to lower their CPU priority, going on at the current one",
                ("directory", TasksPath), ("error", ex.Message));
            return null;
        }
    }
}

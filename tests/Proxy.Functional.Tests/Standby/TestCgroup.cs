namespace MeshEdge.Functional.Tests.Standby;

/// <summary>
/// A cgroup made for one test, v2 where the machine mounts the unified hierarchy with the controller
/// enabled, else v1 under the controller's own mount (below our own cgroup there, so a container's
/// delegation allows it). <see cref="TryCreate"/> says why not when it cannot (not root, no such
/// controller, a read-only cgroupfs), so the test can skip with that reason.
/// </summary>
internal sealed class TestCgroup : IDisposable
{
    private const string Root = "/sys/fs/cgroup";

    private TestCgroup(string path, bool v2)
    {
        Path = path;
        IsV2 = v2;
    }

    public string Path { get; }

    public bool IsV2 { get; }

    /// <summary>Starts the wrapped command in this cgroup, then execs it (so its pid stays the proxy's).</summary>
    public string[] Wrapper => ["sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"", Path];

    /// <param name="controller">"cpu" or "memory".</param>
    public static TestCgroup? TryCreate(string controller, out string whyNot)
    {
        if (Environment.UserName != "root")
        {
            whyNot = "creating a cgroup needs root";
            return null;
        }

        var name = $"meshedge-test-{Guid.NewGuid():N}";
        try
        {
            if (File.Exists($"{Root}/cgroup.controllers"))
            {
                if (!File.ReadAllText($"{Root}/cgroup.controllers").Split(' ', '\n').Contains(controller))
                {
                    whyNot = $"cgroup v2 here has no {controller} controller";
                    return null;
                }

                File.WriteAllText($"{Root}/cgroup.subtree_control", $"+{controller}");
                var path = $"{Root}/{name}";
                Directory.CreateDirectory(path);
                whyNot = "";
                return new TestCgroup(path, v2: true);
            }

            var mount = $"{Root}/{controller}";
            if (!Directory.Exists(mount))
            {
                whyNot = $"no cgroup v2 and no v1 {controller} controller mounted at {mount}";
                return null;
            }

            // Below our own cgroup in that hierarchy: a container may only write there.
            var own = File.ReadLines("/proc/self/cgroup").Select(l => l.Split(':', 3))
                .FirstOrDefault(f => f.Length == 3 && f[1].Split(',').Contains(controller))?[2] ?? "/";
            var v1 = $"{mount}{own.TrimEnd('/')}/{name}";
            Directory.CreateDirectory(v1);
            whyNot = "";
            return new TestCgroup(v1, v2: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            whyNot = $"cannot create a {controller} cgroup here: {ex.Message}";
            return null;
        }
    }

    public void Write(string file, string value) => File.WriteAllText($"{Path}/{file}", value);

    /// <summary>Removed once empty (the proxy has exited); a failure leaves an empty directory, harmless.</summary>
    public void Dispose()
    {
        for (var i = 0; i < 50; i++)
        {
            try
            {
                Directory.Delete(Path);
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(100);
            }
        }
    }
}

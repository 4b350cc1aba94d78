using System.Globalization;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// The bytes of pooled buffer memory (the workers' blocks, in use and cached) the process means to
/// stay under, and where that figure came from: <c>runtime.memory_budget</c>, else a quarter of the
/// cgroup's memory limit, else none. A quarter because the limit covers the whole process and more:
/// the runtime and managed heap, thread stacks, and the kernel's socket buffers, which a cgroup
/// charges to it too; buffers are what grows with load, and the overload actions meant to bound them
/// must act well before the OOM killer does.
/// </summary>
internal sealed record MemoryBudget(long? Bytes, string Source)
{
    public const int CgroupShareDivisor = 4;

    public static MemoryBudget Resolve(long? configured, (long Bytes, string Source)? cgroupLimit)
    {
        if (configured is { } bytes)
        {
            return new MemoryBudget(bytes, "runtime.memory_budget");
        }

        if (cgroupLimit is { } limit)
        {
            return new MemoryBudget(limit.Bytes / CgroupShareDivisor,
                $"1/{CgroupShareDivisor} of the {limit.Source} limit of {limit.Bytes.ToString(CultureInfo.InvariantCulture)} bytes");
        }

        return new MemoryBudget(null, "none (no runtime.memory_budget and no cgroup memory limit)");
    }
}

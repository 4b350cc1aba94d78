using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// The machine-wide turn at the embedded default's fixed ports (127.0.0.1:10000, :8080, :9901). Every other
/// test binds port 0, so two test runs on one machine (a CI run beside a developer's, two worktrees) only
/// meet here: without a turn, one run's default proxy holds the ports while the other's test finds them
/// busy and fails. The lock is an advisory file lock (.NET takes flock for FileShare.None), so the kernel
/// drops it when the holder dies.
/// </summary>
internal sealed class FixedPortsLock : IDisposable
{
    private const string LockPath = "/tmp/meshedge-functional-fixed-ports.lock";
    private readonly FileStream _lock;

    private FixedPortsLock(FileStream held) => _lock = held;

    /// <summary>
    /// Waits up to <paramref name="patience"/> for the lock, then for <paramref name="ports"/> to be free
    /// (a holder's sockets may linger a moment after it lets go); fails naming what stayed busy.
    /// </summary>
    public static async Task<FixedPortsLock> TakeAsync(TimeSpan patience, params IPEndPoint[] ports)
    {
        var clock = Stopwatch.StartNew();
        FileStream? held = null;
        while (held is null)
        {
            try
            {
                held = new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < patience)
            {
                await Task.Delay(250);
            }
            catch (IOException error)
            {
                throw new Xunit.Sdk.XunitException($"another test run held {LockPath} (the turn at the default's fixed ports) for {patience.TotalSeconds:0} s: {error.Message}");
            }
        }

        var turn = new FixedPortsLock(held);
        try
        {
            foreach (var port in ports)
            {
                await WaitUntilFreeAsync(port, patience - clock.Elapsed);
            }

            return turn;
        }
        catch
        {
            turn.Dispose();
            throw;
        }
    }

    public void Dispose() => _lock.Dispose();

    private static async Task WaitUntilFreeAsync(IPEndPoint endPoint, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                probe.Bind(endPoint);
                return;
            }
            catch (SocketException error) when (clock.Elapsed < patience)
            {
                _ = error;
                await Task.Delay(250);
            }
            catch (SocketException error)
            {
                throw new Xunit.Sdk.XunitException($"{endPoint} stayed busy ({error.SocketErrorCode}) for {patience.TotalSeconds:0} s, so the default listener cannot start; free the port to run this test");
            }
        }
    }
}

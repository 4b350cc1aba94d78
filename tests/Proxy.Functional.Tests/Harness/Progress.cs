using System.Diagnostics;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>Watches a byte counter to tell "stalled by back-pressure" from "still moving".</summary>
internal static class Progress
{
    /// <summary>
    /// Waits until <paramref name="counter"/> has not changed for <paramref name="quietPeriod"/> and returns
    /// its value then. Fails if it keeps moving for <paramref name="timeout"/>, which for a flow-control test
    /// means the proxy keeps buffering.
    /// </summary>
    public static async Task<long> WaitForStallAsync(Func<long> counter, TimeSpan quietPeriod, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        var last = counter();
        var lastChange = clock.Elapsed;
        while (clock.Elapsed < timeout)
        {
            await Task.Delay(100);
            var now = counter();
            if (now != last)
            {
                last = now;
                lastChange = clock.Elapsed;
            }
            else if (last > 0 && clock.Elapsed - lastChange >= quietPeriod)
            {
                return last;
            }
        }

        throw new Xunit.Sdk.XunitException($"{what} never stalled within {timeout.TotalSeconds:0}s; last count {last}");
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; false if <paramref name="timeout"/> passes first.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// Samples a process's RSS in the background and keeps the peak, so a short burst of buffering between
/// two assertions is not missed.
/// </summary>
internal sealed class ResidentSetSampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peak;

    private ResidentSetSampler(int pid)
    {
        _pid = pid;
        _peak = ProcessReadings.ReadResidentSetBytes(pid);
        _loop = Task.Run(SampleAsync);
    }

    public long Peak => Interlocked.Read(ref _peak);

    public static ResidentSetSampler Start(int pid) => new(pid);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var rss = ProcessReadings.ReadResidentSetBytes(_pid);
                if (rss > Interlocked.Read(ref _peak))
                {
                    Interlocked.Exchange(ref _peak, rss);
                }

                await Task.Delay(50, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (IOException)
            {
                return; // the process is gone; the peak so far is the answer
            }
        }
    }
}

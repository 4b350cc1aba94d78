using System.Text;

namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>What the Kestrel echo service saw, shared by its calls (one service instance per call).</summary>
internal sealed class KestrelEchoLog(string name)
{
    private readonly object _gate = new();
    private readonly List<GrpcServerCall> _calls = [];
    private readonly List<(string Event, string Method, int Code)> _ends = [];

    public string Name { get; } = name;

    public IReadOnlyList<GrpcServerCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public void Called(GrpcServerCall call)
    {
        lock (_gate)
        {
            _calls.Add(call);
        }
    }

    public void Ended(string @event, string method, int code = 0)
    {
        lock (_gate)
        {
            _ends.Add((@event, method, code));
        }
    }

    public int Count(string @event, string method)
    {
        lock (_gate)
        {
            return _ends.Count(e => e.Event == @event && e.Method == method);
        }
    }

    public string Describe()
    {
        var text = new StringBuilder($"kestrel echo server {Name}:\n");
        lock (_gate)
        {
            foreach (var call in _calls)
            {
                text.AppendLine($"call {call.Method} deadlineMs={call.DeadlineMs} authority={call.Authority} metadata={string.Join(", ", call.Metadata.Select(m => $"{m.Key}={m.Value}"))}");
            }

            foreach (var (@event, method, code) in _ends)
            {
                text.AppendLine($"{@event} {method} code={code}");
            }
        }

        return text.ToString();
    }
}

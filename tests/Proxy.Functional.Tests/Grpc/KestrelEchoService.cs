using Grpc.Core;
using MeshEdge.Functional.Tests.Grpc.Echo;
using EchoService = MeshEdge.Functional.Tests.Grpc.Echo.Echo;

namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>
/// The echo service of tests/interop/grpc/echo.proto on Grpc.AspNetCore, answering as server.js does
/// (see <see cref="IGrpcEchoServer"/>): the same replies, headers, trailers and statuses on demand.
/// A call whose CancellationToken fires before the service ended it (client cancel, RST_STREAM,
/// deadline) is logged as cancelled.
/// </summary>
internal sealed class KestrelEchoService(KestrelEchoLog log) : EchoService.EchoBase
{
    /// <summary>
    /// A client's RST_STREAM can reach the service as the end of the request stream before it fires
    /// the call's CancellationToken: a half-close is acted on only after this grace, so that a
    /// cancelled call is logged as cancelled rather than answered (server.js waits alike).
    /// </summary>
    private static readonly TimeSpan HalfCloseGrace = TimeSpan.FromMilliseconds(50);

    private string Name => log.Name;

    public override async Task<EchoReply> Unary(EchoRequest request, ServerCallContext context)
    {
        var call = await StartAsync(context, "Unary");
        if (request.Hang)
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        await Task.Delay(request.DelayMs, context.CancellationToken);
        End(call, context, request);
        return new EchoReply { Message = $"{Name}:{request.Message}" };
    }

    public override async Task ServerStream(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        var call = await StartAsync(context, "ServerStream");
        if (request.Hang)
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        for (var i = 0; i < request.Count; i++)
        {
            await Task.Delay(request.DelayMs, context.CancellationToken);
            await responseStream.WriteAsync(new EchoReply { Message = $"{Name}:{request.Message}", Index = i }, context.CancellationToken);
        }

        End(call, context, request);
    }

    public override async Task<EchoReply> ClientStream(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context)
    {
        var call = await StartAsync(context, "ClientStream");
        var messages = new List<string>();
        EchoRequest? last = null;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            messages.Add(request.Message);
            last = request;
        }

        await Task.Delay(HalfCloseGrace, context.CancellationToken);

        if (last?.Hang == true)
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        End(call, context, last);
        return new EchoReply { Message = $"{Name}:{string.Join(",", messages)}", Index = messages.Count };
    }

    public override async Task Bidi(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        var call = await StartAsync(context, "Bidi");
        var index = 0;
        EchoRequest? last = null;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            last = request;
            if (request.FailCode != 0)
            {
                End(call, context, request);
            }

            await responseStream.WriteAsync(new EchoReply { Message = $"{Name}:{request.Message}", Index = index++ }, context.CancellationToken);
        }

        await Task.Delay(HalfCloseGrace, context.CancellationToken);

        if (last?.Hang == true)
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        End(call, context, last);
    }

    /// <summary>Logs the call, watches for its cancel and sends the response headers (x-echo-* echoed).</summary>
    private async Task<CallState> StartAsync(ServerCallContext context, string method)
    {
        var metadata = context.RequestHeaders.ToDictionary(e => e.Key, e => e.IsBinary ? Convert.ToBase64String(e.ValueBytes) : e.Value);
        double? deadline = context.Deadline == DateTime.MaxValue ? null : (context.Deadline - DateTime.UtcNow).TotalMilliseconds;
        log.Called(new GrpcServerCall(method, metadata, deadline, context.Host));
        var call = new CallState(method);
        context.CancellationToken.Register(() =>
        {
            if (!call.Ended)
            {
                log.Ended("cancelled", method);
            }
        });
        var headers = new Metadata { { "x-echo-server", Name } };
        foreach (var entry in context.RequestHeaders.Where(e => e.Key.StartsWith("x-echo-", StringComparison.Ordinal)))
        {
            headers.Add(entry);
        }

        await context.WriteResponseHeadersAsync(headers);
        return call;
    }

    /// <summary>Ends the call as <paramref name="request"/> asks: its trailers, then OK or (throwing) its status.</summary>
    private void End(CallState call, ServerCallContext context, EchoRequest? request)
    {
        call.Ended = true;
        var trailers = new Metadata { { "x-trailer-server", Name }, { "x-trailer-message", request?.Message ?? "" } };
        log.Ended("finished", call.Method, request?.FailCode ?? 0);
        if (request is { FailCode: not 0 })
        {
            throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage), trailers);
        }

        foreach (var entry in trailers)
        {
            context.ResponseTrailers.Add(entry);
        }
    }

    private sealed class CallState(string method)
    {
        public string Method { get; } = method;

        public volatile bool Ended;
    }
}

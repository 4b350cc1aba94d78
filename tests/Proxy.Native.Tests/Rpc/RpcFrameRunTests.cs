using System.Buffers.Binary;
using System.Net.Sockets;

namespace MeshEdge.Native.Tests.Rpc;

/// <summary>
/// Frames bound for one connection move there as runs (<c>RpcFrameRun</c>): decided in place, the next
/// one read after them, moved together. Measured on the real session and pool on a worker thread:
/// a client's whole window, in one write that spans several 16 KiB blocks, mixes forwarded requests
/// with frames the proxy answers itself (heartbeats, an unrouted service), each of which must end the
/// run ahead of it before its own bytes leave the input.
/// </summary>
public sealed class RpcFrameRunTests
{
    private const string Service = "com.meshedge.Echo:1.0";
    private const string RoutesToA = """routes = [ { match = { service_prefix = "com.meshedge." }, cluster = "a" } ]""";
    private const int Frames = 400;

    [Fact]
    public void A_window_of_mixed_frames_over_several_blocks_gets_every_answer_under_its_own_id()
    {
        using var upstream = new BoltEchoUpstream();
        using var proxy = new RpcWorkerHarness(RoutesToA, upstream.EndPoint);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(proxy.Address);
        // One call first, so the upstream connection is up: frames that wait for a connect are each
        // held in their own record, not run.
        client.Send(BoltWire.Request(Frames + 1, Service));
        Assert.Equal(0, ReadAnswers(client, 1)[Frames + 1].Status);

        var kinds = new Dictionary<uint, string>();
        var window = new List<byte>();
        for (var id = 1u; id <= Frames; id++)
        {
            // ~60 KiB in one write: runs cross block boundaries, and frames split between blocks
            // are read at the front once the run ahead of them has moved.
            var kind = id % 41 == 0 ? "heartbeat" : id % 29 == 0 ? "unrouted" : "forwarded";
            kinds[id] = kind;
            window.AddRange(kind switch
            {
                "heartbeat" => HeartbeatRequest(id),
                "unrouted" => BoltWire.Request(id, "org.elsewhere.Other:1.0"),
                _ => BoltWire.Request(id, Service, ("padding", new string('p', id % 7 == 0 ? 2000 : 20))),
            });
        }

        client.Send(window.ToArray());
        var answers = ReadAnswers(client, Frames);

        Assert.Equal(kinds.Keys.Order(), answers.Keys.Order());
        foreach (var (id, (command, status)) in answers)
        {
            switch (kinds[id])
            {
                case "heartbeat":
                    Assert.True(command == 0, $"call {id}: a heartbeat ack expected, got command {command}");
                    break;
                case "unrouted":
                    Assert.True(command == 2 && status == 6, $"call {id}: NO_PROCESSOR expected, got command {command} status {status}");
                    break;
                default:
                    Assert.True(command == 2 && status == 0, $"call {id}: SUCCESS expected, got command {command} status {status}");
                    break;
            }
        }

        var forwarded = kinds.Values.Count(kind => kind == "forwarded");
        Assert.Equal(forwarded + 1, upstream.Answered);
        var stats = proxy.OnWorker(proxy.Factory.MergeListenerStats);
        Assert.Equal(forwarded + 1, stats.ResponsesSuccess);
        Assert.Equal(kinds.Values.Count(kind => kind == "heartbeat"), stats.HeartbeatsAnswered);
        Assert.Equal(kinds.Values.Count(kind => kind == "unrouted"), stats.NoRoute);
    }

    [Fact]
    public void A_oneway_call_that_waited_for_the_connect_leaves_from_its_own_chain_and_the_next_call_is_answered()
    {
        using var upstream = new BoltEchoUpstream();
        using var proxy = new RpcWorkerHarness(RoutesToA, upstream.EndPoint);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(proxy.Address);

        // The first call opens the upstream connection, so it waits in its record's chain; written
        // from there at the connect, a oneway call ends at once, which must not drop its bytes.
        var oneway = BoltWire.Request(1, Service);
        oneway[1] = 0x02; // type: oneway request
        client.Send([.. oneway, .. BoltWire.Request(2, Service)]);

        var answers = ReadAnswers(client, 1);
        Assert.Equal(0, answers[2].Status);
        var stats = proxy.OnWorker(proxy.Factory.MergeListenerStats);
        Assert.Equal(1, stats.Oneway);
        Assert.Equal(1, stats.ResponsesSuccess);
    }

    /// <summary>A Bolt v1 heartbeat request: the 22-byte request header with command code 0 and nothing after it.</summary>
    private static byte[] HeartbeatRequest(uint id)
    {
        var frame = new byte[BoltWire.RequestHeaderLength];
        frame[0] = 0x01; // proto: v1
        frame[1] = 0x01; // type: request
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), 0); // cmdcode: heartbeat
        frame[4] = 0x01; // ver2
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), id);
        frame[9] = 0x01; // codec: hessian2
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(10), 30_000);
        return frame;
    }

    /// <summary>Reads <paramref name="count"/> v1 response frames: by id, their command code and status.</summary>
    private static Dictionary<uint, (ushort Command, ushort Status)> ReadAnswers(Socket client, int count)
    {
        var answers = new Dictionary<uint, (ushort, ushort)>();
        var header = new byte[BoltWire.ResponseHeaderLength];
        client.ReceiveTimeout = 30_000;
        while (answers.Count < count)
        {
            ReceiveExactly(client, header);
            var rest = new byte[BoltWire.ResponseLengthOf(header) - header.Length];
            ReceiveExactly(client, rest);
            var id = BoltWire.Id(header);
            Assert.False(answers.ContainsKey(id), $"call {id} was answered twice");
            answers[id] = (BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)), BoltWire.Status(header));
        }

        return answers;
    }

    private static void ReceiveExactly(Socket socket, Span<byte> into)
    {
        while (!into.IsEmpty)
        {
            var n = socket.Receive(into);
            Assert.True(n > 0, "the proxy closed the connection");
            into = into[n..];
        }
    }
}

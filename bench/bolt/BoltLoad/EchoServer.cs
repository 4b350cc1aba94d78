using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Bench.BoltLoad;

/// <summary>
/// A Bolt server that answers every request at once with a fixed response carrying its id: the backend
/// whose own cost the benchmark wants as small as possible. Responses to one read go out in one write.
/// </summary>
internal static class EchoServer
{
    public static async Task RunAsync(int port, int responseContent)
    {
        var template = BenchFrames.Response(responseContent);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(512);
        Console.WriteLine($"listening {((IPEndPoint)listener.LocalEndPoint!).Port}");
        while (true)
        {
            var socket = await listener.AcceptAsync();
            socket.NoDelay = true;
            _ = Task.Run(() => ServeAsync(socket, template));
        }
    }

    private static async Task ServeAsync(Socket socket, byte[] template)
    {
        var input = new byte[1 << 20];
        var output = new byte[1 << 20];
        var filled = 0;
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(input.AsMemory(filled));
                if (n == 0)
                {
                    return;
                }

                filled += n;
                var at = 0;
                var written = 0;
                while (true)
                {
                    var length = BenchFrames.FrameLength(input.AsSpan(at, filled - at));
                    if (length == 0 || at + length > filled)
                    {
                        break;
                    }

                    // Requests (type 1) get an answer; oneway (2) and anything else none.
                    if (input[at + 1] == 1)
                    {
                        if (written + template.Length > output.Length)
                        {
                            await socket.SendAsync(output.AsMemory(0, written));
                            written = 0;
                        }

                        template.CopyTo(output, written);
                        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(written + BenchFrames.IdOffset),
                            BinaryPrimitives.ReadUInt32BigEndian(input.AsSpan(at + BenchFrames.IdOffset)));
                        // A heartbeat (cmdcode 0) is acked in kind.
                        output[written + 3] = input[at + 3] == 0 ? (byte)0 : (byte)2;
                        written += template.Length;
                    }

                    at += length;
                }

                if (written > 0)
                {
                    await socket.SendAsync(output.AsMemory(0, written));
                }

                Buffer.BlockCopy(input, at, input, 0, filled - at);
                filled -= at;
            }
        }
        catch (SocketException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }
}

using CsCheck;
using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Codecs.Tests.Http2.Connection.TestSupport;

namespace MeshEdge.Codecs.Tests.Http2.Connection;

/// <summary>
/// Random client frame sequences (well-formed frames in random order and state, some of them wrong
/// for the state they arrive in), cut at random points, with the server answering, releasing and
/// flushing at random: the connection never throws, is always either open or closed with a GOAWAY
/// as its last frame, and its streams and queued frames stay within their bounds.
/// </summary>
public class Http2ConnectionPropertyTests
{
    /// <summary>One step: a client frame (kind, a pick among the streams, a size) or a server action.</summary>
    private readonly record struct Step(int Kind, int Pick, int Size, bool Flag);

    private static readonly Gen<Step> Steps = Gen.Select(Gen.Int[0, 15], Gen.Int[0, 1_000], Gen.Int[0, 20_000], Gen.Bool)
        .Select((kind, pick, size, flag) => new Step(kind, pick, size, flag));

    [Fact]
    public void Random_client_sequences_leave_the_connection_open_or_closed_with_goaway()
    {
        Gen.Select(Steps.Array[1, 60], Gen.Int[1, 64]).Sample((steps, cut) =>
        {
            using var peer = Http2Peer.Server(new() { MaxConcurrentStreams = 8, MaxQueuedControlFrames = 64, PrematureResetMinStreams = 16 });
            var pending = new List<byte>();
            var opened = new List<uint>();
            uint next = 1;
            SentFrame? last = null;
            foreach (var step in steps)
            {
                var bytes = Frame(step, opened, ref next);
                if (bytes is null)
                {
                    last = Serve(peer, step, opened) ?? last;
                }
                else
                {
                    pending.AddRange(bytes);
                }

                // Feed in pieces of at most `cut` bytes, keeping what the connection did not take.
                while (pending.Count > 0 && peer.Connection.State != Http2ConnectionState.Closed)
                {
                    var piece = pending.Take(Math.Min(pending.Count, cut)).ToArray();
                    var taken = peer.Feed(piece);
                    if (taken == 0 && piece.Length == pending.Count)
                    {
                        break;
                    }

                    pending.RemoveRange(0, taken == 0 ? 0 : taken);
                    if (taken == 0)
                    {
                        cut = Math.Max(cut * 2, 9);
                    }
                }

                Assert.True(peer.Connection.ActiveStreams <= 8);
                Assert.True(peer.Connection.QueuedControlFrames <= 64);
                // Open (or draining, which our own BeginDrain steps cause), or closed.
                Assert.NotEqual(Http2ConnectionState.New, peer.Connection.State);
                if (peer.Connection.State == Http2ConnectionState.Closed)
                {
                    break;
                }
            }

            last = peer.TakeFrames().LastOrDefault() ?? last;
            if (peer.Connection.State == Http2ConnectionState.Closed)
            {
                Assert.Equal(Http2FrameType.GoAway, last?.Type);
                Assert.Equal(peer.Connection.CloseError.Code, last!.ErrorCode);
            }
        }, iter: 3_000);
    }

    /// <summary>The client frame for a step, or null for a server action.</summary>
    private static byte[]? Frame(Step step, List<uint> opened, ref uint next)
    {
        var id = opened.Count == 0 ? 1 : opened[step.Pick % opened.Count];
        switch (step.Kind)
        {
            case 0 or 1 or 2:
                opened.Add(next);
                next += 2;
                var fields = step.Pick % 7 == 0 ? [.. H2.Get(), ("x-bad", "a\nb")] : step.Pick % 5 == 0 ? H2.Post("/", step.Size % 50) : H2.Get($"/{step.Pick}");
                var block = H2.Block(fields);
                if (!step.Flag)
                {
                    return H2.Headers(opened[^1], block, endStream: step.Pick % 2 == 0);
                }

                var split = step.Size % block.Length;
                return [.. H2.Headers(opened[^1], block[..split], endStream: false, endHeaders: false), .. H2.Continuation(opened[^1], block[split..], true)];
            case 3 or 4:
                return H2.Data(id, new byte[Math.Min(step.Size, 16_384)], endStream: step.Flag);
            case 5:
                return H2.RstStream(id, (Http2ErrorCode)(step.Pick % 14));
            case 6:
                return H2.WindowUpdate(step.Flag ? 0 : id, (uint)step.Size + 1);
            case 7:
                return H2.Ping((byte)step.Pick);
            case 8:
                return H2.Settings((Http2SettingId.InitialWindowSize, (uint)step.Size), (Http2SettingId.MaxFrameSize, 16_384 + (uint)step.Pick), (Http2SettingId.HeaderTableSize, (uint)step.Size));
            case 9:
                return H2.Priority(step.Flag ? id : next + 10, (uint)step.Pick);
            case 10:
                return RawFrames.Frame((byte)(10 + (step.Pick % 200)), 0, id, new byte[step.Size % 32]);
            case 11:
                return H2.SettingsAck;
            default:
                return null;
        }
    }

    /// <summary>A server action: respond (maybe partly), release bytes, reset, drain, or flush.</summary>
    private static SentFrame? Serve(Http2Peer peer, Step step, List<uint> opened)
    {
        var connection = peer.Connection;
        var id = opened.Count == 0 ? 1 : opened[step.Pick % opened.Count];
        switch (step.Kind)
        {
            case 12:
                connection.AddHeader(":status"u8, "200"u8);
                if (connection.SendHeaders(id, endStream: false, peer.Output))
                {
                    connection.SendData(id, new byte[step.Size], endStream: step.Flag, peer.Output);
                }

                break;
            case 13:
                connection.ReleaseReceived(id, step.Size);
                break;
            case 14:
                if (step.Flag)
                {
                    connection.ResetStream(id, Http2ErrorCode.Cancel);
                }
                else
                {
                    connection.BeginDrain();
                }

                break;
            default:
                return peer.TakeFrames().LastOrDefault();
        }

        return null;
    }
}

using MeshEdge.Native.Tls;

namespace MeshEdge.Native.Tests.Tls;

/// <summary>Rotation keeps one previous key for decryption; a ticket under it is renewed, one under an older key is not found.</summary>
public sealed class TicketKeySetTests
{
    [Fact]
    public void The_previous_key_still_decrypts_and_asks_for_renewal_and_the_one_before_is_gone()
    {
        var first = TicketKeySet.Fresh();
        var second = first.Rotate();
        var third = second.Rotate();

        Assert.Same(first.Newest, second.Find(first.Newest.Name, out var newest));
        Assert.False(newest);
        Assert.Same(second.Newest, second.Find(second.Newest.Name, out newest));
        Assert.True(newest);
        Assert.Null(third.Find(first.Newest.Name, out _));
        Assert.Equal(TicketKeySet.PreviousKeys + 1, third.Keys.Length);
        Assert.NotEqual(second.Newest.Bytes, third.Newest.Bytes);
    }

    [Fact]
    public void Keys_handed_over_decode_to_the_same_set_and_a_torn_payload_to_none()
    {
        var keys = TicketKeySet.Fresh().Rotate();
        var payload = keys.Keys.SelectMany(k => k.Bytes).ToArray();

        var adopted = TicketKeys.Decode(payload)!;

        Assert.Equal(keys.Keys.Select(k => k.Bytes), adopted.Keys.Select(k => k.Bytes));
        Assert.Null(TicketKeys.Decode(payload[..^1]));
        Assert.Null(TicketKeys.Decode([]));
    }
}

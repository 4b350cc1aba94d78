using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Upgrade.Tests;

public sealed class ListenerMatcherTests
{
    [Fact]
    public void Sockets_go_to_the_listener_of_the_same_name_and_address()
    {
        var match = ListenerMatcher.Match(
            [("inbound", "127.0.0.1:0"), ("admin", "127.0.0.1:9901")],
            [new("admin", "127.0.0.1:9901", [7]), new("inbound", "127.0.0.1:0", [3, 4])]);

        Assert.Equal([3, 4], match.AdoptedFds[0]);
        Assert.Equal([7], match.AdoptedFds[1]);
        Assert.Empty(match.Dropped);
    }

    [Fact]
    public void A_new_listener_gets_nothing_and_a_removed_one_is_dropped()
    {
        var match = ListenerMatcher.Match(
            [("inbound", "127.0.0.1:0"), ("fresh", "127.0.0.1:81")],
            [new("inbound", "127.0.0.1:0", [3]), new("gone", "127.0.0.1:80", [5, 6])]);

        Assert.Equal([3], match.AdoptedFds[0]);
        Assert.Empty(match.AdoptedFds[1]);
        var dropped = Assert.Single(match.Dropped);
        Assert.Equal("gone", dropped.Name);
        Assert.Equal([5, 6], dropped.Fds);
    }

    [Fact]
    public void A_listener_that_moved_or_was_renamed_is_not_matched()
    {
        var match = ListenerMatcher.Match(
            [("inbound", "127.0.0.1:10001"), ("renamed", "127.0.0.1:10002")],
            [new("inbound", "127.0.0.1:10000", [3]), new("old-name", "127.0.0.1:10002", [4])]);

        Assert.All(match.AdoptedFds, Assert.Empty);
        Assert.Equal(["inbound", "old-name"], match.Dropped.Select(d => d.Name));
    }

    [Fact]
    public void Entries_split_over_several_frames_are_joined_in_order()
    {
        var match = ListenerMatcher.Match(
            [("inbound", "[::1]:80")],
            [new("inbound", "[::1]:80", [3, 4]), new("inbound", "[::1]:80", [5])]);

        Assert.Equal([3, 4, 5], match.AdoptedFds[0]);
    }

    [Fact]
    public void Batches_respect_the_fd_limit_and_split_big_listeners()
    {
        ListenerHandoff[] listeners =
        [
            new("a", "127.0.0.1:1", [1, 2, 3]),
            new("b", "127.0.0.1:2", [4, 5, 6, 7, 8]),
            new("c", "127.0.0.1:3", [9]),
        ];

        var batches = PredecessorSession.Batch(listeners, maxFds: 4);

        Assert.All(batches, batch => Assert.True(batch.Sum(l => l.Fds.Length) <= 4));
        Assert.Equal(Enumerable.Range(1, 9), batches.SelectMany(b => b).SelectMany(l => l.Fds));
        var rejoined = ListenerMatcher.Match([("a", "127.0.0.1:1"), ("b", "127.0.0.1:2"), ("c", "127.0.0.1:3")], [.. batches.SelectMany(b => b)]);
        Assert.Equal([4, 5, 6, 7, 8], rejoined.AdoptedFds[1]);
    }
}

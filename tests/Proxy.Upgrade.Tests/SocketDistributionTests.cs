using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Upgrade.Tests;

public sealed class SocketDistributionTests
{
    [Fact]
    public void Same_count_gives_one_socket_per_worker()
    {
        Assert.Equal([[0], [1], [2]], SocketDistribution.Plan(3, 3));
    }

    [Fact]
    public void Fewer_workers_take_several_sockets_each_and_none_is_left_out()
    {
        var plan = SocketDistribution.Plan(5, 2);

        Assert.Equal([[0, 2, 4], [1, 3]], plan);
    }

    [Fact]
    public void More_workers_leave_some_without_an_inherited_socket()
    {
        var plan = SocketDistribution.Plan(2, 4);

        Assert.Equal([[0], [1], [], []], plan);
    }

    [Fact]
    public void A_new_listener_has_no_inherited_sockets()
    {
        Assert.All(SocketDistribution.Plan(0, 3), Assert.Empty);
    }
}

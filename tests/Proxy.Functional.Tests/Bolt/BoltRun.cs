namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>What a client run saw; <see cref="Log"/> is its output, for failure messages.</summary>
internal sealed record BoltRun(BoltCallResult[] Results, BoltCallResult[] Heartbeats, string Log)
{
    /// <summary>The results of the calls started by <see cref="BoltClient.SendFollowUpAsync"/>.</summary>
    public BoltCallResult[] FollowUp { get; init; } = [];
}

namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>
/// <paramref name="Count"/> calls of <paramref name="Method"/> on <paramref name="Service"/>. In
/// <paramref name="Args"/>, "$i" becomes the call's index and "$payload" the run's payload string.
/// </summary>
internal sealed record BoltCall(string Service, string Method, object[] Args, int Count = 1, int TimeoutMs = 3000, bool Oneway = false);

namespace MeshEdge.Native.Network;

/// <summary>
/// A connection handler that can wind down gracefully when its worker drains: an idle keep-alive
/// connection closes now, a busy one finishes its exchange and then closes.
/// </summary>
internal interface IDrainable
{
    void OnDrain(Connection connection);
}

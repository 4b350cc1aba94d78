namespace MeshEdge.Native.Admin;

/// <summary>/listeners: name, protocol and the address each listener is bound to.</summary>
internal static class ListenersJson
{
    public static byte[] Write(AdminState state) => JsonDocumentWriter.Write(json =>
    {
        json.WriteStartArray();
        foreach (var listener in state.Snapshot.Listeners)
        {
            json.WriteStartObject();
            json.WriteString("name", listener.Name);
            json.WriteString("protocol", listener.Config.Protocol.ToString().ToLowerInvariant());
            json.WriteString("address", (listener.Index < state.Addresses.Length ? state.Addresses[listener.Index] : null)?.ToString() ?? listener.Config.Address.ToString());
            json.WriteNumber("max_connections", listener.Config.MaxConnections);
            json.WriteNumber("connections", listener.Connections.Open);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });
}

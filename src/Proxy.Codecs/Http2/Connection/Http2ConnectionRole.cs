namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>Which end of the connection we are: the server of a downstream one, the client of an upstream pool's.</summary>
internal enum Http2ConnectionRole : byte
{
    /// <summary>Checks the client preface, accepts odd streams the peer opens, sends responses.</summary>
    Server,

    /// <summary>Sends the preface, opens odd streams itself, refuses any the peer tries to open or push.</summary>
    Client,
}

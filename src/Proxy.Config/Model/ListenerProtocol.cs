namespace MeshEdge.Config.Model;

public enum ListenerProtocol
{
    Tcp,
    Http,
}
